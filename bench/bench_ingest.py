"""Ingest benchmark: `tfdb import` end to end against the floor, side by side on the same 12-MP JPEGs.

`tfdb import` does everything a photo needs (sniff, hash, store, EXIF/XMP/IPTC, thumb and preview
from one draft-mode decode, perceptual hash, rows, audit, embedding, searchable); the floor
(bench_ingest_floor.py) does the least one process can, and is measured before and after ours.

Startup is left out, and nothing else: the worker processes are started first (as `tfdb serve` or
`tfdb worker` runs them) and warmed up on a few other photos until their model is loaded; then
`tfdb import --workers 0` hands them the measured photos. The clock starts when every worker has
finished its first job of the run (the import's own interpreter start is behind us by then) and
counts the files after that; the import keeps hashing and storing files while they work, so most
of its share of the two cores is inside the window. CPU per file is read over the same window for
the workers and PostgreSQL, and over the whole run for the import (less an empty import's start).

    python bench/bench_ingest.py [--count N] [--quick] [--workers N] [--cache-dir DIR]

With DATABASE_URL and TFDB_HOME set it imports into that library (a test's fresh database; the
database server's CPU is then not shown); otherwise into a new embedded library in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_ingest_floor import DEFAULT_CACHE, ensure_photos, floor_rate  # noqa: E402

from tfdb_dam.jobs.worker import spawn_workers, stop_workers  # noqa: E402
from tfdb_dam.services.ingest_process import GROUP_SIZE  # noqa: E402

_OUTCOME = re.compile(r"^(imported|duplicate|rejected)\s")


class CpuMeter:
    """CPU seconds so far of the import, the worker processes and the library's PostgreSQL."""

    def __init__(self, importer: subprocess.Popen, workers: list[subprocess.Popen], home: Path | None) -> None:
        self.importer = psutil.Process(importer.pid)
        self.workers = [psutil.Process(worker.pid) for worker in workers]
        self.server = _find_server(home)

    def read(self) -> dict[str, float]:
        postgres = float("nan")  # an external server also serves others: not ours to count
        if self.server is not None:
            postgres = sum(map(_cpu, self.server.children())) + _cpu(self.server, reaped=True)
        return {"import": _cpu(self.importer), "workers": sum(map(_cpu, self.workers)), "postgres": postgres}


def _find_server(home: Path | None) -> psutil.Process | None:
    if home is None:
        return None
    for candidate in psutil.process_iter(["name", "cmdline"]):
        if candidate.info["name"] == "postgres" and str(home) in " ".join(candidate.info["cmdline"] or []):
            return candidate
    return None


def _cpu(proc: psutil.Process, *, reaped: bool = False) -> float:
    """User + system seconds; with ``reaped``, also its finished children's (closed connections)."""
    try:
        times = proc.cpu_times()
    except psutil.Error:
        return 0.0  # a connection that closed just now: its parent counts it once reaped
    return times.user + times.system + (times.children_user + times.children_system if reaped else 0.0)


def window_opens(count: int, workers: int) -> int:
    """Index of the outcome that opens the measured window: the last of every worker's first job.

    Those first jobs waited for the import's own start; the files after them are counted, from
    that outcome's time to the last one's.
    """
    opens = workers * GROUP_SIZE - 1
    if count - opens - 1 < GROUP_SIZE:
        raise SystemExit(f"Too few files to measure past startup: use at least {GROUP_SIZE * (workers + 1)}.")
    return opens


def run_import(paths: list[Path], env: dict[str, str], meter_for=None, opens: int = 0,  # noqa: ANN001
               expected: int | None = None) -> dict:
    """Run `tfdb import --workers 0`; times every outcome; with ``meter_for(proc)``, reads CPU
    where the window opens (outcome ``opens``) and where it ends. ``expected``: outcomes due
    (default: one per path)."""
    expected = len(paths) if expected is None else expected
    command = [sys.executable, "-m", "tfdb_dam", "import", *map(str, paths), "--workers", "0"]
    stamps, problems, marks = [], [], {}
    cpu_before = _children_cpu()
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True, cwd=HERE.parent) as proc:
        meter = meter_for(proc) if meter_for else None
        for line in proc.stdout:
            if not _OUTCOME.match(line):
                continue
            stamps.append(time.perf_counter())
            if meter is not None and len(stamps) - 1 in (opens, expected - 1):
                marks[len(stamps) - 1] = meter.read()  # a few ms each: only where they are needed
            if not line.startswith("imported"):
                problems.append(line.strip())
    if proc.returncode != 0 or len(stamps) != expected:
        raise SystemExit(f"tfdb import failed (exit {proc.returncode}, {len(stamps)} of {expected} outcomes).")
    return {"stamps": stamps, "marks": marks, "problems": problems, "cpu": _children_cpu() - cpu_before}


def _children_cpu() -> float:
    """CPU seconds of this process's finished children (the workers are reaped only at the end)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure_import(paths: list[Path], warm_up: list[Path], workers: int) -> dict:
    """Files per second and CPU per file of `tfdb import` in its steady state, with warm workers."""
    with tempfile.TemporaryDirectory(prefix="tfdb-bench-home-") as tmp:
        external = bool(os.environ.get("DATABASE_URL") and os.environ.get("TFDB_HOME"))
        home = None if external else Path(tmp)
        env = _environment(home)
        if not external:
            subprocess.run([sys.executable, "-m", "tfdb_dam", "init", "--no-admin"], env=env, check=True,
                           stdout=subprocess.DEVNULL, cwd=HERE.parent)
        procs = spawn_workers(workers, env, threads=max(1, (os.cpu_count() or 1) // workers))
        try:
            run_import(warm_up, env)  # every worker loads its model meanwhile
            (Path(tmp) / "empty").mkdir()
            start_up = run_import([Path(tmp) / "empty"], env, expected=0)["cpu"]  # the import's own start
            opens = window_opens(len(paths), workers)
            run = run_import(paths, env, lambda proc: CpuMeter(proc, procs, home), opens)
        finally:
            stop_workers(procs)
    counted = len(paths) - opens - 1
    first, last = run["marks"][opens], run["marks"][len(paths) - 1]
    cpu = {name: (last[name] - first[name]) / counted for name in first}
    # The import stores files faster than the workers process them, so much of its work falls
    # before the window: count it over the whole run instead, less what an empty import costs.
    cpu["import"] = (run["cpu"] - start_up) / len(paths)
    seconds = run["stamps"][-1] - run["stamps"][opens]
    return {"rate": counted / seconds, "counted": counted, "cpu": cpu, "problems": run["problems"]}


def _environment(home: Path | None) -> dict[str, str]:
    env = dict(os.environ, PYTHONUNBUFFERED="1", HF_HUB_OFFLINE="1")
    if home is not None:
        env.pop("DATABASE_URL", None)
        env["TFDB_HOME"] = str(home)
    return env


def _ms(seconds: float) -> str:
    return "n/a" if seconds != seconds else f"{seconds * 1000:.0f}"  # NaN: not measured


def _load() -> str:
    return "/".join(f"{value:.2f}" for value in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=96, help="photos to import (default 96)")
    parser.add_argument("--quick", action="store_true", help="just enough photos for a smoke run")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="worker processes (default: one per core)")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE, help="where the photos are kept")
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    count = GROUP_SIZE * (args.workers + 1) if args.quick else args.count
    warm_count = GROUP_SIZE * args.workers  # one job per worker; other photos, so none is a duplicate
    cached = ensure_photos(args.cache_dir, count + warm_count)
    paths, warm_up = cached[:count], cached[count:]
    load_before = _load()
    floor_rate(paths[:1])  # warm the page cache and the libraries' first calls
    floor_before = floor_rate(paths)
    ours = measure_import(paths, warm_up, args.workers)
    floor_after = floor_rate(paths)
    floor = (floor_before + floor_after) / 2
    cpu = ours["cpu"]
    print(f"files: {len(paths)} 12-MP JPEGs ({sum(p.stat().st_size for p in paths) / len(paths) / 1e6:.1f} MB each),"
          f" cores: {os.cpu_count()}, workers: {args.workers}, load before/after: {load_before} / {_load()}")
    print(f"floor: {floor:.2f} files/s (one process; {floor_before:.2f} before, {floor_after:.2f} after)")
    print(f"ours:  {ours['rate']:.2f} files/s (tfdb import end to end, {ours['counted']} files after startup)")
    print(f"ratio: {ours['rate'] / floor:.2f}x the floor (target 1.5x on 2 cores)")
    print(f"cpu:   {_ms(sum(v for v in cpu.values() if v == v))} ms per file: import {_ms(cpu['import'])},"
          f" workers {_ms(cpu['workers'])}, postgres {_ms(cpu['postgres'])}"
          " (the floor prints its own with bench_ingest_floor.py)")
    for line in ours["problems"]:
        print(f"not imported: {line}")
    return 0 if not ours["problems"] else 1


if __name__ == "__main__":
    sys.exit(main())
