"""Search quality on search-dev through the real search() path, beside a plain BM25 baseline.

Prints recall@10 and MRR per query type for the product, for each leg alone, and for BM25 over
the same records, and writes the table to bench/results/search-dev.md. The floors sit a little
below what the method reaches, so a regression fails while the printed figures stay honest.
"""

from __future__ import annotations

import pytest

from tests.conftest import REPO, corpus_path
from tests.integration.search.records import load_records
from tfdb_dam.search.baselines import InMemorySearch
from tfdb_dam.search.evaluation import QUERY_TYPES, compare, format_markdown, load_corpus, load_queries
from tfdb_dam.services.actors import SYSTEM
from tfdb_dam.services.search import rank, search, thesaurus_for
from tfdb_dam.services.search_filters import filter_conditions
from tfdb_dam.services.search_types import SearchFilters, SearchRequest
from tfdb_dam.search.query import parse_query

RECALL_FLOOR_OVERALL, RECALL_FLOOR_PER_TYPE, MRR_FLOOR_OVERALL = 0.90, 0.75, 0.80


def _through_search(sctx, key_of):  # noqa: ANN001, ANN202
    def run(query: str) -> list[str]:
        with sctx.db.begin() as session:
            result = search(session, sctx, SYSTEM, SearchRequest(query=query, per_page=10, with_facets=False))
        return [key_of[hit.asset_id] for hit in result.hits]

    return run


def _one_leg(sctx, key_of, weights):  # noqa: ANN001, ANN202
    def run(query: str) -> list[str]:
        with sctx.db.begin() as session:
            parsed = parse_query(query, thesaurus_for(session))
            ranking = rank(
                session, sctx, parsed, filter_conditions(session, SYSTEM, SearchFilters()), weights
            )
        return [key_of[i] for i in ranking.ids[:10]]

    return run


def test_search_dev_quality(sctx, encoder):  # noqa: ANN001
    records = load_corpus(corpus_path("search-dev", "corpus.csv"))
    queries = load_queries(corpus_path("search-dev", "queries.json"))
    key_of = {asset_id: key for key, asset_id in load_records(sctx, records).items()}
    baseline = InMemorySearch(records)
    rows = compare(
        {
            "TFDB hybrid (search())": _through_search(sctx, key_of),
            "full-text leg alone": _one_leg(sctx, key_of, {"fts": 1.0, "vector": 0.0, "image": 0.0}),
            "vector leg alone": _one_leg(sctx, key_of, {"fts": 0.0, "vector": 1.0, "image": 0.0}),
            "BM25 baseline (folded, no thesaurus)": lambda q: [k for k, _ in baseline.bm25(q, limit=10)],
        },
        queries,
    )
    table = format_markdown(rows, ["variant", "type", "n", "recall@10", "mrr@10"])
    print("\n" + table)
    results = REPO / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "search-dev.md").write_text(
        "# search-dev: recall@10 and MRR@10 per query type\n\n"
        f"Model: {encoder.model_name} ({encoder.dimension} dimensions); 60 records, 25 judged queries; "
        "written by tests/integration/search/test_search_quality.py.\n\n" + table + "\n",
        encoding="utf-8",
    )

    ours = {row["type"]: row for row in rows if row["variant"] == "TFDB hybrid (search())"}
    assert ours["all"]["recall@10"] >= RECALL_FLOOR_OVERALL
    assert ours["all"]["mrr@10"] >= MRR_FLOOR_OVERALL
    for query_type in QUERY_TYPES:
        assert ours[query_type]["recall@10"] >= RECALL_FLOOR_PER_TYPE, query_type
    bm25 = {row["type"]: row for row in rows if row["variant"].startswith("BM25")}
    assert ours["all"]["recall@10"] >= bm25["all"]["recall@10"]
    assert ours["crosslingual"]["recall@10"] > bm25["crosslingual"]["recall@10"] or ours["crosslingual"][
        "recall@10"
    ] == pytest.approx(1.0)
