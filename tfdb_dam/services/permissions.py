"""What each role may do outside the workflow table: manage, upload, edit, export — as data.

Workflow steps (submit, approve, …) live in ``review_rules.TRANSITIONS``; seeing an asset is
``visibility``. Everything here is checked in services, whatever the screen shows.
"""

from __future__ import annotations

import enum

from tfdb_dam.db.models import Asset, AssetStatus, Role
from tfdb_dam.errors import PermissionDenied
from tfdb_dam.messages import word
from tfdb_dam.services.actors import Actor


class Capability(str, enum.Enum):
    upload = "upload"
    edit_own_drafts = "edit_own_drafts"  # own draft or rejected assets
    edit_any = "edit_any"
    download = "download"
    review_queue = "review_queue"
    manage_users = "manage_users"
    manage_taxonomy = "manage_taxonomy"
    manage_settings = "manage_settings"
    export_audit = "export_audit"


_APPROVER = frozenset({Capability.upload, Capability.edit_own_drafts, Capability.edit_any,
                       Capability.download, Capability.review_queue})

# role -> capabilities; None is the anonymous public (who may download what it can see).
GRANTS: dict[Role | None, frozenset[Capability]] = {
    Role.admin: _APPROVER | {Capability.manage_users, Capability.manage_taxonomy,
                             Capability.manage_settings, Capability.export_audit},
    Role.approver: _APPROVER,
    Role.contributor: frozenset({Capability.upload, Capability.edit_own_drafts, Capability.download}),
    Role.viewer: frozenset({Capability.download}),
    None: frozenset({Capability.download}),
}

# Catalogue keys (tfdb_dam/messages/access.py), one per capability.
_REFUSALS = {
    Capability.upload: "permission.upload",
    Capability.edit_own_drafts: "permission.edit_metadata",
    Capability.edit_any: "permission.edit_any",
    Capability.download: "permission.download",
    Capability.review_queue: "permission.review_queue",
    Capability.manage_users: "permission.manage_users",
    Capability.manage_taxonomy: "permission.manage_taxonomy",
    Capability.manage_settings: "permission.manage_settings",
    Capability.export_audit: "permission.export_audit",
}

# Contributors edit their own work until it is submitted, and again once it is rejected.
CONTRIBUTOR_EDITABLE = frozenset({AssetStatus.draft, AssetStatus.rejected})


def allows(actor: Actor, capability: Capability) -> bool:
    if actor.is_system:
        return True
    return capability in GRANTS.get(actor.role, frozenset())


def require(actor: Actor, capability: Capability) -> None:
    """PermissionDenied, in one sentence, unless the actor's role grants ``capability``."""
    if not allows(actor, capability):
        raise PermissionDenied(_REFUSALS[capability])


def owns(actor: Actor, asset: Asset) -> bool:
    return actor.user_id is not None and actor.user_id in (asset.created_by_id, asset.submitted_by_id)


def can_edit(actor: Actor, asset: Asset) -> bool:
    if allows(actor, Capability.edit_any):
        return True
    return (allows(actor, Capability.edit_own_drafts) and actor.user_id is not None
            and asset.created_by_id == actor.user_id and asset.status in CONTRIBUTOR_EDITABLE)


def require_edit(actor: Actor, asset: Asset) -> None:
    if can_edit(actor, asset):
        return
    if not allows(actor, Capability.edit_own_drafts):
        raise PermissionDenied(_REFUSALS[Capability.edit_own_drafts])
    if asset.created_by_id != actor.user_id:
        raise PermissionDenied("permission.edit_others", asset_id=asset.id)
    if asset.status is AssetStatus.submitted:
        raise PermissionDenied("permission.edit_submitted", asset_id=asset.id)
    raise PermissionDenied("permission.edit_status", asset_id=asset.id,
                           status=word(f"word.status.{asset.status.value}"))
