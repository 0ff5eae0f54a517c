"""Every role × every action × every status through the real service and database.

The expectations of the generated walk come from the table (``TRANSITIONS``); the spot checks
below are written by hand so that a wrong table cannot pass by agreeing with itself.
"""

from __future__ import annotations

import itertools

from sqlalchemy import func, select

from tests.integration.workflow.factory import actor, make_asset
from tfdb_dam.db.models import AssetStatus, AuditEntry, ReviewEvent, Role
from tfdb_dam.errors import InvalidTransition, NotFound, PermissionDenied, ValidationError
from tfdb_dam.services import audit, review
from tfdb_dam.services.review_rules import ANY, TRANSITIONS, who_may
from tfdb_dam.services.visibility import can_see

# persona -> (user attribute in People or None for the public, whether it created and submitted the asset)
PERSONAS = {
    "admin-own": ("admin", True), "admin": ("admin", False),
    "approver-own": ("approver", True), "approver": ("approver", False),
    "contributor-own": ("contributor", True), "contributor": ("contributor", False),
    "viewer": ("viewer", False), "public": (None, False),
}


def _attempt(ctx, people, persona: str, action: str, status: AssetStatus):  # noqa: ANN001, ANN202
    """Try one step in a transaction that is always rolled back; returns (error or None, asset after)."""
    attr, own = PERSONAS[persona]
    user = getattr(people, attr) if attr else None
    session = ctx.db.sessions()
    try:
        with session.begin():
            owner = user if own else people.contributor2
            asset = make_asset(session, owner, status=status, submitted_by=owner)
            who = actor(user)
            visible = can_see(who, asset)
            try:
                review.transition(session, who, asset.id, action, comment="Thiếu chú thích nguồn ảnh.")
            except (PermissionDenied, NotFound, InvalidTransition, ValidationError) as exc:
                error = exc
            else:
                error = None
            audit.chain_pending(session)  # entries are chained at commit; write them now to count
            events = session.execute(select(func.count()).select_from(ReviewEvent)
                                     .where(ReviewEvent.asset_id == asset.id)).scalar_one()
            audits = session.execute(select(func.count()).select_from(AuditEntry).where(
                AuditEntry.object_id == str(asset.id), AuditEntry.action == f"asset.{action}")).scalar_one()
            result = (error, asset.status, events, audits, who, visible)
            session.rollback()
            return result
    finally:
        session.close()


def _expected_error(rule, who, status: AssetStatus, visible: bool, own: bool):  # noqa: ANN001, ANN202
    """What the table says should stop this step, as an error class (None: allowed)."""
    if not visible:
        return NotFound
    scope = who_may(rule, who.role)
    if scope is None or (scope != ANY and not own):
        return PermissionDenied
    if status not in rule.sources:
        return InvalidTransition
    if rule.four_eyes and own:
        return PermissionDenied
    return None


def test_every_role_action_and_status_follows_the_table(ctx, people):
    allowed = refused = 0
    for rule, persona, status in itertools.product(TRANSITIONS, PERSONAS, AssetStatus):
        error, after, events, audits, who, visible = _attempt(ctx, people, persona, rule.action, status)
        expected = _expected_error(rule, who, status, visible, PERSONAS[persona][1])
        case = f"{persona} {rule.action} a {status.value} asset"
        if expected is None:
            assert error is None, f"{case}: refused with {error!r}"
            assert (after, events, audits) == (rule.target, 1, 1), case
            allowed += 1
        else:
            assert type(error) is expected, f"{case}: expected {expected.__name__}, got {error!r}"
            assert events == 0 and audits == 0, case
            assert str(error).endswith(".") and str(error).count(". ") == 0, str(error)
            refused += 1
    assert allowed > 30 and refused > 300  # the walk really covered both sides


# Written by hand from the issue, not from the table.
SPOT_CHECKS = [
    ("contributor-own", "submit", AssetStatus.draft, None),
    ("contributor-own", "withdraw", AssetStatus.submitted, None),
    ("contributor-own", "approve", AssetStatus.submitted, PermissionDenied),
    ("contributor-own", "publish", AssetStatus.approved, PermissionDenied),
    ("contributor-own", "reopen", AssetStatus.rejected, None),
    ("contributor-own", "submit", AssetStatus.rejected, InvalidTransition),
    ("contributor-own", "unpublish", AssetStatus.published, PermissionDenied),
    ("contributor", "withdraw", AssetStatus.submitted, NotFound),  # someone else's, unseen
    ("contributor", "submit", AssetStatus.draft, NotFound),
    ("approver", "approve", AssetStatus.submitted, None),
    ("approver", "reject", AssetStatus.submitted, None),
    ("approver", "publish", AssetStatus.approved, None),
    ("approver", "unpublish", AssetStatus.published, None),
    ("approver", "archive", AssetStatus.approved, None),
    ("approver", "archive", AssetStatus.published, InvalidTransition),  # that is unpublish
    ("approver", "withdraw", AssetStatus.submitted, PermissionDenied),  # not theirs: reject instead
    ("approver", "approve", AssetStatus.draft, InvalidTransition),
    ("approver", "publish", AssetStatus.submitted, InvalidTransition),
    ("approver-own", "approve", AssetStatus.submitted, PermissionDenied),  # four eyes
    ("approver-own", "publish", AssetStatus.approved, PermissionDenied),  # four eyes
    ("approver-own", "reject", AssetStatus.submitted, None),
    ("admin", "approve", AssetStatus.submitted, None),
    ("admin", "publish", AssetStatus.approved, None),
    ("admin-own", "approve", AssetStatus.submitted, PermissionDenied),
    ("viewer", "approve", AssetStatus.approved, PermissionDenied),
    ("viewer", "submit", AssetStatus.draft, NotFound),
    ("viewer", "unpublish", AssetStatus.published, PermissionDenied),
    ("public", "unpublish", AssetStatus.published, PermissionDenied),
    ("public", "publish", AssetStatus.approved, NotFound),
]


def test_spot_checks_written_by_hand(ctx, people):
    # One database for all of them: a fresh one per check would cost more than the checks.
    wrong = []
    for persona, action, status, expected in SPOT_CHECKS:
        error = _attempt(ctx, people, persona, action, status)[0]
        if type(error) is not (expected or type(None)):
            wrong.append(f"{persona} {action} {status.value}: expected {expected}, got {error!r}")
    assert not wrong, "\n".join(wrong)


def test_the_table_itself_says_what_the_issue_says():
    by_action = {t.action: t for t in TRANSITIONS}
    assert set(by_action) == {"submit", "withdraw", "approve", "reject", "publish", "unpublish", "archive", "reopen"}
    assert (by_action["reject"].sources, by_action["reject"].target) == ({AssetStatus.submitted}, AssetStatus.rejected)
    assert by_action["withdraw"].target is AssetStatus.draft and by_action["reopen"].target is AssetStatus.draft
    assert by_action["unpublish"].sources == {AssetStatus.published}
    assert by_action["unpublish"].target is AssetStatus.archived
    assert {a for a, t in by_action.items() if t.four_eyes} == {"approve", "publish"}
    assert {a for a, t in by_action.items() if t.reason_required} == {"reject"}
    assert Role.viewer not in set().union(*(t.who for t in TRANSITIONS))
