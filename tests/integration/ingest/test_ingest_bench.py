"""The ingest benchmark's smoke run works end to end (the figures themselves are for people)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def test_the_ingest_benchmark_runs_quickly(cli_env):
    # The photos are cached where the benchmark keeps them (/tmp), so only the first run makes them.
    run = subprocess.run([sys.executable, str(REPO / "bench" / "bench_ingest.py"), "--quick", "--workers", "1"],
                         env=cli_env, capture_output=True, text=True, timeout=600, cwd=REPO)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "floor:" in run.stdout and "ours:" in run.stdout and "ratio:" in run.stdout
