"""Rights: the licence list (short codes, bilingual labels, URLs) and the rights-expiry sweep.

An asset whose rights have expired is already hidden from the public and from viewers by
``visibility``; the sweep adds what a query cannot: the OAI-PMH datestamp, an audit entry, a
history line, and telling the approvers — once per expiry date.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from tfdb_dam.db.models import Asset, AssetStatus, ReviewEvent
from tfdb_dam.errors import ValidationError
from tfdb_dam.search.text import fold
from tfdb_dam.services import audit, notify
from tfdb_dam.services.actors import SYSTEM
from tfdb_dam.services.licences import LICENCES, Licence
from tfdb_dam.services.visibility import office_today

# The codes, labels and URLs are services.licences.LICENCES (shared with downloads and
# Dublin Core); here: reading them the ways people and files write them.


def _key(raw: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", raw.lower())


# "CC BY-NC 4.0", "cc-by-nc", "CC0", "All rights reserved", "bảo lưu mọi quyền" (folded), …
_ALIASES = {_key(code): code for code in LICENCES}
_ALIASES.update({_key(code.removesuffix("-4.0")): code for code in LICENCES if code.startswith("CC-BY")})
_ALIASES.update({"cc0": "CC0-1.0", "publicdomain": "CC0-1.0", "arr": "all-rights-reserved",
                 "copyright": "all-rights-reserved", "baoluumoiquyen": "all-rights-reserved"})


def list_licences() -> list[Licence]:
    """Every licence an asset may carry, in the order a form offers them."""
    return list(LICENCES.values())


def licence(code: str) -> Licence:
    try:
        return LICENCES[code]
    except KeyError:
        raise ValidationError("rights.licence_unknown", value=repr(code), known=", ".join(LICENCES)) from None


def parse_licence(raw: str | None) -> str | None:
    """The short code for a licence written any common way (or its URL); None for empty."""
    text = (raw or "").strip()
    if not text:
        return None
    if text.lower().startswith(("http://", "https://")):
        return licence_from_url(text)
    code = _ALIASES.get(_key(fold(text)))
    if code is None:
        raise ValidationError("rights.licence_unknown", value=repr(text), known=", ".join(LICENCES))
    return code


def licence_from_url(url: str) -> str:
    """The code for a Creative Commons deed or legal-code address (any language variant)."""
    normalized = re.sub(r"/(deed\.[a-z-]+|legalcode(\.[a-z-]+)?)?/?$", "/",
                        url.strip().lower().replace("http://", "https://"))
    for lic in LICENCES.values():
        if lic.url and normalized == lic.url:
            return lic.code
    raise ValidationError("rights.licence_url_unknown", url=repr(url))


def expired_unreported(session: Session, today: dt.date | None = None) -> list[int]:
    """Assets in circulation whose rights ended and whose approvers have not been told yet."""
    return list(session.execute(select(Asset.id).where(
        Asset.status.in_((AssetStatus.approved, AssetStatus.published)),
        Asset.rights_expires_on < (today or office_today()),
        Asset.rights_expiry_notified_on.is_distinct_from(Asset.rights_expires_on),
    ).order_by(Asset.id)).scalars())


def report_expiry(session: Session, asset_id: int, today: dt.date | None = None) -> bool:
    """Record one asset's expiry (datestamp, history, audit, approvers told); False if done already."""
    asset = session.execute(
        select(Asset).where(Asset.id == asset_id).with_for_update(of=Asset, skip_locked=True)
        .execution_options(populate_existing=True)).unique().scalar_one_or_none()
    today = today or office_today()  # the office's calendar, as visibility uses
    if (asset is None or asset.rights_expires_on is None or asset.rights_expires_on >= today
            or asset.rights_expiry_notified_on == asset.rights_expires_on
            or asset.status not in (AssetStatus.approved, AssetStatus.published)):
        return False
    now = dt.datetime.now(dt.timezone.utc)
    asset.rights_expiry_notified_on = asset.rights_expires_on
    if asset.status is AssetStatus.published:
        asset.public_changed_at = now
    asset.updated_by_id, asset.updated_at = None, now
    session.flush()
    expired = f"{asset.rights_expires_on:%Y-%m-%d}"
    session.add(ReviewEvent(asset_id=asset.id, actor_id=None, action="rights_expired",
                            from_status=asset.status.value, to_status=asset.status.value, comment=expired))
    audit.record(session, SYSTEM, "asset.rights_expired", object_type="asset", object_id=asset.id,
                 details={"expired_on": expired, "status": asset.status.value})
    notify.notify(session, notify.approvers(session), asset, "rights_expired", "system", expired)
    return True
