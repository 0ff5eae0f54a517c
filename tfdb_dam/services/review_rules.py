"""The workflow as data: every transition, who may take it, and the checks it needs (no database).

``TRANSITIONS`` is the one table; ``refusal`` turns it into a decision for one actor and one
asset. ``review`` applies the decision to rows; the tests walk this table role by role.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from tfdb_dam.db.models import Asset, AssetStatus, ProcessingState, Role
from tfdb_dam.errors import InvalidTransition, PermissionDenied, TfdbError, UsageError, ValidationError
from tfdb_dam.messages import Listing, Message, word
from tfdb_dam.services.actors import Actor
from tfdb_dam.services.permissions import owns
from tfdb_dam.services.visibility import office_today

ANY, OWN = "any", "own"  # OWN: only on assets the actor created or submitted
S = AssetStatus
APPROVERS: Mapping[Role, str] = {Role.approver: ANY, Role.admin: ANY}


@dataclass(frozen=True)
class Transition:
    action: str
    done: str  # past participle; its words ("word.done.<done>") name it in messages
    sources: frozenset[AssetStatus]
    target: AssetStatus
    who: Mapping[Role, str] = field(default_factory=dict)
    reason_required: bool = False
    four_eyes: bool = False  # not by whoever submitted the asset
    needs_ready: bool = False  # processing must have finished
    needs_public_fields: bool = False
    enters_public: bool = False
    leaves_public: bool = False
    notify: str | None = None  # "approvers" | "owners": who hears about it


def _t(action: str, done: str, sources: set[AssetStatus], target: AssetStatus, who: Mapping[Role, str],
       **flags: object) -> Transition:
    return Transition(action, done, frozenset(sources), target, dict(who), **flags)  # type: ignore[arg-type]


TRANSITIONS: tuple[Transition, ...] = (
    _t("submit", "submitted", {S.draft}, S.submitted,
       {Role.contributor: OWN, **APPROVERS}, needs_ready=True, notify="approvers"),
    # Withdrawing takes one's own submission back; an approver who disagrees rejects, with a reason.
    _t("withdraw", "withdrawn", {S.submitted}, S.draft,
       {Role.contributor: OWN, Role.approver: OWN, Role.admin: OWN}),
    _t("approve", "approved", {S.submitted}, S.approved, APPROVERS, four_eyes=True, notify="owners"),
    _t("reject", "rejected", {S.submitted}, S.rejected, APPROVERS, reason_required=True, notify="owners"),
    _t("publish", "published", {S.approved}, S.published, APPROVERS,
       four_eyes=True, needs_public_fields=True, enters_public=True, notify="owners"),
    _t("unpublish", "unpublished", {S.published}, S.archived, APPROVERS, leaves_public=True, notify="owners"),
    # Retiring what never went public; a published asset is unpublished instead.
    _t("archive", "archived", {S.draft, S.rejected, S.approved}, S.archived, APPROVERS, notify="owners"),
    # Editing a rejected asset reopens it (metadata.edit_metadata takes this step itself).
    _t("reopen", "reopened", {S.rejected}, S.draft, {Role.contributor: OWN, **APPROVERS}),
)

BY_ACTION: Mapping[str, Transition] = {t.action: t for t in TRANSITIONS}
ACTIONS: tuple[str, ...] = tuple(BY_ACTION)

ROLE_NAMES = {Role.admin: word("word.role_subject.admin"), Role.approver: word("word.role_subject.approver"),
              Role.contributor: word("word.role_subject.contributor"),
              Role.viewer: word("word.role_subject.viewer"), None: word("word.role_subject.public")}
PUBLIC_FIELDS = (("title_vi", "word.needed.title_vi"), ("title_en", "word.needed.title_en"),
                 ("credit", "word.needed.credit"), ("license", "word.needed.license"))


def rule_for(action: str) -> Transition:
    try:
        return BY_ACTION[action]
    except KeyError:
        raise UsageError("workflow.action_unknown", action=repr(action), actions=", ".join(ACTIONS)) from None


def who_may(rule: Transition, role: Role | None) -> str | None:
    """ANY, OWN, or None when the role may not take this step at all."""
    return rule.who.get(role) if role is not None else None


def role_refusal(rule: Transition, actor: Actor) -> TfdbError | None:
    """The refusal that depends only on who is acting."""
    if actor.user_id is None:
        return PermissionDenied("workflow.sign_in_first", action=_action(rule))
    if who_may(rule, actor.role) is None:
        return PermissionDenied("workflow.role_cannot", role=ROLE_NAMES[actor.role], action=_action(rule))
    return None


def refusal(rule: Transition, actor: Actor, asset: Asset, comment: str | None = None,
            today: dt.date | None = None) -> TfdbError | None:
    """Why ``actor`` may not take ``rule`` on ``asset`` now, or None when the step is allowed."""
    checks = (role_refusal(rule, actor), _ownership(rule, actor, asset), _state(rule, asset),
              _four_eyes(rule, actor, asset), _processing(rule, asset), _reason(rule, comment),
              _public_fields(rule, asset, today or office_today()))
    return next((problem for problem in checks if problem is not None), None)


def _ownership(rule: Transition, actor: Actor, asset: Asset) -> TfdbError | None:
    if who_may(rule, actor.role) == OWN and not owns(actor, asset):
        return PermissionDenied("workflow.not_yours", asset_id=asset.id, action=_action(rule))
    return None


def _action(rule: Transition) -> Message:
    return word(f"word.action.{rule.action}")


def _done(rule: Transition) -> Message:
    return word(f"word.done.{rule.done}")


def _state(rule: Transition, asset: Asset) -> TfdbError | None:
    if asset.status in rule.sources:
        return None
    allowed = Listing(tuple(word(f"word.status.{s}") for s in sorted(s.value for s in rule.sources)), "or")
    return InvalidTransition("workflow.wrong_status", asset_id=asset.id, done=_done(rule), allowed=allowed,
                             status=word(f"word.status.{asset.status.value}"))


def _four_eyes(rule: Transition, actor: Actor, asset: Asset) -> TfdbError | None:
    if rule.four_eyes and asset.submitted_by_id is not None and asset.submitted_by_id == actor.user_id:
        return PermissionDenied("workflow.four_eyes", asset_id=asset.id, action=_action(rule))
    return None


def _processing(rule: Transition, asset: Asset) -> TfdbError | None:
    if not rule.needs_ready or asset.processing is ProcessingState.ready:
        return None
    if asset.processing is ProcessingState.failed:
        return InvalidTransition("workflow.processing_failed", asset_id=asset.id, done=_done(rule))
    return InvalidTransition("workflow.still_processing", asset_id=asset.id)


def _reason(rule: Transition, comment: str | None) -> TfdbError | None:
    if rule.reason_required and not (comment or "").strip():
        return ValidationError("review.reason_required")
    return None


def missing_public_fields(asset: Asset) -> list[str]:
    """What publishing still needs, in English words ("a credit"); see ``_missing_words``."""
    return [str(label) for label in _missing_words(asset)]


def _missing_words(asset: Asset) -> list[Message]:
    return [word(key) for name, key in PUBLIC_FIELDS if not (getattr(asset, name) or "").strip()]


def _public_fields(rule: Transition, asset: Asset, today: dt.date) -> TfdbError | None:
    if not rule.needs_public_fields:
        return None
    missing = _missing_words(asset)
    if missing:
        return ValidationError("workflow.fields_missing", asset_id=asset.id, done=_done(rule),
                               missing=Listing(tuple(missing), "and"))
    if asset.rights_expires_on is not None and asset.rights_expires_on < today:
        expired = f"{asset.rights_expires_on:%Y-%m-%d}"
        return ValidationError("workflow.rights_expired", asset_id=asset.id, expired=expired,
                               done=_done(rule))
    return None
