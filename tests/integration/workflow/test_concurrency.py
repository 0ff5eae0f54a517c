"""Optimistic locking under real concurrency: two people act on one asset at once, one wins.

Each contender runs in its own thread with its own database session and transaction.
"""

from __future__ import annotations

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from tests.integration.workflow.factory import actor, make_asset
from tfdb_dam.db.models import Asset, AssetStatus, AuditEntry, ReviewEvent
from tfdb_dam.errors import ConcurrentEdit
from tfdb_dam.services import review
from tfdb_dam.services.metadata import edit_metadata

CHANGED_BY = r"Asset {id} was changed by (lan|minh|hoa|tuan) at \d\d:\d\d; reload it and try again\."


def _race(*calls):  # noqa: ANN002, ANN202
    """Run the calls at the same moment in threads; returns each result or the error it raised."""
    barrier = threading.Barrier(len(calls))

    def run(call):  # noqa: ANN001, ANN202
        barrier.wait()
        try:
            return call()
        except ConcurrentEdit as exc:
            return exc

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def _decide(ctx, who, asset_id, action, version, comment=None):  # noqa: ANN001, ANN202
    def call():  # noqa: ANN202
        with ctx.db.begin() as session:
            return review.transition(session, actor(who), asset_id, action, expected_version=version,
                                     comment=comment).status
    return call


def test_two_approvers_deciding_at_once_exactly_one_wins_and_the_other_is_told_who(ctx, people):
    for _ in range(3):  # a few rounds, so both orders of arrival get their chance
        with ctx.db.begin() as session:
            asset = make_asset(session, people.contributor, status=AssetStatus.submitted,
                               submitted_by=people.contributor)
            asset_id, seen = asset.id, asset.version
        results = _race(_decide(ctx, people.approver, asset_id, "approve", seen),
                        _decide(ctx, people.approver2, asset_id, "reject", seen, "Ảnh trùng."))
        wins = [r for r in results if isinstance(r, AssetStatus)]
        losses = [r for r in results if isinstance(r, ConcurrentEdit)]
        assert len(wins) == 1 and len(losses) == 1, results
        winner = "lan" if wins[0] is AssetStatus.approved else "minh"
        assert re.fullmatch(CHANGED_BY.format(id=asset_id), str(losses[0]))
        assert f"changed by {winner} at" in str(losses[0])
        with ctx.db.begin() as session:
            row = session.get(Asset, asset_id)
            decisions = session.execute(select(ReviewEvent.action)
                                        .where(ReviewEvent.asset_id == asset_id)).scalars().all()
        assert row.status is wins[0] and row.version == seen + 1
        assert decisions == ["approve" if winner == "lan" else "reject"]


def test_the_second_waits_for_the_first_and_then_refuses_instead_of_overwriting(ctx, people):
    with ctx.db.begin() as session:
        asset = make_asset(session, people.contributor, status=AssetStatus.submitted, submitted_by=people.contributor)
        asset_id, seen = asset.id, asset.version
    first = ctx.db.sessions()
    first.begin()
    review.transition(first, actor(people.approver), asset_id, "approve", expected_version=seen)  # holds the row
    with ThreadPoolExecutor(1) as pool:
        second = pool.submit(_decide(ctx, people.approver2, asset_id, "reject", seen, "Không đạt."))
        time.sleep(0.5)
        assert not second.done()  # blocked on the row lock, not acting on what it read before
        first.commit()
        first.close()
        with pytest.raises(ConcurrentEdit, match="changed by lan at"):
            second.result(timeout=30)
    with ctx.db.begin() as session:
        assert session.get(Asset, asset_id).status is AssetStatus.approved


def test_two_editors_at_once_one_wins_and_the_other_loses_nothing_by_retrying(ctx, people):
    with ctx.db.begin() as session:
        asset = make_asset(session, people.contributor, credit=None)
        asset_id, seen = asset.id, asset.version

    def edit(who, changes, version):  # noqa: ANN001, ANN202
        def call():  # noqa: ANN202
            with ctx.db.begin() as session:
                return edit_metadata(session, ctx, actor(who), asset_id, changes, expected_version=version).changed
        return call

    title = {"title_vi": "Lễ hội Huế 2026"}
    credit = {"credit": "Trung tâm Bảo tồn Di tích Cố đô Huế"}
    results = _race(edit(people.contributor, title, seen), edit(people.approver, credit, seen))
    losses = [r for r in results if isinstance(r, ConcurrentEdit)]
    assert len(losses) == 1 and re.fullmatch(CHANGED_BY.format(id=asset_id), str(losses[0]))
    lost_changes, lost_editor = (title, people.contributor) if results[0] is losses[0] else (credit, people.approver)
    with ctx.db.begin() as session:
        row = session.get(Asset, asset_id)
        assert row.version == seen + 1
        assert session.execute(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "asset.edit", AuditEntry.object_id == str(asset_id))).scalar_one() == 1
    assert edit(lost_editor, lost_changes, seen + 1)() == list(lost_changes)  # reload, apply again
    with ctx.db.begin() as session:
        row = session.get(Asset, asset_id)
        assert (row.title_vi, row.credit, row.version) == (title["title_vi"], credit["credit"], seen + 2)
