"""kill -9 at any moment of an import, then the same import again: every file exactly once, verify clean."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from tests.conftest import REPO

from .conftest import make_video, patterned


def _library(folder: Path, count: int) -> dict[str, str]:
    for i in range(count - 2):
        patterned(folder / f"photo-{i:02d}.jpg", seed=100 + i, size=(1200, 900), fmt="JPEG", quality=92)
    patterned(folder / "scan.png", seed=99, size=(600, 400), fmt="PNG")
    make_video(folder / "clip.mp4", seconds=3, args=("-c:v", "libx264", "-preset", "ultrafast", "-g", "3"))
    return {hashlib.sha256(p.read_bytes()).hexdigest(): p.name for p in folder.iterdir()}


def _group_alive(pgid: int) -> bool:
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def _import(cli_env: dict[str, str], folder: Path, workers: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tfdb_dam", "import", str(folder), "--json", "--workers", str(workers)],
                            env=cli_env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def _killed_at(cli_env: dict[str, str], folder: Path, delay: float, workers: int) -> None:
    proc = _import(cli_env, folder, workers)
    try:
        proc.wait(timeout=delay)
        return  # finished before the blow: nothing to kill
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    deadline = time.monotonic() + 180
    while _group_alive(proc.pid):  # its worker ends its current job, then sees its parent gone
        assert time.monotonic() < deadline, "the import's worker did not stop after its parent died"
        time.sleep(0.2)


# The smoke form kills while files are being stored (its killed runs start no worker, so no model
# loads); the full form also kills while workers process, several times.
@pytest.mark.parametrize("files,kills,workers,latest", [
    (8, 1, 0, 4.0), pytest.param(30, 3, 1, 15.0, marks=pytest.mark.slow)], ids=["smoke", "thirty-files-three-kills"])
def test_killed_imports_then_a_rerun_leave_every_file_exactly_once(tfdb, cli_env, config, tmp_path, files, kills,
                                                                   workers, latest):
    folder = tmp_path / "library"
    folder.mkdir()
    expected = _library(folder, files)
    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    delays = sorted(rng.uniform(0.5, latest) for _ in range(kills))
    for delay in delays:
        _killed_at(cli_env, folder, delay, workers)
        verify = tfdb("verify", "--json")
        assert verify.returncode == 0, (seed, delays, verify.stdout, verify.stderr)
    final = tfdb("import", str(folder), "--json", "--workers", "1")
    assert final.returncode == 0, (seed, delays, final.stderr)
    assert sorted(r["status"] in ("imported", "duplicate") for r in json.loads(final.stdout)) == [True] * files
    verify = tfdb("verify", "--json")
    assert verify.returncode == 0 and json.loads(verify.stdout)["ok"], (seed, delays, verify.stdout)
    with psycopg.connect(config.database_url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        rows = conn.execute("SELECT sha256, processing FROM assets").fetchall()
        journal = conn.execute("SELECT count(*) FROM storage_journal").fetchone()[0]
    assert sorted(sha for sha, _ in rows) == sorted(expected), (seed, delays)
    assert {state for _, state in rows} == {"ready"} and journal == 0
    originals = [p for p in (Path(config.home) / "originals").rglob("*") if p.is_file()]
    assert len(originals) == files
