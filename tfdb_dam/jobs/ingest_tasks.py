"""The ingest tasks: process freshly stored assets, and re-process established ones on demand."""

from __future__ import annotations

from procrastinate import JobContext, RetryStrategy

from tfdb_dam.jobs.queue import app, worker_context
from tfdb_dam.services import ingest_process
from tfdb_dam.services.context import Context

# Two more tries after the first, a few seconds apart (a database restart, a full disk freed);
# the last try refuses the file with the reason instead of failing, so no asset stays half made.
RETRIES = 2
_RETRY = RetryStrategy(max_attempts=RETRIES, wait=3)


@app.task(name=ingest_process.PROCESS_TASK, queue="ingest", retry=_RETRY, pass_context=True)
def process_assets(job: JobContext, asset_ids: list[int]) -> dict[str, int]:
    return ingest_process.process_assets(worker_context(job), asset_ids,
                                         final_attempt=job.job.attempts >= RETRIES)


@app.task(name=ingest_process.REPROCESS_TASK, queue="ingest", retry=_RETRY, pass_context=True)
def reprocess_assets(job: JobContext, asset_ids: list[int]) -> dict[str, int]:
    """Read the files again (a better reader, a lost rendition); people's edits are kept."""
    return ingest_process.process_assets(worker_context(job), asset_ids, force=True,
                                         final_attempt=job.job.attempts >= RETRIES)


def recover(ctx: Context) -> int:
    """Called when a worker starts: queue processing for assets a crash left without a job."""
    return ingest_process.requeue_orphans(ctx)


def warm_up(ctx: Context) -> None:
    """Load the embedding model while the first files are decoded: their job needs it at the end."""
    ctx.encoder()
