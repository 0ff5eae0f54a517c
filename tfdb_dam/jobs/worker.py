"""Running workers: each process runs one job at a time on its main thread; one process per core.

procrastinate runs synchronous tasks in a helper thread, but the parse time limit
(media.limits.run_with_time_limit) needs SIGALRM, which only the main thread receives. So the
queue's event loop (fetching, heartbeats, LISTEN) lives in a background thread and hands each
job body to the main thread, which also keeps heartbeats flowing during long jobs.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any

from procrastinate.worker import Worker

from tfdb_dam.jobs import queue as job_queue
from tfdb_dam.services.context import Context

log = logging.getLogger(__name__)
_THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


class _MainThread:
    """A one-slot executor serviced by the main thread."""

    def __init__(self) -> None:
        self._calls: queue.Queue[tuple[Callable[[], Any], concurrent.futures.Future] | None] = queue.Queue()

    def middleware(self, call_next: Callable[[], Any], _context: Any, _worker: Any) -> Any:
        future: concurrent.futures.Future = concurrent.futures.Future()
        self._calls.put((call_next, future))
        return future.result()

    def serve(self) -> None:
        while (item := self._calls.get()) is not None:
            call, future = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(call())
            except BaseException as exc:  # handed back to the queue's thread, which records it
                future.set_exception(exc)

    def close(self) -> None:
        self._calls.put(None)


def configure_logging(*, jobs: bool) -> None:
    """Warnings and errors to stderr; with ``jobs``, each job's start and end too (a daemon's log)."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if jobs:
        logging.getLogger("procrastinate.worker").setLevel(logging.INFO)


def pin_threads(threads: int) -> None:
    """Give this process ``threads`` compute threads (torch, BLAS), so N workers share N cores."""
    for name in _THREAD_VARIABLES:
        os.environ[name] = str(threads)  # read by torch and BLAS when they load (later, lazily)
    torch = sys.modules.get("torch")
    if torch is not None:  # already loaded: pin it now rather than import it here (seconds)
        torch.set_num_threads(threads)


def run_worker(ctx: Context, *, wait: bool = True, threads: int = 1,
               stop_on_eof: bool = False) -> None:
    """Process jobs until stopped (SIGTERM, SIGINT, end of stdin) or, with ``wait=False``, idle."""
    pin_threads(threads)
    main = _MainThread()
    failure: list[BaseException] = []
    stop = threading.Event()
    with job_queue.app.replace_connector(job_queue.connector_for(ctx)) as app:
        app.perform_import_paths()
        worker = Worker(app=app, wait=wait, concurrency=1, name=f"tfdb-{os.getpid()}",
                        install_signal_handlers=False, additional_context={"ctx": ctx},
                        task_middleware=[main.middleware], delete_jobs="successful",
                        update_heartbeat_interval=job_queue.HEARTBEAT_S,
                        stalled_worker_timeout=job_queue.STALLED_AFTER_S)
        loop_thread = threading.Thread(target=_loop, args=(ctx, worker, main, failure, stop),
                                       name="job-queue", daemon=True)
        restore = _stop_on_signals(stop)
        try:
            _warm_up(ctx)
            loop_thread.start()
            if stop_on_eof:
                _stop_at_end_of_stdin(stop)
            main.serve()
            loop_thread.join()
        finally:
            restore()
    if failure:
        raise failure[0]


def _warm_up(ctx: Context) -> None:
    """Let task modules load what their jobs need (a model) while the first jobs start."""
    for module in job_queue.task_modules():
        hook = getattr(module, "warm_up", None)
        if hook is not None:
            threading.Thread(target=_quietly, args=(hook, ctx), name=f"warm-up {module.__name__}",
                             daemon=True).start()


def _quietly(hook: Callable[[Context], Any], ctx: Context) -> None:
    try:
        hook(ctx)
    except Exception:  # the job that needs it will meet the same error and report it properly
        log.warning("Warming up %s failed.", hook.__module__, exc_info=True)


def _loop(ctx: Context, worker: Worker, main: _MainThread, failure: list[BaseException],
          stop: threading.Event) -> None:
    try:
        asyncio.run(_run(ctx, worker, stop))
    except BaseException as exc:
        failure.append(exc)
    finally:
        main.close()


async def _run(ctx: Context, worker: Worker, stop: threading.Event) -> None:
    async with worker.app.open_async():
        recovered = await asyncio.to_thread(job_queue.recover, ctx)
        if recovered:
            log.info("Re-queued %d job(s) left behind by a crash.", recovered)
        helpers = [asyncio.create_task(_retry_stalled_periodically(ctx)),
                   asyncio.create_task(_stop_when_asked(worker, stop))]
        try:
            await worker.run()
        finally:
            for helper in helpers:
                helper.cancel()


async def _stop_when_asked(worker: Worker, stop: threading.Event) -> None:
    # Signals and the parent's death set ``stop`` from other threads, possibly before the worker
    # loop exists (a stop requested then would be forgotten when it starts); this task, started
    # with the loop, relays it: the worker finishes its current job, then exits.
    while not stop.is_set():
        await asyncio.sleep(0.25)
    worker.stop()


async def _retry_stalled_periodically(ctx: Context) -> None:
    # Long-running workers (tfdb serve) take over the jobs of peers that died mid-job.
    while True:
        await asyncio.sleep(job_queue.STALLED_AFTER_S)
        try:
            await asyncio.to_thread(job_queue.retry_stalled_jobs, ctx)
        except Exception:  # a database hiccup must not stop the worker; the next round retries
            log.exception("Could not look for stalled jobs.")


def _stop_on_signals(stop: threading.Event) -> Callable[[], None]:
    def request(_signum: int, _frame: Any) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, request) for sig in (signal.SIGTERM, signal.SIGINT)}
    return lambda: [signal.signal(sig, handler) for sig, handler in previous.items()]


def _stop_at_end_of_stdin(stop: threading.Event) -> None:
    """A worker started by `tfdb import` stops (after its current job) when its parent is gone."""
    def watch() -> None:
        try:
            while os.read(0, 4096):  # the raw descriptor: a buffered read would hold a lock at exit
                pass
        finally:
            stop.set()

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def spawn_workers(count: int, env: dict[str, str], *, threads: int = 1, until_idle: bool = False,
                  log_jobs: bool = False) -> list[subprocess.Popen]:
    """Start ``count`` worker processes that stop when this process closes their stdin or dies."""
    env = {"HF_HUB_DISABLE_PROGRESS_BARS": "1", **env}  # no model-loading bars over the import's output
    command = [sys.executable, "-m", "tfdb_dam.jobs", "--threads", str(threads), "--stop-with-parent"]
    command += (["--until-idle"] if until_idle else []) + (["--log-jobs"] if log_jobs else [])
    return [subprocess.Popen(command, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
            for _ in range(count)]


def stop_workers(procs: list[subprocess.Popen], *, timeout: float = 120) -> None:
    """Ask spawned workers to finish their current job and exit; wait for them."""
    for proc in procs:
        if proc.stdin:
            proc.stdin.close()
    for proc in procs:
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.terminate()
            proc.wait(timeout=30)
