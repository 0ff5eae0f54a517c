"""The audit trail is append-only for the app and tamper-evident for everyone else."""

from __future__ import annotations

import csv
import io
import json

import psycopg
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from tests.integration.workflow.factory import actor, make_asset
from tfdb_dam.db.models import AssetStatus, AuditEntry
from tfdb_dam.errors import PermissionDenied
from tfdb_dam.jobs.queue import conninfo
from tfdb_dam.services import audit, review


def _some_history(ctx, people) -> list[int]:  # noqa: ANN001
    """A few real workflow steps, each leaving an audit entry; returns the entries' ids."""
    with ctx.db.begin() as session:
        ids = [make_asset(session, people.contributor).id for _ in range(3)]
    for asset_id in ids:
        review.act(ctx, actor(people.contributor), asset_id, "submit")
        review.act(ctx, actor(people.approver), asset_id, "approve")
    with ctx.db.begin() as session:
        return list(session.execute(select(AuditEntry.id).order_by(AuditEntry.id)).scalars())


def _behind_the_apps_back(ctx, sql: str, **params) -> None:  # noqa: ANN003
    """As the database superuser: lift the append-only trigger, change the log, put the trigger back."""
    with psycopg.connect(conninfo(ctx.db.url), autocommit=True) as conn:
        conn.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
        conn.execute(sql, params)
        conn.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only")


def _verify(ctx):  # noqa: ANN202
    with ctx.db.begin() as session:
        return audit.verify(session)


def test_the_app_itself_cannot_change_or_delete_an_entry(ctx, people):
    ids = _some_history(ctx, people)
    for statement in ("UPDATE audit_log SET actor = 'x' WHERE id = :id", "DELETE FROM audit_log WHERE id = :id"):
        with pytest.raises(DBAPIError, match="append-only"), ctx.db.begin() as session:
            session.execute(text(statement), {"id": ids[2]})
    report = _verify(ctx)
    assert report.ok and report.entries == len(ids) == 6 and report.head_id == ids[-1]


def test_verify_catches_an_edited_entry_and_deleted_ones_in_the_middle_and_at_the_end(ctx, people):
    ids = _some_history(ctx, people)
    _behind_the_apps_back(ctx, "UPDATE audit_log SET details = details || '{\"comment\": \"ok\"}' WHERE id = %(id)s",
                          id=ids[1])
    assert [p.problem for p in _verify(ctx).problems] == [f"Entry {ids[1]} was edited after it was written."]

    _behind_the_apps_back(ctx, "DELETE FROM audit_log WHERE id = %(id)s", id=ids[3])
    problems = [p.problem for p in _verify(ctx).problems]
    assert f"Entry {ids[4]} does not follow the chain: an entry before it was deleted or changed." in problems
    assert problems[-1] == f"The log holds {len(ids) - 1} entries but {len(ids)} were written."

    _behind_the_apps_back(ctx, "DELETE FROM audit_log WHERE id = %(id)s", id=ids[-1])
    problems = [p.problem for p in _verify(ctx).problems]
    assert problems[-1].startswith(f"The log ends at entry {ids[-2]} but entry {ids[-1]} was written last")


def test_cli_audit_verify_exits_1_on_an_edited_row_and_on_a_deleted_row(ctx, people, tfdb, run_cli):
    ids = _some_history(ctx, people)
    _behind_the_apps_back(ctx, "UPDATE audit_log SET actor = 'someone-else' WHERE id = %(id)s", id=ids[0])
    edited = tfdb("audit", "verify", "--json")
    assert edited.returncode == 1, edited.stderr
    assert json.loads(edited.stdout)["problems"] == [f"Entry {ids[0]} was edited after it was written."]

    _behind_the_apps_back(ctx, "UPDATE audit_log SET actor = 'hoa' WHERE id = %(id)s", id=ids[0])  # put back
    assert _verify(ctx).ok
    _behind_the_apps_back(ctx, "DELETE FROM audit_log WHERE id = %(id)s", id=ids[2])
    code, out, _ = run_cli("audit", "verify")
    assert code == 1
    assert f"Entry {ids[3]} does not follow the chain" in out and "2 problem(s)" in out


def test_only_admins_export_the_log_and_the_export_is_itself_recorded(ctx, people, run_cli, tmp_path):
    _some_history(ctx, people)
    with ctx.db.begin() as session:
        with pytest.raises(PermissionDenied, match="Only an administrator"):
            audit.export(session, actor(people.approver))
    with ctx.db.begin() as session:
        rows = list(csv.DictReader(io.StringIO("".join(audit.export(session, actor(people.admin))))))
    assert [r["action"] for r in rows][-1] == "audit.export" and rows[-1]["actor"] == "quantri"
    assert json.loads(rows[0]["details"])["from"] == AssetStatus.draft.value
    out = tmp_path / "audit.csv"
    code, _, err = run_cli("audit", "export", "--output", str(out), "--as", "quantri")
    assert code == 0, err
    assert run_cli("audit", "export", "--as", "lan")[::2] == (
        1, "tfdb: Only an administrator can read or export the whole audit log.\n")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("id,at,actor,action") and len(lines) == len(rows) + 2  # header + the new export
    assert _verify(ctx).ok
