"""The review workflow on rows: lock, check the table, change status, history, audit, notify.

``transition`` works inside the caller's transaction; ``act`` and ``act_many`` open one
transaction per asset themselves (bulk actions apply the same rules to each asset and report
each outcome; one refusal does not undo the others). Emails are queued jobs (see notify).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tfdb_dam.db.models import Asset, ReviewEvent, User
from tfdb_dam.errors import ConcurrentEdit, NotFound, TfdbError, ValidationError
from tfdb_dam.messages import word
from tfdb_dam.services import audit, notify
from tfdb_dam.services.actors import PUBLIC, Actor
from tfdb_dam.services.context import Context
from tfdb_dam.services.review_rules import ACTIONS, BY_ACTION, Transition, refusal, role_refusal, rule_for
from tfdb_dam.services.visibility import OFFICE_TZ, can_see, office_today

MAX_COMMENT = 4000


def lock_asset(session: Session, actor: Actor, asset_id: int) -> Asset:
    """The asset, row-locked until the transaction ends, if it exists and ``actor`` may see it."""
    asset = session.execute(select(Asset).where(Asset.id == asset_id).with_for_update(of=Asset)
                            .execution_options(populate_existing=True)).unique().scalar_one_or_none()
    if asset is None or not can_see(actor, asset):
        raise NotFound("asset.not_visible", asset_id=asset_id)
    return asset


def check_version(session: Session, asset: Asset, expected_version: int | None) -> None:
    """ConcurrentEdit naming who changed the asset and when, if it moved on since the caller read it."""
    if expected_version is None or expected_version == asset.version:
        return
    who = session.get(User, asset.updated_by_id) if asset.updated_by_id else None
    when = asset.updated_at.astimezone(OFFICE_TZ)  # the office's clock, whatever the server's zone
    at = f"{when:%H:%M}" if when.date() == office_today() else f"{when:%Y-%m-%d %H:%M}"
    raise ConcurrentEdit("asset.changed_meanwhile", asset_id=asset.id,
                         who=who.username if who else word("word.the_system"), at=at)


def touch(asset: Asset, actor: Actor) -> None:
    """Who changed the row and when: what a concurrent editor is told."""
    asset.updated_by_id = actor.user_id
    asset.updated_at = dt.datetime.now(dt.timezone.utc)


def _clean_comment(comment: str | None) -> str | None:
    text = (comment or "").strip()
    if len(text) > MAX_COMMENT:
        raise ValidationError("review.comment_too_long", limit=MAX_COMMENT)
    return text or None


def transition(session: Session, actor: Actor, asset_id: int, action: str, *,
               expected_version: int | None = None, comment: str | None = None,
               today: dt.date | None = None) -> Asset:
    """Take one workflow step on one asset, in the caller's transaction; raises on any refusal.

    ``expected_version`` is the Asset.version the actor saw; None acts on the current state
    (the CLI, which shows nothing before acting).
    """
    rule = rule_for(action)
    comment = _clean_comment(comment)
    asset = lock_asset(session, actor, asset_id)
    problem = role_refusal(rule, actor)
    if problem is None:
        check_version(session, asset, expected_version)
        problem = refusal(rule, actor, asset, comment, today)
    if problem is not None:
        raise problem
    apply(session, actor, asset, rule, comment)
    return asset


def apply(session: Session, actor: Actor, asset: Asset, rule: Transition, comment: str | None) -> None:
    """Change the status and everything that goes with it; the checks have passed."""
    before, was_public = asset.status, can_see(PUBLIC, asset)
    now = dt.datetime.now(dt.timezone.utc)
    asset.status = rule.target
    touch(asset, actor)
    if rule.action == "submit":
        asset.submitted_by_id = actor.user_id
    if rule.enters_public:
        asset.published_at, asset.ever_published, asset.public_changed_at = now, True, now
    elif rule.leaves_public and was_public:
        asset.public_changed_at = now
    session.flush()
    session.add(ReviewEvent(asset_id=asset.id, actor_id=actor.user_id, action=rule.action,
                            from_status=before.value, to_status=rule.target.value, comment=comment))
    audit.record(session, actor, f"asset.{rule.action}", object_type="asset", object_id=asset.id,
                 details={"from": before.value, "to": rule.target.value, "comment": comment,
                          "version": asset.version})
    _notify(session, actor, asset, rule, comment)


def _notify(session: Session, actor: Actor, asset: Asset, rule: Transition, comment: str | None) -> None:
    if rule.notify == "approvers":
        notify.notify(session, notify.approvers(session), asset, rule.action, actor.username,
                      exclude=actor.user_id)
    elif rule.notify == "owners":
        notify.notify(session, notify.owners(session, asset), asset, rule.action, actor.username,
                      comment or "", exclude=actor.user_id)


def available_actions(actor: Actor, asset: Asset, today: dt.date | None = None) -> list[str]:
    """The steps ``actor`` may take on ``asset`` now (a reason for reject is assumed to follow)."""
    return [action for action, rule in BY_ACTION.items()
            if refusal(rule, actor, asset, "reason" if rule.reason_required else None, today) is None]


def rejection_reason(session: Session, asset: Asset) -> str | None:
    """Why the asset was last rejected, while it still is (what the contributor needs to see)."""
    if asset.status.value != "rejected":
        return None
    return session.execute(select(ReviewEvent.comment).where(
        ReviewEvent.asset_id == asset.id, ReviewEvent.action == "reject")
        .order_by(ReviewEvent.id.desc()).limit(1)).scalar()


@dataclass(frozen=True)
class Outcome:
    id: int
    ok: bool
    status: str | None  # the asset's status afterwards, as far as the actor may see it
    error: str | None = None
    version: int | None = None

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "ok": self.ok, "status": self.status, "error": self.error}


def act(ctx: Context, actor: Actor, asset_id: int, action: str, *, expected_version: int | None = None,
        comment: str | None = None) -> Outcome:
    """One step in its own transaction; a refusal comes back as an Outcome with its sentence."""
    versions = {asset_id: expected_version} if expected_version is not None else None
    return act_many(ctx, actor, action, [asset_id], comment=comment, versions=versions)[0]


def act_many(ctx: Context, actor: Actor, action: str, asset_ids: Sequence[int], *,
             comment: str | None = None, versions: Mapping[int, int] | None = None) -> list[Outcome]:
    """The same step on many assets, each under the same rules in its own transaction."""
    rule_for(action)
    versions = versions or {}
    outcomes = []
    for asset_id in dict.fromkeys(asset_ids):  # once each, in the order given
        try:
            with ctx.db.begin() as session:
                asset = transition(session, actor, asset_id, action, expected_version=versions.get(asset_id),
                                   comment=comment)
                outcomes.append(Outcome(asset.id, True, asset.status.value, None, asset.version))
        except TfdbError as exc:
            outcomes.append(Outcome(asset_id, False, _status_seen(ctx, actor, asset_id), str(exc)))
    return outcomes


def _status_seen(ctx: Context, actor: Actor, asset_id: int) -> str | None:
    with ctx.db.begin() as session:
        asset = session.get(Asset, asset_id)
        return asset.status.value if asset is not None and can_see(actor, asset) else None


__all__ = ["ACTIONS", "Outcome", "act", "act_many", "apply", "available_actions", "check_version",
           "lock_asset", "rejection_reason", "touch", "transition"]
