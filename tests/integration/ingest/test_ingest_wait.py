"""Waiting for queued files: each outcome is handed back as soon as its job's message arrives."""

from __future__ import annotations

import time

from tfdb_dam.services.ingest_process import notify
from tfdb_dam.services.ingest_store import Outcome
from tfdb_dam.services.ingest_wait import OutcomeWatcher


def test_poll_returns_what_has_arrived_without_waiting_for_the_rest(ctx):
    with OutcomeWatcher(ctx) as watcher:
        for asset_id in (1, 2, 3):
            assert watcher.track(Outcome(f"{asset_id}.jpg", "queued", asset_id)) is None
        with ctx.db.begin() as session:  # one job's commit: its messages arrive together
            notify(session, [1], "imported")
            notify(session, [2], "rejected", "The image is truncated or corrupt and cannot be decoded.")
        started = time.monotonic()
        done = watcher.poll(10.0)
        assert time.monotonic() - started < 3  # not the whole 10 s the third file may still take
        assert {(o.path, o.status, o.asset_id) for o in done} == {("1.jpg", "imported", 1), ("2.jpg", "rejected", None)}
        assert watcher.outstanding == 1
        assert watcher.poll(0) == []
