"""Maintenance tasks an administrator starts from the app: re-index the whole library, verify
storage. Each records its state as it goes (services.ui_admin), so the System page shows progress."""

from __future__ import annotations

from dataclasses import asdict

from procrastinate import JobContext

from tfdb_dam.jobs.queue import app, worker_context
from tfdb_dam.services import reindex, ui_admin
from tfdb_dam.services.context import Context
from tfdb_dam.services.verify import verify_storage

MAX_FINDINGS_SHOWN = 200


def run_reindex(ctx: Context) -> dict[str, object]:
    ui_admin.report_state(ctx, "reindex", state="running", done=0, total=None)

    def progress(done: int, total: int) -> None:
        ui_admin.report_state(ctx, "reindex", state="running", done=done, total=total)

    try:
        report = reindex.reindex_all(ctx, progress=progress)
    except Exception as exc:
        ui_admin.report_state(ctx, "reindex", state="failed", error=f"{type(exc).__name__}: {exc}")
        raise
    result = asdict(report)
    ui_admin.report_state(ctx, "reindex", state="done", done=report.assets, total=report.assets, result=result)
    return result


def run_verify(ctx: Context, check_hashes: bool = True) -> dict[str, object]:
    ui_admin.report_state(ctx, "verify_storage", state="running")
    try:
        report = verify_storage(ctx, check_hashes=check_hashes)
    except Exception as exc:
        ui_admin.report_state(ctx, "verify_storage", state="failed", error=f"{type(exc).__name__}: {exc}")
        raise
    result = {"assets": report.assets, "files_checked": report.files_checked, "reconciled": report.reconciled,
              "problems": len(report.findings),
              "findings": [asdict(f) for f in report.findings[:MAX_FINDINGS_SHOWN]]}
    ui_admin.report_state(ctx, "verify_storage", state="done", result=result)
    return {k: v for k, v in result.items() if k != "findings"}


@app.task(name=ui_admin.JOBS["reindex"], queue="maintenance", pass_context=True)
def reindex_task(job: JobContext) -> dict[str, object]:
    return run_reindex(worker_context(job))


@app.task(name=ui_admin.JOBS["verify_storage"], queue="maintenance", pass_context=True)
def verify_storage_task(job: JobContext, check_hashes: bool = True) -> dict[str, object]:
    return run_verify(worker_context(job), check_hashes)
