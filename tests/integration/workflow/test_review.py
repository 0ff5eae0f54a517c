"""The review workflow end to end: rules, history, notifications, bulk actions and the CLI."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from tests.integration.workflow.factory import actor, make_asset
from tfdb_dam.db.models import Asset, AssetStatus, AuditEntry, Notification, ProcessingState
from tfdb_dam.errors import InvalidTransition, PermissionDenied, ValidationError
from tfdb_dam.services import assets, review
from tfdb_dam.services.actors import PUBLIC
from tfdb_dam.services.visibility import can_see


def _step(ctx, who, asset_id, action, **kwargs):  # noqa: ANN001, ANN202
    with ctx.db.begin() as session:
        asset = review.transition(session, actor(who), asset_id, action, **kwargs)
        return asset.status, asset.version


def test_an_asset_goes_from_draft_to_public_and_back_under_every_rule(ctx, people):
    with ctx.db.begin() as session:
        asset_id = make_asset(session, people.contributor, processing=ProcessingState.pending, title_en=None,
                              license=None).id

    with pytest.raises(InvalidTransition, match="still being processed"):
        _step(ctx, people.contributor, asset_id, "submit")
    with ctx.db.begin() as session:
        session.get(Asset, asset_id).processing = ProcessingState.ready
    assert _step(ctx, people.contributor, asset_id, "submit")[0] is AssetStatus.submitted

    with pytest.raises(ValidationError, match="needs a reason"):
        _step(ctx, people.approver, asset_id, "reject", comment="   ")
    _step(ctx, people.approver, asset_id, "reject", comment="Thiếu tên tiếng Anh và giấy phép.")
    with ctx.db.begin() as session:
        asset = assets.get_asset(session, actor(people.contributor), asset_id)
        assert review.rejection_reason(session, asset) == "Thiếu tên tiếng Anh và giấy phép."
        note = session.execute(select(Notification).where(Notification.user_id == people.contributor.id)).scalar_one()
        assert "Lý do: Thiếu tên tiếng Anh" in note.body and "Reason:" in note.body

    from tfdb_dam.services.metadata import edit_metadata  # editing a rejected asset reopens it
    with ctx.db.begin() as session:
        version = session.get(Asset, asset_id).version
        result = edit_metadata(session, ctx, actor(people.contributor), asset_id,
                               {"title_en": "Huế Imperial City"}, expected_version=version)
        assert result.reopened and result.asset.status is AssetStatus.draft
    _step(ctx, people.contributor, asset_id, "submit")
    _step(ctx, people.approver, asset_id, "approve", comment="Ảnh đẹp.")

    with pytest.raises(ValidationError) as missing:
        _step(ctx, people.approver2, asset_id, "publish")
    assert str(missing.value) == f"Asset {asset_id} cannot be published without a licence."
    with ctx.db.begin() as session:
        session.get(Asset, asset_id).license = "CC-BY-4.0"
    _step(ctx, people.approver2, asset_id, "publish")
    with ctx.db.begin() as session:
        asset = session.get(Asset, asset_id)
        assert asset.published_at and asset.ever_published and asset.public_changed_at == asset.published_at
        assert can_see(PUBLIC, asset)
        entered = asset.public_changed_at

    _step(ctx, people.approver, asset_id, "unpublish", comment="Hết đợt tuyên truyền.")
    with ctx.db.begin() as session:
        asset = session.get(Asset, asset_id)
        assert asset.status is AssetStatus.archived and asset.public_changed_at > entered
        assert not can_see(PUBLIC, asset) and asset.ever_published
        history = assets.history_of(session, asset_id)
        audited = session.execute(select(AuditEntry.action).where(AuditEntry.object_id == str(asset_id))
                                  .order_by(AuditEntry.id)).scalars().all()
    steps = [(h["actor"], h["action"], h["from_status"], h["to_status"]) for h in history]
    assert steps == [
        ("hoa", "submit", "draft", "submitted"),
        ("lan", "reject", "submitted", "rejected"),
        ("hoa", "reopen", "rejected", "draft"),
        ("hoa", "edit", "draft", "draft"),
        ("hoa", "submit", "draft", "submitted"),
        ("lan", "approve", "submitted", "approved"),
        ("minh", "publish", "approved", "published"),
        ("lan", "unpublish", "published", "archived"),
    ]
    assert history[1]["comment"] == "Thiếu tên tiếng Anh và giấy phép."
    assert history[7]["comment"] == "Hết đợt tuyên truyền."
    assert audited == ["asset.submit", "asset.reject", "asset.reopen", "asset.edit", "asset.submit",
                       "asset.approve", "asset.publish", "asset.unpublish"]


def test_submitting_tells_every_approver_but_the_submitter_and_decisions_tell_the_owner(ctx, people):
    with ctx.db.begin() as session:
        mine = make_asset(session, people.approver).id
        theirs = make_asset(session, people.contributor).id
    _step(ctx, people.approver, mine, "submit")
    _step(ctx, people.contributor, theirs, "submit")
    _step(ctx, people.approver2, theirs, "approve")
    with ctx.db.begin() as session:
        rows = session.execute(select(Notification.user_id, Notification.asset_id, Notification.subject)
                               .order_by(Notification.id)).all()
    told = {(user, asset) for user, asset, _ in rows}
    assert told == {(people.admin.id, mine), (people.approver2.id, mine),  # not lan, who submitted it
                    (people.admin.id, theirs), (people.approver.id, theirs), (people.approver2.id, theirs),
                    (people.contributor.id, theirs)}  # the approval, to its owner
    assert any("Đã duyệt / Approved" in subject for _, _, subject in rows)


def test_four_eyes_stops_the_submitter_even_as_admin(ctx, people):
    with ctx.db.begin() as session:
        asset_id = make_asset(session, people.admin).id
    _step(ctx, people.admin, asset_id, "submit")
    with pytest.raises(PermissionDenied, match=r"You submitted asset \d+, so someone else must approve it"):
        _step(ctx, people.admin, asset_id, "approve")
    assert _step(ctx, people.approver, asset_id, "approve")[0] is AssetStatus.approved
    with pytest.raises(PermissionDenied, match="four-eyes"):
        _step(ctx, people.admin, asset_id, "publish")


def test_bulk_actions_apply_the_rules_to_each_asset_and_report_each(ctx, people):
    with ctx.db.begin() as session:
        ok1 = make_asset(session, people.contributor, status=AssetStatus.submitted, submitted_by=people.contributor).id
        own = make_asset(session, people.approver, status=AssetStatus.submitted, submitted_by=people.approver).id
        draft = make_asset(session, people.contributor).id
        ok2 = make_asset(session, people.contributor2, status=AssetStatus.submitted,
                         submitted_by=people.contributor2).id
    outcomes = review.act_many(ctx, actor(people.approver), "approve", [ok1, own, draft, 999_999, ok2, ok1])
    assert [o.id for o in outcomes] == [ok1, own, draft, 999_999, ok2]
    assert [(o.ok, o.status) for o in outcomes] == [
        (True, "approved"), (False, "submitted"), (False, "draft"), (False, None), (True, "approved")]
    assert "four-eyes" in outcomes[1].error and "only submitted assets can" in outcomes[2].error
    assert outcomes[3].error == "There is no asset 999999 that you may see."
    assert outcomes[0].as_dict() == {"id": ok1, "ok": True, "status": "approved", "error": None}


def test_cli_review_does_the_rest_when_one_is_refused_and_show_has_the_history(ctx, people, tfdb, run_cli):
    with ctx.db.begin() as session:
        first = make_asset(session, people.contributor).id
        busy = make_asset(session, people.contributor, processing=ProcessingState.pending).id
        second = make_asset(session, people.contributor).id
    done = tfdb("review", "submit", str(first), str(busy), str(second), "--as", "hoa", "--json")
    assert done.returncode == 1
    results = json.loads(done.stdout)
    assert [(r["id"], r["ok"], r["status"]) for r in results] == [
        (first, True, "submitted"), (busy, False, "draft"), (second, True, "submitted")]
    assert done.stderr.strip() == f"tfdb: Asset {busy} is still being processed; try again when it is ready."

    assert run_cli("review", "reject", str(first), "--as", "lan") == (
        1, "", "tfdb: A rejection needs a reason; say what the contributor should change.\n")
    assert run_cli("review", "reject", str(first), "--as", "lan", "--comment", "Ảnh bị mờ.") == (
        0, f"Asset {first}: rejected.\n", "")
    shown = json.loads(run_cli("show", str(first), "--json", "--as", "hoa")[1])
    assert [(h["actor"], h["action"], h["comment"]) for h in shown["history"]] == [
        ("hoa", "submit", None), ("lan", "reject", "Ảnh bị mờ.")]
