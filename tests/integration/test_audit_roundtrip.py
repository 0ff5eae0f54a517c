"""The audit chain survives PostgreSQL's round trip, and after-commit actions respect savepoints."""

from __future__ import annotations

import unicodedata

from tfdb_dam.db.engine import after_commit
from tfdb_dam.services import audit
from tfdb_dam.services.actors import SYSTEM


def test_values_that_jsonb_rewrites_do_not_look_like_tampering(ctx):
    nfd_name = unicodedata.normalize("NFD", "Lễ hội Huế.jpg")
    with ctx.db.begin() as session:
        audit.record(session, SYSTEM, "asset.create", object_type="asset", object_id=1,
                     details={"file": nfd_name, "big": 1e16, "neg": -0.0, "nul": "a\x00b",
                              nfd_name: [1.50, {"z": 1, "a": 2}]})
    with ctx.db.begin() as session:
        report = audit.verify(session)
        assert report.ok, report.problems
        entry = audit.history(session, "asset", 1)[0]
    assert entry.details["file"] == unicodedata.normalize("NFC", nfd_name)
    assert entry.details["nul"] == "a\ufffdb"


def test_entries_of_a_rolled_back_transaction_are_not_chained(ctx):
    try:
        with ctx.db.begin() as session:
            audit.record(session, SYSTEM, "asset.create", object_type="asset", object_id=7)
            raise RuntimeError("the act failed")
    except RuntimeError:
        pass
    with ctx.db.begin() as session:
        audit.record(session, SYSTEM, "asset.create", object_type="asset", object_id=8)
    with ctx.db.begin() as session:
        report = audit.verify(session)
        assert report.ok and report.entries == 1
        assert audit.history(session, "asset", 7) == []


def test_after_commit_waits_for_the_outer_commit_and_drops_rolled_back_savepoints(ctx):
    ran: list[str] = []
    session = ctx.db.sessions()
    with session.begin():
        after_commit(session, lambda: ran.append("outer"))
        nested = session.begin_nested()
        after_commit(session, lambda: ran.append("kept savepoint"))
        nested.commit()
        assert ran == [], "releasing a savepoint is not the commit"
        nested = session.begin_nested()
        after_commit(session, lambda: ran.append("rolled back savepoint"))
        nested.rollback()
    session.close()
    assert ran == ["outer", "kept savepoint"]


def test_after_commit_never_runs_on_rollback(ctx):
    ran: list[str] = []
    session = ctx.db.sessions()
    session.begin()
    after_commit(session, lambda: ran.append("x"))
    session.rollback()
    with session.begin():
        pass
    session.close()
    assert ran == []
