"""The job queue: procrastinate on our PostgreSQL, the registry of task modules, transactional deferring.

Other teams add background work by writing a module that declares tasks on ``app`` (with an
explicit ``name=``) and appending the module to ``TASK_MODULES``. A task module may also define
``recover(ctx) -> int``, called when a worker starts, to re-queue work a crash left behind, and
``warm_up(ctx)``, run in a background thread when a worker starts (load a model early).
Jobs carry only ids and must be idempotent: a job may run again after a crash or a retry.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType
from typing import Any

from procrastinate import App, JobContext, PsycopgConnector, SyncPsycopgConnector
from procrastinate.manager import JobManager
from sqlalchemy import text
from sqlalchemy.orm import Session

from tfdb_dam.services.context import Context

TASK_MODULES: tuple[str, ...] = (
    "tfdb_dam.jobs.ingest_tasks",
    "tfdb_dam.jobs.workflow_tasks",
    "tfdb_dam.jobs.search_tasks",
    "tfdb_dam.jobs.admin_tasks",
)

# A worker that has not beaten its heart for this long is taken for dead and its job re-queued.
# Heartbeats come from a thread that job bodies never block (see jobs.worker).
HEARTBEAT_S = 5.0
STALLED_AFTER_S = 30.0

# The connector is replaced by one for the configured database when a worker runs; deferring
# always uses the caller's own connection, so this placeholder is never opened.
app = App(connector=PsycopgConnector(), import_paths=list(TASK_MODULES))
# Defers jobs on connections callers pass in; it never opens a pool of its own.
_CALLERS_CONNECTION = JobManager(connector=SyncPsycopgConnector())


def conninfo(url: str) -> str:
    """libpq's form of our SQLAlchemy URL (procrastinate talks to psycopg directly)."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def connector_for(ctx: Context) -> PsycopgConnector:
    return PsycopgConnector(conninfo=conninfo(ctx.db.url), min_size=1, max_size=4,
                            kwargs={"application_name": "tfdb-dam-worker"})


def task_modules() -> Iterator[ModuleType]:
    for name in TASK_MODULES:
        yield importlib.import_module(name)


def defer(session: Session, task_name: str, *, queueing_lock: str | None = None,
          **task_kwargs: Any) -> int:
    """Queue a job inside the session's transaction: it exists if and only if the caller commits."""
    connection = session.connection().connection.driver_connection
    options: dict[str, Any] = {"queueing_lock": queueing_lock} if queueing_lock else {}
    job = app.configure_task(task_name, **options).make_new_job(**task_kwargs)
    # Always the synchronous path on the caller's connection, even inside a worker whose app
    # holds an open asynchronous pool (procrastinate would then try to await a sync cursor).
    deferred = _CALLERS_CONNECTION.defer_job(job, connection=connection)
    assert deferred.id is not None
    return deferred.id


def worker_context(job: JobContext) -> Context:
    """The Context of the worker running ``job`` (tasks declared with ``pass_context=True``)."""
    return job.additional_context["ctx"]


def retry_stalled_jobs(ctx: Context, *, older_than_s: float = STALLED_AFTER_S) -> int:
    """Put back in the queue the jobs of workers that died mid-job (killed, machine lost)."""
    with ctx.db.begin() as session:
        session.execute(text("SELECT procrastinate_prune_stalled_workers_v1(:s)"), {"s": older_than_s})
        stalled = session.execute(text(
            "SELECT job.id FROM procrastinate_jobs job "
            "LEFT JOIN procrastinate_workers w ON w.id = job.worker_id "
            "WHERE job.status = 'doing' AND w.id IS NULL FOR UPDATE OF job SKIP LOCKED")).scalars().all()
        for job_id in stalled:
            session.execute(text("SELECT procrastinate_retry_job_v2(:id, now(), NULL, NULL, NULL)"),
                            {"id": job_id})
    return len(stalled)


def recover(ctx: Context) -> int:
    """Re-queue what crashes left behind: stalled jobs, then each task module's own recovery."""
    count = retry_stalled_jobs(ctx)
    for module in task_modules():
        hook = getattr(module, "recover", None)
        if hook is not None:
            count += hook(ctx)
    return count
