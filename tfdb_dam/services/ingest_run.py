"""Whole import runs: files or a watched folder in, final outcomes out as each one is known.

An import brings its own worker processes (one per core unless told otherwise) and returns
only when every accepted file is processed and searchable. Workers it starts stop when it ends
or dies; jobs they leave are taken up by the next worker that starts.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from tfdb_dam.errors import TfdbError
from tfdb_dam.jobs.worker import spawn_workers, stop_workers
from tfdb_dam.services.actors import Actor
from tfdb_dam.services.context import Context
from tfdb_dam.services.ingest import Importer, iter_files
from tfdb_dam.services.ingest_metadata import ImportMetadata
from tfdb_dam.services.ingest_store import Outcome
from tfdb_dam.services.ingest_wait import OutcomeWatcher
from tfdb_dam.services.reconcile import reconcile_storage

QUIET_S = 5.0  # without news for this long, look at the database directly (see ingest_wait)
# Names that hot folders see while other programs are still writing: skipped by `tfdb watch`.
_PARTIAL_SUFFIXES = (".part", ".partial", ".crdownload", ".download", ".tmp", ".temp")


class WorkersStopped(TfdbError):
    """The worker processes an import started have all exited while files were still queued."""


class WorkerPool:
    """Worker processes for one run, started when the first file is queued (a run of duplicates
    and refusals needs none), stopped when the run ends or dies."""

    def __init__(self, ctx: Context, count: int) -> None:
        self.ctx, self.count = ctx, count
        self.procs: list[subprocess.Popen] = []

    def need(self) -> None:
        if self.count > 0 and not self.procs:
            env = dict(os.environ, TFDB_HOME=str(self.ctx.config.home),
                       DATABASE_URL=self.ctx.config.database_url or self.ctx.db.url)
            threads = max(1, (os.cpu_count() or 1) // self.count)
            self.procs = spawn_workers(self.count, env, threads=threads)

    def all_stopped(self) -> bool:
        return bool(self.procs) and all(p.poll() is not None for p in self.procs)

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc: object) -> None:
        stop_workers(self.procs)


def import_files(ctx: Context, actor: Actor, files: Iterable[Path], metadata: ImportMetadata | None = None,
                 *, workers: int) -> Iterator[Outcome]:
    """Import ``files``; yields each file's final outcome as soon as it is known."""
    reconcile_storage(ctx)  # settle what a killed run left before deciding what is a duplicate
    with OutcomeWatcher(ctx) as watcher, WorkerPool(ctx, workers) as pool:
        importer = Importer(ctx, actor, metadata)
        for path in files:
            yield from _settled(watcher, pool, importer.add(path))
            yield from watcher.poll(0)
        yield from _settled(watcher, pool, importer.flush())
        yield from wait_for_all(watcher, pool)


def _settled(watcher: OutcomeWatcher, pool: WorkerPool, outcomes: list[Outcome]) -> Iterator[Outcome]:
    for outcome in outcomes:
        final = watcher.track(outcome)
        if final is None:
            pool.need()
        else:
            yield final


def wait_for_all(watcher: OutcomeWatcher, pool: WorkerPool) -> Iterator[Outcome]:
    """Block on notifications until nothing is outstanding; the database backstop when quiet."""
    while watcher.outstanding:
        done = watcher.poll(QUIET_S)
        if not done:
            if pool.all_stopped():
                raise WorkersStopped("file.workers_stopped")
            done = watcher.check()
        yield from done


class SettlingFiles:
    """Files seen changing; one is ready once its size and time stayed put for ``settle_s`` seconds."""

    def __init__(self, settle_s: float) -> None:
        self.settle_s = settle_s
        self._seen: dict[Path, tuple[int, float, float]] = {}
        self._lock = threading.Lock()

    def touch(self, path: Path) -> None:
        if path.name.startswith((".", "~$")) or path.name.lower().endswith(_PARTIAL_SUFFIXES):
            return
        with self._lock:
            self._seen[path] = (-1, -1.0, time.monotonic())

    def ready(self) -> list[Path]:
        now, done = time.monotonic(), []
        with self._lock:
            for path, (size, mtime, since) in list(self._seen.items()):
                try:
                    stat = path.stat()
                except OSError:
                    del self._seen[path]  # gone (moved away, deleted) before it settled
                    continue
                if (stat.st_size, stat.st_mtime) != (size, mtime):
                    self._seen[path] = (stat.st_size, stat.st_mtime, now)
                elif now - since >= self.settle_s and path.is_file():
                    del self._seen[path]
                    done.append(path)
        return sorted(done)


class _Handler(FileSystemEventHandler):
    def __init__(self, settling: SettlingFiles) -> None:
        self.settling = settling

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory or event.event_type not in ("created", "modified", "moved", "closed"):
            return
        target = getattr(event, "dest_path", "") or event.src_path
        self.settling.touch(Path(os.fsdecode(target)))


def watch_folder(ctx: Context, actor: Actor, folder: Path, *, settle_s: float, workers: int,
                 stop: threading.Event) -> Iterator[Outcome]:
    """Import files as they arrive in ``folder`` (and those already there) until ``stop`` is set.

    Nothing in the folder is moved or changed; a file seen again is recognised by its SHA-256.
    """
    settling = SettlingFiles(settle_s)
    observer = Observer()
    observer.schedule(_Handler(settling), str(folder), recursive=True)
    observer.start()
    try:
        for path in iter_files([folder]):
            settling.touch(path)
        reconcile_storage(ctx)
        with OutcomeWatcher(ctx) as watcher, WorkerPool(ctx, workers) as pool:
            importer = Importer(ctx, actor, group_size=1)
            while not stop.is_set():
                for path in settling.ready():
                    yield from _settled(watcher, pool, importer.add(path))
                yield from watcher.poll(1.0)
            yield from wait_for_all(watcher, pool)
    finally:
        observer.stop()
        observer.join()
