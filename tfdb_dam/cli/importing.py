"""`tfdb import`, `tfdb watch` and `tfdb worker`: files in, outcomes out, background work done."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from tfdb_dam.cli.output import context, emit_json, say, warn
from tfdb_dam.errors import NotFound, UsageError

# The services below pull in the media readers, the job queue and watchdog: imported when a
# command of this module runs, so that every other `tfdb` command starts without them.
if TYPE_CHECKING:
    from tfdb_dam.services.actors import Actor
    from tfdb_dam.services.context import Context
    from tfdb_dam.services.ingest_metadata import ImportMetadata
    from tfdb_dam.services.ingest_store import Outcome


# Storing a group (ingest_process.GROUP_SIZE files, 8) holds one connection per file for its
# SHA lock plus two for the rows; a smaller pool would open and close the rest at every group.
_POOL_SIZE = 12


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    imp = subparsers.add_parser("import", parents=[common], help="import files and folders (recursively)")
    imp.add_argument("paths", nargs="+", metavar="PATH")
    imp.add_argument("--metadata", type=Path, metavar="FILE.csv", help="metadata for the files, by file name")
    _add_ingest_options(imp)
    imp.set_defaults(handler=run_import)

    watch = subparsers.add_parser("watch", parents=[common], help="import files as they arrive in a folder")
    watch.add_argument("folder", type=Path)
    watch.add_argument("--settle-seconds", type=float, default=5.0, metavar="S",
                       help="import a file once its size has not changed for S seconds (default 5)")
    _add_ingest_options(watch)
    watch.set_defaults(handler=run_watch)

    worker = subparsers.add_parser("worker", parents=[common], help="run background job workers")
    worker.add_argument("--concurrency", type=int, default=0, metavar="N",
                        help="worker processes (default: TFDB_WORKERS, one per core)")
    worker.add_argument("--until-idle", action="store_true", help="stop once the queue is empty")
    worker.set_defaults(handler=run_worker_command)


def _add_ingest_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--by", metavar="USER", help="the user the assets are created by (default: system)")
    parser.add_argument("--workers", type=int, default=None, metavar="N",
                        help="worker processes to start (default: one per core; 0: rely on running workers)")


def _actor(ctx: "Context", username: str | None) -> "Actor":
    from tfdb_dam.services import users
    from tfdb_dam.services.actors import SYSTEM

    if not username:
        return SYSTEM
    with ctx.db.begin() as session:
        try:
            return users.actor_for(session, username)
        except NotFound as exc:
            raise UsageError("cli.by_unknown", name=repr(username)) from exc


def _worker_count(ctx: "Context", requested: int | None) -> int:
    if requested is not None and requested < 0:
        raise UsageError("cli.workers")
    return ctx.config.worker_count if requested is None else requested


class _Report:
    """Prints each outcome as it is final, a progress bar on a terminal, and the summary."""

    def __init__(self, as_json: bool, total: int | None) -> None:
        self.as_json, self.total, self.rows, self.started = as_json, total, [], time.monotonic()
        self.bar = sys.stderr.isatty() and total is not None and total > 1

    def add(self, outcome: "Outcome") -> None:
        self.rows.append(outcome)
        if not self.as_json:
            self._clear_bar()
            detail = f": {outcome.error}" if outcome.error else f" (asset {outcome.asset_id})"
            say(f"{outcome.status:<9} {outcome.path}{detail}")
        self._draw_bar()

    @property
    def rejected(self) -> int:
        return sum(o.status == "rejected" for o in self.rows)

    def _rate(self) -> float:
        return len(self.rows) / max(time.monotonic() - self.started, 1e-6)

    def _draw_bar(self) -> None:
        if not self.bar:
            return
        done, rate = len(self.rows), self._rate()
        left = (self.total - done) / rate if rate > 0 else 0
        filled = int(30 * done / self.total)
        sys.stderr.write(f"\r[{'#' * filled}{' ' * (30 - filled)}] {done}/{self.total} files"
                         f"  {rate:.1f} files/s  {int(left) // 60}:{int(left) % 60:02d} left ")
        sys.stderr.flush()

    def _clear_bar(self) -> None:
        if self.bar:
            sys.stderr.write("\r\033[K")

    def finish(self) -> None:
        self._clear_bar()
        if self.as_json:
            emit_json([o.as_dict() for o in self.rows])
        counts = {s: sum(o.status == s for o in self.rows) for s in ("imported", "duplicate", "rejected")}
        elapsed = time.monotonic() - self.started
        line = (f"{len(self.rows)} file(s): {counts['imported']} imported, {counts['duplicate']} duplicate(s), "
                f"{counts['rejected']} rejected in {elapsed:.1f} s ({self._rate():.1f} files/s).")
        print(line, file=sys.stderr if self.as_json else sys.stdout, flush=True)


def _read_metadata(path: Path | None) -> "ImportMetadata | None":
    from tfdb_dam.services.ingest_metadata import read_metadata_csv

    if path is None:
        return None
    metadata = read_metadata_csv(path)
    if metadata.unknown_columns:
        warn(f"The metadata file has columns this import does not know, which are ignored: "
             f"{', '.join(metadata.unknown_columns)}.")
    return metadata


def run_import(args: argparse.Namespace) -> int:
    from tfdb_dam.services.ingest import iter_files
    from tfdb_dam.services.ingest_metadata import check_categories
    from tfdb_dam.services.ingest_run import import_files

    paths = [Path(p) for p in args.paths]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError("cli.no_such_path", paths=", ".join(missing))
    metadata = _read_metadata(args.metadata)
    ctx = context(pool_size=_POOL_SIZE)
    try:
        actor = _actor(ctx, args.by)
        if metadata:
            with ctx.db.begin() as session:
                check_categories(session, metadata)
        files = list(iter_files(paths))
        report = _Report(args.json, len(files))
        for outcome in import_files(ctx, actor, files, metadata, workers=_worker_count(ctx, args.workers)):
            report.add(outcome)
        report.finish()
    finally:
        ctx.close()
    return 1 if report.rejected else 0


def run_watch(args: argparse.Namespace) -> int:
    from tfdb_dam.services.ingest_run import watch_folder

    if not args.folder.is_dir():
        raise UsageError("cli.not_a_folder", path=args.folder)
    if args.settle_seconds < 0:
        raise UsageError("cli.settle_seconds")
    ctx = context(pool_size=_POOL_SIZE)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    try:
        actor = _actor(ctx, args.by)
        report = _Report(args.json, None)
        if not args.json:
            say(f"Watching {args.folder}; stop with Ctrl+C.")
        for outcome in watch_folder(ctx, actor, args.folder, settle_s=args.settle_seconds,
                                    workers=_worker_count(ctx, args.workers), stop=stop):
            report.add(outcome)
        report.finish()
    finally:
        ctx.close()
    return 1 if report.rejected else 0


def run_worker_command(args: argparse.Namespace) -> int:
    from tfdb_dam.jobs.worker import configure_logging, run_worker, spawn_workers

    if args.concurrency < 0:
        raise UsageError("cli.concurrency")
    configure_logging(jobs=True)
    ctx = context()
    try:
        count = args.concurrency or ctx.config.worker_count
        threads = max(1, (os.cpu_count() or 1) // count)
        if count == 1:
            run_worker(ctx, wait=not args.until_idle, threads=threads)
            return 0
        env = dict(os.environ, TFDB_HOME=str(ctx.config.home),
                   DATABASE_URL=ctx.config.database_url or ctx.db.url)
        return _supervise(spawn_workers(count, env, threads=threads, until_idle=args.until_idle, log_jobs=True))
    finally:
        ctx.close()


def _supervise(procs: list[subprocess.Popen]) -> int:
    from tfdb_dam.jobs.worker import stop_workers

    stopping = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopping.set())
    while not stopping.is_set() and any(p.poll() is None for p in procs):
        stopping.wait(1.0)
    stop_workers(procs)
    return 0 if all(p.returncode in (0, None) for p in procs) else 1
