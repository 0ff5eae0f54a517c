"""Ingest benchmark: `tfdb import` end to end against the floor, side by side on the same 12-MP JPEGs.

`tfdb import` does everything a photo needs (sniff, hash, store, EXIF/XMP/IPTC, thumb and preview
from one draft-mode decode, perceptual hash, rows, audit, embedding, searchable) with its worker
processes; the floor (bench_ingest_floor.py) does the least one process can. Startup is left out:
our rate is that of the files finished after the first burst of outcomes, so interpreter start,
database start and model loading do not count; the floor is measured before and after ours.

    python bench/bench_ingest.py [--count N] [--quick] [--workers N] [--cache-dir DIR]

With DATABASE_URL and TFDB_HOME set it imports into that library (a test's fresh database);
otherwise into a new embedded library in a temporary folder.
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

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_ingest_floor import DEFAULT_CACHE, ensure_photos, floor_rate  # noqa: E402

QUICK_COUNT = 6
_OUTCOME = re.compile(r"^(imported|duplicate|rejected)\s")


def _environment(home: Path | None) -> dict[str, str]:
    env = dict(os.environ, PYTHONUNBUFFERED="1", HF_HUB_OFFLINE="1")
    if home is not None:
        env.pop("DATABASE_URL", None)
        env["TFDB_HOME"] = str(home)
    return env


def run_import(paths: list[Path], env: dict[str, str], workers: int | None) -> tuple[float, int, list[str]]:
    """(seconds from the first outcomes to the last, outcomes after the first ones, non-imported lines).

    A job finishes a few files at once, so the first burst (which also waited for the model) is left
    out whole: the rate is that of the files finished after it.
    """
    command = [sys.executable, "-m", "tfdb_dam", "import", *map(str, paths)]
    command += ["--workers", str(workers)] if workers is not None else []
    stamps, problems = [], []
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True, cwd=HERE.parent) as proc:
        for line in proc.stdout:
            if _OUTCOME.match(line):
                stamps.append(time.perf_counter())
                if not line.startswith("imported"):
                    problems.append(line.strip())
    if proc.returncode != 0 or len(stamps) != len(paths):
        raise SystemExit(f"tfdb import failed (exit {proc.returncode}, {len(stamps)} of {len(paths)} outcomes).")
    first_burst = sum(1 for stamp in stamps if stamp - stamps[0] < 0.2)
    return stamps[-1] - stamps[0], len(stamps) - first_burst, problems


def _children_cpu() -> float:
    """CPU seconds of finished child processes (the import, and the workers it waited for)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=48, help="photos to import (default 48)")
    parser.add_argument("--quick", action="store_true", help=f"only {QUICK_COUNT} photos, for a smoke run")
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: one per core)")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE, help="where the photos are kept")
    args = parser.parse_args(argv)
    count = QUICK_COUNT if args.quick else args.count
    if count < 3:
        parser.error("--count must be at least 3")
    paths = ensure_photos(args.cache_dir, count)
    floor_rate(paths[:1])  # warm the page cache and the libraries' first calls
    floor_before = floor_rate(paths)
    with tempfile.TemporaryDirectory(prefix="tfdb-bench-home-") as home:
        external = bool(os.environ.get("DATABASE_URL") and os.environ.get("TFDB_HOME"))
        env = _environment(None if external else Path(home))
        if not external:
            subprocess.run([sys.executable, "-m", "tfdb_dam", "init", "--no-admin"], env=env, check=True,
                           stdout=subprocess.DEVNULL, cwd=HERE.parent)
        cpu_before = _children_cpu()
        seconds, measured, problems = run_import(paths, env, args.workers)
        cpu = _children_cpu() - cpu_before
    floor_after = floor_rate(paths)
    floor = (floor_before + floor_after) / 2
    ours = measured / seconds
    print(f"files: {len(paths)} 12-MP JPEGs ({sum(p.stat().st_size for p in paths) / len(paths) / 1e6:.1f} MB each),"
          f" cores: {os.cpu_count()}")
    print(f"floor: {floor:.2f} files/s (one process; {floor_before:.2f} before, {floor_after:.2f} after)")
    print(f"ours:  {ours:.2f} files/s (tfdb import end to end, first to last outcome)")
    print(f"ratio: {ours / floor:.2f}x the floor (target 1.5x on 2 cores)")
    print(f"cpu:   {cpu / len(paths) * 1000:.0f} ms per file in the import and its workers, startup included"
          " (the floor prints its own with bench_ingest_floor.py)")
    for line in problems:
        print(f"not imported: {line}")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
