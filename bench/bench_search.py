"""Search latency and vector recall at scale, on a private embedded PostgreSQL under /tmp.

    python bench/bench_search.py --quick             # 2 000 assets: the CI smoke test
    python bench/bench_search.py --size 100000
    python bench/bench_search.py --size 1000000      # the fill and the HNSW build take a while
    ... --lock /tmp/bench.lock                       # measure while holding the team's bench lock

1. A sample of the synthetic records (--real-sample, 20 000) is embedded with the real model
   (cached under --cache; minutes on 2 cores) and the synthetic vectors are fitted to it.
2. The database is filled once per size by COPY, indexes built afterwards (reused by later runs
   unless --rebuild); a second database holds the real sample, for recall on real embeddings.
3. Tables and indexes are prewarmed; each case runs a short warm-up pass on other queries, then
   the timed pass: p50/p95, each query as the app runs it (one transaction per query; the
   vector leg on a connection of its own, as a search's worker thread runs it), query embeddings
   uncached. recall@10 is against an exact search of the same vectors (filter included).
Prints a table and (except --quick) writes bench/results/search-bench-<size>.md.
"""

from __future__ import annotations

import argparse
import fcntl
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

import numpy as np  # noqa: E402
from search_fill import (  # noqa: E402
    CHUNK,
    fill,
    filled_as,
    prewarm,
    raw_connection,
    recreate,
    say,
    signature,
    start_server,
)
from search_cap import cap_row  # noqa: E402
from search_synthetic import CATEGORY_LABELS, SOURCE_UNITS, Generator  # noqa: E402
from search_vectors import VectorModel, exact_neighbours, real_sample  # noqa: E402
from sqlalchemy import select, text  # noqa: E402

from tfdb_dam.config import load_config  # noqa: E402
from tfdb_dam.db.models import Asset, Category  # noqa: E402
from tfdb_dam.search.query import parse_query  # noqa: E402
from tfdb_dam.services import search_vector, setup  # noqa: E402
from tfdb_dam.services.actors import PUBLIC, SYSTEM  # noqa: E402
from tfdb_dam.services.context import open_context  # noqa: E402
from tfdb_dam.services.search import LEXICAL_LIMIT, VECTOR_LIMIT, search, thesaurus_for  # noqa: E402
from tfdb_dam.services.search_filters import filter_conditions  # noqa: E402
from tfdb_dam.services.search_lexical import lexical_leg  # noqa: E402
from tfdb_dam.services.search_types import SearchFilters, SearchRequest  # noqa: E402
from tfdb_dam.services.search_vector import nearest_apart  # noqa: E402
from tfdb_dam.services.search_vector_sql import vector_statement  # noqa: E402

FILTERS = {
    "none (operator)": (SYSTEM, SearchFilters()),
    "public + photo": (PUBLIC, SearchFilters(kinds=["photo"])),
    "selective: 1 unit + 1 category": (
        SYSTEM,
        SearchFilters(source_units=[SOURCE_UNITS[3]], categories=["du-lich"]),
    ),
}
PAGE = 60  # the library page's page size (tfdb_dam/ui/facets.py)
# search() as the library page calls it, and as the API's asset list does (20 a page, no facets).
VARIANTS = ((PAGE, True, "60 hits + facets (library page)"), (20, False, "20 hits (API)"))


def _ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def _timed(ctx, warm: list, timed: list, call, what: str = "") -> tuple[list[float], list]:  # noqa: ANN001
    """A warm-up pass over some of ``warm`` (a quarter as many as are timed: the tables are
    prewarmed already), then the timed pass over ``timed``; each call in its own transaction, as
    the app runs them. Returns the timings and what the calls returned."""
    if what:
        say(f"  {what}")
    for item in warm[: max(5, len(timed) // 4)]:
        with ctx.db.begin() as session:
            call(session, item)
    samples, results = [], []
    for item in timed:
        began = time.perf_counter()
        with ctx.db.begin() as session:
            results.append(call(session, item))
        samples.append(time.perf_counter() - began)
    return samples, results


def _timed_apart(warm: list, timed: list, call, what: str) -> tuple[list[float], list]:  # noqa: ANN001
    """As _timed, for a leg that takes its own connection, as a search's worker thread runs it."""
    say(f"  {what}")
    for item in warm[: max(5, len(timed) // 4)]:
        call(item)
    samples, results = [], []
    for item in timed:
        began = time.perf_counter()
        results.append(call(item))
        samples.append(time.perf_counter() - began)
    return samples, results


def _recall(found: list[list[int]], exact: list[set[int]], k: int = 10) -> float:
    return statistics.mean(
        len(set(ids[:k]) & truth) / max(1, min(k, len(truth))) for ids, truth in zip(found, exact)
    )


def _kept(ctx, actor, filters: SearchFilters, size: int) -> np.ndarray:  # noqa: ANN001
    """Which asset ids the filter keeps, by asset id."""
    keep = np.zeros(size + 1, dtype=bool)
    with ctx.db.begin() as session:
        ids = session.execute(select(Asset.id).where(*filter_conditions(session, actor, filters))).scalars()
        keep[np.fromiter(ids, dtype=np.int64)] = True
    return keep


def _vector_rows(ctx, model: VectorModel, size: int, queries: int) -> list[dict]:  # noqa: ANN001
    encoder = ctx.encoder()
    vectors = model.queries(2 * queries)
    warm, timed = list(vectors[:queries]), list(vectors[queries:])
    rows = []
    for label, (actor, filters) in FILTERS.items():
        exact = exact_neighbours(model, size, np.asarray(timed), 10, _kept(ctx, actor, filters, size))
        with ctx.db.begin() as session:  # a search builds its conditions once, for every leg
            conditions = filter_conditions(session, actor, filters)
        for k in (10, VECTOR_LIMIT):

            def leg(vector, conditions=conditions, k=k):  # noqa: ANN001, ANN202
                model = encoder.model_name
                hits = nearest_apart(ctx.db, encoder.dimension, model, "text", vector, conditions, k)
                return [h.asset_id for h in hits]

            samples, found = _timed_apart(warm, timed, leg, f"vector leg, k={k}, {label}")
            rows.append({"measure": f"vector leg, k={k}", "filter": label, "timings": samples,
                         "recall@10": _recall(found, exact)})
    return rows


BEAMS = (64, 80, 96, 128)  # hnsw.ef_search values compared by _beam_rows


def _beam_rows(ctx, model: VectorModel, size: int, queries: int) -> list[dict]:  # noqa: ANN001
    """The unfiltered walk alone at each beam of BEAMS: PostgreSQL's execution time (EXPLAIN
    ANALYZE, no round trips) and recall@10, on the vector leg's timed queries. Shows what the
    beam the app walks with (db/engine.py) buys on this graph."""
    encoder = ctx.encoder()
    vectors = model.queries(2 * queries)[queries:]
    exact = exact_neighbours(model, size, np.asarray(vectors), 10)
    rows = []
    for beam in BEAMS:
        say(f"  vector walk alone, ef_search={beam}")
        timings, found = [], []
        with ctx.db.begin() as session:
            session.execute(text("SELECT set_config('hnsw.ef_search', :ef, true)"), {"ef": str(beam)})
            for vector in vectors:
                statement = vector_statement(encoder.dimension, encoder.model_name, "text", vector, [], 10)
                sql = str(statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True}))
                found.append([row.asset_id for row in session.execute(text(sql))])
                plan = session.execute(text("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)).scalar()
                timings.append(plan[0]["Execution Time"] / 1000)
        rows.append({"measure": f"vector walk alone (PostgreSQL execution), k=10, ef_search={beam}",
                     "filter": "none (operator)", "timings": timings, "recall@10": _recall(found, exact)})
    return rows


def _text_rows(ctx, texts: list[str], queries: int) -> list[dict]:  # noqa: ANN001
    warm, timed = texts[:queries], texts[queries:]
    rows = []
    for label, (actor, filters) in FILTERS.items():

        def lexical(session, q, actor=actor, filters=filters):  # noqa: ANN001, ANN202
            parsed = parse_query(q, thesaurus_for(session))
            return lexical_leg(session, parsed, filter_conditions(session, actor, filters), LEXICAL_LIMIT)

        def hybrid(session, q, actor=actor, filters=filters, page=PAGE, facets=True):  # noqa: ANN001, ANN202
            request = SearchRequest(query=q, filters=filters, per_page=page, with_facets=facets)
            return search(session, ctx, actor, request).total

        samples, _ = _timed(ctx, warm, timed, lexical, f"full-text leg, {label}")
        rows.append({"measure": "full-text leg", "filter": label, "timings": samples})
        for page, facets, what in VARIANTS:
            call = lambda s, q, h=hybrid, p=page, f=facets: h(s, q, page=p, facets=f)  # noqa: E731
            samples, totals = _timed(ctx, warm, timed, call, f"search(), {what}, {label}")
            rows.append({"measure": f"hybrid search() incl. query embedding, {what}", "filter": label,
                         "timings": samples, "note": f"median {statistics.median(totals):.0f} results"})
    return rows


def _browse_rows(ctx, queries: int) -> list[dict]:  # noqa: ANN001
    rows = []
    for label in ("none (operator)", "public + photo"):
        actor, filters = FILTERS[label]
        pages = list(range(1, queries + 1))

        def browse(session, page, actor=actor, filters=filters):  # noqa: ANN001, ANN202
            request = SearchRequest(filters=filters, page=page, per_page=PAGE, sort="newest")
            return search(session, ctx, actor, request).total

        samples, _ = _timed(ctx, pages[:3], pages, browse, f"browse, {label}")
        measure = "browse, no words, newest first, with facets"
        rows.append({"measure": measure, "filter": label, "timings": samples})
    return rows


def measure(ctx, model: VectorModel, size: int, queries: int) -> list[dict]:  # noqa: ANN001
    search_vector.query_vectors.size = 0  # uncached figures: every query is embedded
    search_vector.query_vectors.clear()
    generator = Generator(size)
    generator.rng = np.random.default_rng(7)  # fresh draws, not the records' own words
    texts = generator.queries(2 * queries)
    rows = _vector_rows(ctx, model, size, queries)
    rows += _beam_rows(ctx, model, size, queries)
    rows += _text_rows(ctx, texts, queries)
    say("  full-text leg uncapped, for the cap's cost")
    rows.append(cap_row(ctx, texts[queries:]))
    rows += _browse_rows(ctx, max(5, queries // 10))
    encoder = ctx.encoder()
    embed, _ = _timed(ctx, texts[:queries], texts[queries:], lambda _s, q: encoder.encode_texts([q]))
    rows.append({"measure": "query embedding alone (uncached)", "filter": "-", "timings": embed})
    return rows


def measure_real(ctx, sample: np.ndarray, texts: list[str], queries: int) -> list[dict]:  # noqa: ANN001
    """recall@10 of the vector leg on real embeddings (the sample), for real query embeddings."""
    encoder = ctx.encoder()
    vectors = encoder.encode_texts(texts)
    warm, timed = list(vectors[:queries]), list(vectors[queries:])
    exact = [set((np.argsort(-(sample @ v))[:10] + 1).tolist()) for v in timed]

    with ctx.db.begin() as session:
        conditions = filter_conditions(session, SYSTEM, SearchFilters())

    def leg(vector):  # noqa: ANN001, ANN202
        hits = nearest_apart(ctx.db, encoder.dimension, encoder.model_name, "text", vector, conditions, 10)
        return [h.asset_id for h in hits]

    samples, found = _timed_apart(warm, timed, leg, "vector leg on real embeddings")
    label = f"vector leg, k=10, {len(sample):,} real {encoder.model_name} embeddings"
    recall = _recall(found, exact)
    return [{"measure": label, "filter": "none (operator)", "timings": samples, "recall@10": recall}]


def table(rows: list[dict], size: int) -> str:
    lines = ["| assets | measure | filter | p50 ms | p95 ms | recall@10 |", "|---|---|---|---|---|---|"]
    for row in rows:
        p50, p95 = _ms(row["timings"])
        recall = f"{row['recall@10']:.3f}" if "recall@10" in row else row.get("note", "")
        assets = f"{row.get('size', size):,}"
        cells = [assets, row["measure"], row["filter"], f"{p50:.1f}", f"{p95:.1f}", recall]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _context(url: str, database: str, root: Path):  # noqa: ANN001, ANN202
    env = {"DATABASE_URL": url.format(database=database), "TFDB_HOME": str(root / "home")}
    env["HF_HUB_OFFLINE"] = "1"
    config = load_config(env=env, secrets_path=root / "none.toml")
    return open_context(config)


def _prepared(  # noqa: ANN001 - ctx: a Context; chunks: makes (first id, vectors) pairs
    ctx, url: str, size: int, label: str, model_name: str, chunks, rebuild: bool
) -> None:
    """Create, migrate and fill the database unless it already holds exactly this fill."""
    database = ctx.db.engine.url.database
    with raw_connection(ctx) as raw:
        stale = rebuild or filled_as(raw) != signature(size, label)
    if stale:
        ctx.db.dispose()
        recreate(url, database)
    setup.migrate(ctx.db)
    if stale:
        say(f"Filling {database} with {size:,} synthetic assets ({label})")
        fill(ctx, size, model_name, chunks(), label)


@contextmanager
def _lock(path: str | None):  # noqa: ANN202
    if not path:
        yield
        return
    with open(path, "a") as handle:
        say(f"waiting for {path}")
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="2 000 assets, 10 queries, 200 real passages")
    parser.add_argument("--queries", type=int, default=200, help="timed queries per case")
    parser.add_argument("--real-sample", type=int, default=20_000, help="records embedded by the real model")
    parser.add_argument("--root", type=Path, help="where the databases live (default /tmp/tfdb-bench-<size>)")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/tfdb-bench-cache"), help="real embeddings")
    parser.add_argument("--rebuild", action="store_true", help="fill the databases again even if filled")
    parser.add_argument("--lock", help="hold this lock file (flock) while measuring, e.g. /tmp/bench.lock")
    parser.add_argument("--fill-only", action="store_true", help="fill the databases, measure nothing")
    args = parser.parse_args()
    size, queries, real = (2_000, 10, 200) if args.quick else (args.size, args.queries, args.real_sample)
    root = args.root or Path(f"/tmp/tfdb-bench-{size}")
    server, url = start_server(root, size, ("bench", "bench_real"))
    ctx, real_ctx = _context(url, "bench", root), _context(url, "bench_real", root)
    try:
        encoder = ctx.encoder()
        real_ctx._encoder = encoder
        say(f"Real sample: {real:,} passages embedded with {encoder.model_name}")
        setup.migrate(real_ctx.db)
        with real_ctx.db.begin() as session:
            categories = list(session.execute(select(Category.id).order_by(Category.id)).scalars())
        sample = real_sample(encoder, real, categories[: len(CATEGORY_LABELS)], args.cache, say)
        model = VectorModel.fit(sample)
        say(f"Synthetic vectors fitted to the real sample: {model.description}")
        label = f"fitted to {real} {encoder.model_name}: {model.description}"
        _prepared(ctx, url, size, label, encoder.model_name, lambda: model.chunks(size), args.rebuild)
        chunks = lambda: ((1 + i, sample[i : i + CHUNK]) for i in range(0, real, CHUNK))  # noqa: E731
        _prepared(real_ctx, url, real, f"real {encoder.model_name}", encoder.model_name, chunks, args.rebuild)
        if args.fill_only:
            return
        say("Prewarming tables and indexes")
        prewarm(ctx)
        prewarm(real_ctx)
        with _lock(args.lock):
            before = _uptime()
            say(f"Measuring {queries} queries per case; {before}")
            rows = measure(ctx, model, size, queries)
            texts = Generator(real).queries(2 * queries)
            rows += [dict(row, size=real) for row in measure_real(real_ctx, sample, texts, queries)]
            after = _uptime()
    finally:
        ctx.close()
        real_ctx.close()
        server.cleanup()
    result = table(rows, size)
    print(result)
    print(f"before: {before}\nafter:  {after}")
    if not args.quick:
        out = BENCH / "results" / f"search-bench-{size}.md"
        out.write_text(
            f"# Search benchmark, {size:,} synthetic assets\n\n{time.strftime('%Y-%m-%d')}, 2 cores; "
            f"p50/p95 of a timed pass after a short warm-up on other queries, one transaction per query "
            f"(the vector leg on its own connection, as search runs it), query embeddings uncached.\n\nLoad: `{before}` before, `{after}` after.\n\n{result}\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
