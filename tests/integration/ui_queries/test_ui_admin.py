"""Run-time settings, maintenance jobs (queued once, state recorded, run by the real task code),
the audit log pages and export, bulk edit, and the review queue as approvers see it."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select, text

from tfdb_dam.db.models import Asset, AuditEntry
from tfdb_dam.errors import PermissionDenied, ValidationError
from tfdb_dam.jobs import admin_tasks
from tfdb_dam.services import audit, ui_admin, ui_bulk, ui_review, ui_settings


def test_runtime_settings_validate_store_and_audit(ctx, office):
    with ctx.db.begin() as session:
        assert ui_settings.runtime_settings(session)["library_per_page"] == 60
        changed = ui_settings.update_runtime_settings(session, office["admin"], {
            "notice_vi": "Bảo trì lúc 22 giờ", "library_per_page": "48", "upload_default_licence": "cc by-sa"})
    assert changed == ["notice_vi", "library_per_page", "upload_default_licence"]
    with ctx.db.begin() as session:
        values = ui_settings.runtime_settings(session)
        entries = session.execute(select(AuditEntry.object_id).where(AuditEntry.action == "setting.change")).scalars()
        assert list(entries) == changed
    assert values["library_per_page"] == 48 and values["upload_default_licence"] == "CC-BY-SA-4.0"
    with ctx.db.begin() as session:
        with pytest.raises(ValidationError):
            ui_settings.update_runtime_settings(session, office["admin"], {"library_per_page": 1000})
        with pytest.raises(PermissionDenied):
            ui_settings.update_runtime_settings(session, office["approver"], {"notice_vi": "x"})


def test_maintenance_job_is_queued_once_and_reports_its_result(ctx, office, asset):
    asset("Ngọ Môn", status="published")
    with ctx.db.begin() as session:
        assert ui_admin.start_job(session, office["admin"], "verify_storage", check_hashes=True) is True
    with ctx.db.begin() as session:
        assert ui_admin.start_job(session, office["admin"], "verify_storage", check_hashes=True) is False
        assert ui_admin.job_state(session, office["admin"], "verify_storage")["state"] == "queued"
        queued = session.execute(text("SELECT count(*) FROM procrastinate_jobs WHERE task_name = "
                                      "'admin.verify_storage'")).scalar_one()
    assert queued == 1
    admin_tasks.run_verify(ctx, check_hashes=True)  # what the worker runs for that job
    with ctx.db.begin() as session:
        state = ui_admin.job_state(session, office["admin"], "verify_storage")
    assert state["state"] == "done" and state["result"]["files_checked"] == 3 and state["result"]["problems"] == 0
    with ctx.db.begin() as session, pytest.raises(PermissionDenied):
        ui_admin.start_job(session, office["approver"], "reindex")


def test_audit_pages_filter_and_export(ctx, office):
    with ctx.db.begin() as session:
        for n in range(5):
            audit.record(session, office["admin"], "setting.change", object_type="setting", object_id=f"k{n}")
        audit.record(session, office["approver"], "asset.approve", object_type="asset", object_id="7")
    with ctx.db.begin() as session:
        first = ui_admin.audit_entries(session, office["admin"], action="setting", limit=3)
        rest = ui_admin.audit_entries(session, office["admin"], action="setting", limit=3,
                                      before_id=first.next_before)
        by_who = ui_admin.audit_entries(session, office["admin"], who="approver")
        with pytest.raises(PermissionDenied):
            ui_admin.audit_entries(session, office["approver"])
    assert [e.object_id for e in first.entries] == ["k4", "k3", "k2"] and first.next_before is not None
    assert [e.object_id for e in rest.entries] == ["k1", "k0"] and rest.next_before is None
    assert [e.action for e in by_who.entries] == ["asset.approve"]
    data = ui_admin.export_audit_csv(ctx, office["admin"])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["id", "at", "actor", "action"]
    # six entries, then the export itself, recorded before the log is read
    assert [row[3] for row in rows[1:]] == ["setting.change"] * 5 + ["asset.approve", "audit.export"]


def test_bulk_edit_reports_each_asset(ctx, office, asset):
    mine = asset("Của tôi", status="draft")
    theirs = asset("Của người khác", status="published", owner="approver")  # seen, not editable
    outcomes = ui_bulk.edit_many(ctx, office["contributor"], [mine, theirs],
                                 {"credit": "Trần Văn Bình", "tags": ["Huế", "di sản"]})
    assert [(o.id, o.ok) for o in outcomes] == [(mine, True), (theirs, False)]
    assert set(outcomes[0].changed) == {"credit", "tags"} and "belongs to someone else" in outcomes[1].error
    with ctx.db.begin() as session:
        edited = session.get(Asset, mine)
        assert edited.credit == "Trần Văn Bình" and edited.field_sources["credit"] == "manual"
    with pytest.raises(ValidationError):
        ui_bulk.edit_many(ctx, office["contributor"], [mine], {})


def test_review_queue_oldest_first_with_what_is_missing(ctx, office, asset):
    old = asset("Ảnh cũ", status="submitted", credit=None)
    new = asset("Ảnh mới", status="submitted")
    asset("Đã duyệt", status="approved")
    with ctx.db.begin() as session:
        queue = ui_review.review_queue(session, ctx, office["approver"], "submitted")
        with pytest.raises(PermissionDenied):
            ui_review.review_queue(session, ctx, office["contributor"])
    assert [i.hit.asset_id for i in queue.items] == [old, new]
    assert queue.items[0].missing == ["credit"] and queue.items[1].missing == []
    assert queue.counts == {"submitted": 2, "approved": 1}
