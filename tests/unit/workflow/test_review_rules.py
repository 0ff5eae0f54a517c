"""The workflow table as pure decisions (no database): every role, status and circumstance."""

from __future__ import annotations

import datetime as dt
import itertools

from tfdb_dam.db.models import Asset, AssetStatus, ProcessingState, Role
from tfdb_dam.errors import InvalidTransition, PermissionDenied, UsageError, ValidationError
from tfdb_dam.services.actors import PUBLIC, SYSTEM, Actor
from tfdb_dam.services.review import available_actions
from tfdb_dam.services.review_rules import ANY, BY_ACTION, TRANSITIONS, missing_public_fields, refusal, rule_for

ME, OTHER = 7, 8


def _asset(status: AssetStatus, *, mine: bool, **fields) -> Asset:  # noqa: ANN003
    values = dict(id=42, status=status, processing=ProcessingState.ready, created_by_id=ME if mine else OTHER,
                  submitted_by_id=ME if mine else OTHER, title_vi="Chùa Thiên Mụ", title_en="Thien Mu Pagoda",
                  credit="Sở Ngoại vụ", license="CC-BY-4.0", rights_expires_on=None)
    values.update(fields)
    return Asset(**values)


def test_every_combination_is_decided_by_the_table_alone():
    for rule, role, status, mine in itertools.product(TRANSITIONS, [*Role, None], AssetStatus, (True, False)):
        who = PUBLIC if role is None else Actor(ME, "me", role)
        problem = refusal(rule, who, _asset(status, mine=mine), comment="Lý do.")
        scope = rule.who.get(role) if role else None
        if scope is None or (scope != ANY and not mine):
            assert isinstance(problem, PermissionDenied), (rule.action, role, status, mine, problem)
        elif status not in rule.sources:
            assert isinstance(problem, InvalidTransition), (rule.action, role, status, mine, problem)
        elif rule.four_eyes and mine:
            assert isinstance(problem, PermissionDenied) and "four-eyes" in str(problem)
        else:
            assert problem is None, (rule.action, role, status, mine, problem)
        if problem is not None:
            text = str(problem)
            assert text[0].isupper() and text.endswith(".") and ". " not in text, text


def test_circumstances_each_refuse_in_one_sentence():
    approver, contributor = Actor(ME, "lan", Role.approver), Actor(ME, "hoa", Role.contributor)
    pending = _asset(AssetStatus.draft, mine=True, processing=ProcessingState.pending)
    failed = _asset(AssetStatus.draft, mine=True, processing=ProcessingState.failed)
    bare = _asset(AssetStatus.approved, mine=False, title_en=" ", credit=None, license=None)
    expired = _asset(AssetStatus.approved, mine=False, rights_expires_on=dt.date(2025, 5, 1))
    assert str(refusal(rule_for("submit"), contributor, pending)) == (
        "Asset 42 is still being processed; try again when it is ready.")
    assert "failed" in str(refusal(rule_for("submit"), contributor, failed))
    assert str(refusal(rule_for("publish"), approver, bare)) == (
        "Asset 42 cannot be published without an English title, a credit and a licence.")
    assert missing_public_fields(_asset(AssetStatus.approved, mine=False, title_vi=None)) == ["a Vietnamese title"]
    assert "expired on 2025-05-01" in str(refusal(rule_for("publish"), approver, expired, today=dt.date(2025, 5, 2)))
    assert refusal(rule_for("publish"), approver, expired, today=dt.date(2025, 5, 1)) is None  # the last day counts
    assert isinstance(refusal(rule_for("reject"), approver, _asset(AssetStatus.submitted, mine=False)), ValidationError)
    assert str(refusal(rule_for("approve"), SYSTEM, _asset(AssetStatus.submitted, mine=False))).startswith(
        "Only a signed-in user can take a workflow step")


def test_unknown_actions_are_a_usage_error():
    try:
        rule_for("delete")
    except UsageError as exc:
        assert str(exc).startswith("Unknown workflow action 'delete'; use one of submit, withdraw")
    else:  # pragma: no cover
        raise AssertionError("rule_for accepted an unknown action")


def test_available_actions_are_what_the_buttons_may_offer():
    approver = Actor(ME, "lan", Role.approver)
    assert available_actions(approver, _asset(AssetStatus.submitted, mine=False)) == ["approve", "reject"]
    assert available_actions(approver, _asset(AssetStatus.submitted, mine=True)) == ["withdraw", "reject"]
    assert available_actions(approver, _asset(AssetStatus.published, mine=False)) == ["unpublish"]
    assert available_actions(Actor(ME, "hoa", Role.contributor), _asset(AssetStatus.rejected, mine=True)) == ["reopen"]
    assert available_actions(Actor(ME, "bao", Role.viewer), _asset(AssetStatus.published, mine=False)) == []
    assert set(BY_ACTION) >= {"submit", "withdraw", "approve", "reject", "publish", "unpublish", "archive"}
