"""CI's quick run of bench/bench_library_page.py (--smoke: 120 assets, one measured round): the
benchmark itself works end to end — a library filled, the app served, every measure painted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import CHROMIUM

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[2]


def test_library_page_benchmark_smoke(tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM}.")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TFDB_") and k != "DATABASE_URL"}
    done = subprocess.run([sys.executable, str(REPO / "bench" / "bench_library_page.py"), "--smoke",
                           "--keep", str(tmp_path / "library")], env=env, cwd=REPO, capture_output=True,
                          text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(figures) == {"open", "search", "reload", "cold"}
    # Generous bounds: this proves the grid paints, not how fast (that is the full run's job).
    assert all(len(values) == 1 and 0 < values[0] < 30 for values in figures.values()), figures
