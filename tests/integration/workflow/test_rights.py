"""Rights expiry: the asset leaves every public channel by itself, and approvers are told once."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.integration.workflow.factory import actor, make_asset
from tfdb_dam.db.models import Asset, AssetStatus, AuditEntry, Notification
from tfdb_dam.errors import ValidationError
from tfdb_dam.jobs import workflow_tasks
from tfdb_dam.services import assets, review
from tfdb_dam.services.actors import PUBLIC
from tfdb_dam.services.visibility import office_today, visible_to


def _notes(ctx) -> list[tuple[int, int]]:  # noqa: ANN001
    with ctx.db.begin() as session:
        return session.execute(select(Notification.user_id, Notification.asset_id).order_by(Notification.id)).all()


def test_the_sweep_reports_each_expired_asset_once_per_expiry(ctx, people):
    today = office_today()  # rights end by the office's calendar (Asia/Ho_Chi_Minh)
    yesterday = today - dt.timedelta(days=1)
    with ctx.db.begin() as session:
        published = make_asset(session, people.contributor, status=AssetStatus.published, rights_expires_on=yesterday)
        approved = make_asset(session, people.contributor, status=AssetStatus.approved, rights_expires_on=yesterday)
        make_asset(session, people.contributor, rights_expires_on=yesterday)  # a draft: never out there
        last_day = make_asset(session, people.contributor, status=AssetStatus.published, rights_expires_on=today).id
        ids = published.id, approved.id
    with ctx.db.begin() as session:  # already hidden before any sweep: visibility applies the date itself
        seen = set(session.execute(select(Asset.id).where(visible_to(PUBLIC))).scalars())
        assert published.id not in seen and len(seen) == 1
        assert not set(ids) & set(session.execute(select(Asset.id).where(visible_to(actor(people.viewer)))).scalars())

    assert workflow_tasks.sweep_rights_expiry(ctx) == list(ids)
    approvers = {people.admin.id, people.approver.id, people.approver2.id}
    assert sorted(_notes(ctx)) == sorted((user, asset) for user in approvers for asset in ids)
    with ctx.db.begin() as session:
        rows = {a: session.get(Asset, a) for a in ids}
        assert rows[published.id].public_changed_at is not None and rows[approved.id].public_changed_at is None
        assert rows[published.id].status is AssetStatus.published  # the status says what was decided
        history = assets.history_of(session, published.id)
        audited = session.execute(select(func.count()).select_from(AuditEntry)
                                  .where(AuditEntry.action == "asset.rights_expired")).scalar_one()
    assert [(h["actor"], h["action"], h["comment"]) for h in history] == [("system", "rights_expired", f"{yesterday}")]
    assert audited == 2

    assert workflow_tasks.sweep_rights_expiry(ctx) == [] and len(_notes(ctx)) == 6  # once

    with ctx.db.begin() as session:  # rights renewed until next week, which then passes too
        session.get(Asset, published.id).rights_expires_on = today + dt.timedelta(days=7)
    assert workflow_tasks.sweep_rights_expiry(ctx) == []
    assert workflow_tasks.sweep_rights_expiry(ctx, today=today + dt.timedelta(days=8)) == [published.id, last_day]
    assert len(_notes(ctx)) == 12


def test_expired_rights_block_publishing(ctx, people):
    with ctx.db.begin() as session:
        asset_id = make_asset(session, people.contributor, status=AssetStatus.approved,
                              rights_expires_on=dt.date(2020, 1, 31)).id
    with pytest.raises(ValidationError) as refused, ctx.db.begin() as session:
        review.transition(session, actor(people.approver), asset_id, "publish")
    assert str(refused.value) == (f"The rights to asset {asset_id} expired on 2020-01-31; "
                                  "extend them before it can be published.")
