"""Background work of the workflow: emailing notifications and the rights-expiry sweep.

Plain functions of a Context, each idempotent and keyed by ids only, so that the job queue can
run them as tasks (one email; the pending-email flush and the sweep periodically) and the CLI
and tests can call them directly.
"""

from __future__ import annotations

import datetime as dt
import logging

from procrastinate import JobContext

from tfdb_dam.jobs.queue import app, worker_context
from tfdb_dam.services import notify, rights
from tfdb_dam.services.context import Context

log = logging.getLogger(__name__)


def send_notification_email(ctx: Context, notification_id: int) -> str:
    """Email one notification if it is still due: sent, skipped, retry, failed or unreachable."""
    return notify.deliver(ctx, notification_id)


def send_pending_emails(ctx: Context) -> notify.DeliveryReport:
    """Every due email, including retries of earlier failures (run every minute)."""
    report = notify.deliver_pending(ctx)
    if report.sent or report.failed:
        log.info("Notification emails: %s sent, %s failed.", report.sent, report.failed)
    return report


def sweep_rights_expiry(ctx: Context, today: dt.date | None = None) -> list[int]:
    """Report every asset whose rights ended (once per expiry date), then email the approvers."""
    with ctx.db.begin() as session:
        candidates = rights.expired_unreported(session, today)
    reported = []
    for asset_id in candidates:  # one transaction each: a locked asset waits for the next run
        with ctx.db.begin() as session:
            if rights.report_expiry(session, asset_id, today):
                reported.append(asset_id)
    if reported:
        log.info("Rights expired for %s asset(s): %s.", len(reported), reported)
        notify.deliver_pending(ctx)
    return reported


# Queue wiring: the functions above, as tasks of the shared app (jobs.queue.TASK_MODULES lists
# this module). Email retries are scheduled by the outbox itself (notify.RETRY_BASE), so the
# tasks never raise for a failed send and procrastinate's own retry stays off.

@app.task(name=notify.EMAIL_TASK, queue="mail", pass_context=True)
def send_notification_email_task(job: JobContext, notification_id: int) -> str:
    return send_notification_email(worker_context(job), notification_id)


@app.periodic(cron="* * * * *", periodic_id="pending-emails")
@app.task(name="workflow.send_pending_emails", queue="mail", pass_context=True,
          queueing_lock="workflow.send_pending_emails")
def send_pending_emails_task(job: JobContext, timestamp: int) -> dict[str, int]:
    report = send_pending_emails(worker_context(job))
    return {"sent": report.sent, "failed": report.failed, "skipped": report.skipped}


@app.periodic(cron="5 * * * *", periodic_id="rights-expiry")
@app.task(name="workflow.sweep_rights_expiry", pass_context=True,
          queueing_lock="workflow.sweep_rights_expiry")
def sweep_rights_expiry_task(job: JobContext, timestamp: int) -> list[int]:
    # Hourly rather than daily: a worker that was down at midnight still catches up soon.
    return sweep_rights_expiry(worker_context(job))
