"""Search latency and vector recall at scale, on a private embedded PostgreSQL under /tmp.

    python bench/bench_search.py --quick            # 10 000 assets, a smoke test
    python bench/bench_search.py --size 100000
    python bench/bench_search.py --size 1000000     # building HNSW takes a while on 2 cores

Fills the database once per size (rows and vectors by COPY, indexes built afterwards; reused by
later runs unless --rebuild), then measures each leg alone and the whole hybrid search() with the
query embedding, with and without filters: p50/p95 over a warm second pass, and recall@10 of the
vector leg against an exact scan. Prints a table and writes bench/results/search-bench-<size>.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from search_fill import fill, say, start_server  # noqa: E402
from search_synthetic import SOURCE_UNITS, Generator  # noqa: E402
import numpy as np  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

from tfdb_dam.config import load_config  # noqa: E402
from tfdb_dam.db.models import Asset  # noqa: E402
from tfdb_dam.search.query import parse_query  # noqa: E402
from tfdb_dam.services import setup  # noqa: E402
from tfdb_dam.services.actors import PUBLIC, SYSTEM  # noqa: E402
from tfdb_dam.services.context import open_context  # noqa: E402
from tfdb_dam.services.search import LEXICAL_LIMIT, VECTOR_LIMIT, search, thesaurus_for  # noqa: E402
from tfdb_dam.services.search_filters import filter_conditions  # noqa: E402
from tfdb_dam.services.search_lexical import lexical_leg  # noqa: E402
from tfdb_dam.services.search_types import SearchFilters, SearchRequest  # noqa: E402
from tfdb_dam.services.search_vector import nearest, vector_statement  # noqa: E402

FILTERS = {
    "none (operator)": (SYSTEM, SearchFilters()),
    "public + photo": (PUBLIC, SearchFilters(kinds=["photo"])),
    "selective: 1 unit + 1 category": (
        SYSTEM,
        SearchFilters(source_units=[SOURCE_UNITS[3]], categories=["du-lich"]),
    ),
}


def _ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[
        min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))
    ] * 1000


def _timed(ctx, items: list, call) -> list[float]:  # noqa: ANN001
    """One warm-up pass, then one timed pass; each call in its own transaction, as the app runs."""
    for item in items:
        with ctx.db.begin() as session:
            call(session, item)
    samples = []
    for item in items:
        began = time.perf_counter()
        with ctx.db.begin() as session:
            call(session, item)
        samples.append(time.perf_counter() - began)
    return samples


def _vector_recall(ctx, model: str, vectors, k: int = 10) -> tuple[float, list[float]]:  # noqa: ANN001
    """recall@k of the app's HNSW leg against an exact scan, and the leg's timings."""
    found, exact = [], []
    with ctx.db.begin() as session:
        conditions = filter_conditions(session, SYSTEM, SearchFilters())
        for vector in vectors:
            found.append({h.asset_id for h in nearest(session, 384, model, "text", vector, conditions, k)})
            session.execute(text("SET LOCAL enable_indexscan = off"))
            rows = session.execute(
                vector_statement(384, model, "text", vector, conditions, k, exact=True)
            ).all()
            exact.append({r.asset_id for r in rows})
            session.execute(text("SET LOCAL enable_indexscan = on"))
    recall = statistics.mean(len(a & b) / k for a, b in zip(found, exact))
    timings = _timed(
        ctx,
        list(vectors),
        lambda s, v: nearest(s, 384, model, "text", v, filter_conditions(s, SYSTEM, SearchFilters()), k),
    )
    return recall, timings


def measure(ctx, size: int, queries: int) -> list[dict]:  # noqa: ANN001
    generator = Generator(size)  # the data's cluster centres …
    generator.rng = np.random.default_rng(7)  # … and fresh draws for the queries
    texts = generator.queries(queries)
    encoder = ctx.encoder()
    rows = []
    recall, timings = _vector_recall(ctx, encoder.model_name, generator.vectors(min(queries, 100)))
    rows.append(
        {"measure": "vector leg, k=10", "filter": "none (operator)", "timings": timings, "recall@10": recall}
    )
    for label, (actor, filters) in FILTERS.items():

        def lexical(session, q, actor=actor, filters=filters):  # noqa: ANN001, ANN202
            parsed = parse_query(q, thesaurus_for(session))
            return lexical_leg(session, parsed, filter_conditions(session, actor, filters), LEXICAL_LIMIT)

        def vector(session, q, actor=actor, filters=filters):  # noqa: ANN001, ANN202
            return nearest(
                session,
                384,
                encoder.model_name,
                "text",
                q,
                filter_conditions(session, actor, filters),
                VECTOR_LIMIT,
            )

        def hybrid(session, q, actor=actor, filters=filters):  # noqa: ANN001, ANN202
            return search(
                session, ctx, actor, SearchRequest(query=q, filters=filters, per_page=20, with_facets=False)
            )

        vectors = generator.vectors(queries)
        rows.append(
            {
                "measure": f"vector leg, k={VECTOR_LIMIT}",
                "filter": label,
                "timings": _timed(ctx, list(vectors), vector),
            }
        )
        rows.append({"measure": "full-text leg", "filter": label, "timings": _timed(ctx, texts, lexical)})
        rows.append(
            {
                "measure": "hybrid search() incl. query embedding",
                "filter": label,
                "timings": _timed(ctx, texts, hybrid),
            }
        )
    embed = _timed(ctx, texts, lambda _s, q: encoder.encode_texts([q]))
    rows.append({"measure": "query embedding alone", "filter": "-", "timings": embed})
    return rows


def table(rows: list[dict], size: int) -> str:
    lines = ["| assets | measure | filter | p50 ms | p95 ms | recall@10 |", "|---|---|---|---|---|---|"]
    for row in rows:
        p50, p95 = _ms(row["timings"])
        recall = f"{row['recall@10']:.3f}" if "recall@10" in row else ""
        lines.append(f"| {size:,} | {row['measure']} | {row['filter']} | {p50:.1f} | {p95:.1f} | {recall} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="10 000 assets, 40 queries")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--root", type=Path, help="where the database lives (default /tmp/tfdb-bench-<size>)")
    parser.add_argument("--rebuild", action="store_true", help="fill the database again even if it is filled")
    args = parser.parse_args()
    size, queries = (10_000, 40) if args.quick else (args.size, args.queries)
    root = args.root or Path(f"/tmp/tfdb-bench-{size}")
    server, url = start_server(root)
    config = load_config(
        env={"DATABASE_URL": url, "TFDB_HOME": str(root / "home"), "HF_HUB_OFFLINE": "1"},
        secrets_path=root / "none.toml",
    )
    ctx = open_context(config)
    try:
        setup.migrate(ctx.db)
        with ctx.db.begin() as session:
            present = session.execute(select(func.count()).select_from(Asset)).scalar_one()
        model = ctx.encoder().model_name
        if args.rebuild or present != size:
            say(f"Filling {size:,} synthetic assets under {root}")
            fill(ctx, size, model)
        say(f"Measuring {queries} queries per case")
        load_before = os.getloadavg()[0]
        result = table(measure(ctx, size, queries), size)
        load = f"load average {load_before:.1f} before and {os.getloadavg()[0]:.1f} after the measurements"
    finally:
        ctx.close()
        server.cleanup()
    print(result)
    print(load)
    out = BENCH / "results" / f"search-bench-{size}.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(
        f"# Search benchmark, {size:,} synthetic assets\n\n{time.strftime('%Y-%m-%d')}, "
        f"2 cores ({load}); p50/p95 of a warm pass, one transaction per query.\n\n{result}\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
