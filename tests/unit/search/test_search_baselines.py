"""Each search leg and their fusion measured on search-dev; prints the comparison table.

Run with ``-s`` to see the table. The numbers inform ``fusion.DEFAULT_WEIGHTS``; the test only
asserts that they are computed and that the thesaurus does not make BM25 worse.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from tfdb_dam.search.baselines import InMemorySearch
from tfdb_dam.search.evaluation import QUERY_TYPES, compare, format_markdown, load_corpus, load_queries
from tfdb_dam.search.fusion import fuse
from tfdb_dam.search.thesaurus import default_thesaurus

SEARCH_DEV = Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "search-dev"


@pytest.fixture(scope="module")
def dev():
    if not (SEARCH_DEV / "corpus.csv").is_file():
        pytest.skip(f"search-dev corpus not found at {SEARCH_DEV} (it lives in the shared/ folder beside the repo)")
    from tfdb_dam.embeddings import load_encoder

    records = load_corpus(SEARCH_DEV / "corpus.csv")
    engine = InMemorySearch(records, encoder=load_encoder(), thesaurus=default_thesaurus())
    return records, load_queries(SEARCH_DEV / "queries.json"), engine


def _keys(hits):
    return [hit[0] if isinstance(hit, tuple) else hit.asset_id for hit in hits]


def _variants(engine: InMemorySearch):
    legs = lru_cache(maxsize=None)(engine.legs)  # the two fusions share each query's legs
    equal = {"fts": 1, "exact": 1, "trigram": 1, "vector": 1}
    return {
        "BM25": lambda q: _keys(engine.bm25(q)),
        "BM25 + thesaurus": lambda q: _keys(engine.bm25(q, expand=True)),
        "fts_vi leg (+thesaurus)": lambda q: _keys(engine.fts(engine.parse(q), "vi")),
        "fts_en leg (+thesaurus)": lambda q: _keys(engine.fts(engine.parse(q), "en")),
        "exact-accent leg": lambda q: _keys(engine.exact_leg(engine.parse(q))),
        "trigram leg": lambda q: _keys(engine.trigram(engine.parse(q))),
        "MiniLM vectors": lambda q: _keys(legs(q)["vector"]),
        "RRF equal weights, k=60": lambda q: _keys(fuse(legs(q), equal, k=60)),
        "RRF default weights": lambda q: _keys(fuse(legs(q), lang=engine.parse(q).lang)),
    }


def _pivot(rows):
    table = {}
    for row in rows:
        cell = f"{row['recall@10']:.2f} / {row['mrr@10']:.2f}"
        table.setdefault(row["variant"], {"variant": row["variant"]})[row["type"]] = cell
    return list(table.values())


def test_compare_variants_on_search_dev(dev):
    _, queries, engine = dev
    rows = compare(_variants(engine), queries)
    print("\n\nrecall@10 / MRR@10 on search-dev (per query type, then all)\n")
    print(format_markdown(_pivot(rows), ["variant", *QUERY_TYPES, "all"]))
    overall = {row["variant"]: row for row in rows if row["type"] == "all"}
    assert len(overall) == 9 and all(row["n"] == len(queries) for row in overall.values())
    for row in rows:
        assert 0.0 <= row["recall@10"] <= 1.0 and 0.0 <= row["mrr@10"] <= 1.0
    plain, expanded = overall["BM25"], overall["BM25 + thesaurus"]
    assert expanded["recall@10"] >= plain["recall@10"]
    assert expanded["mrr@10"] >= plain["mrr@10"]


def test_fused_hits_explain_themselves(dev):
    _, _, engine = dev
    hits = engine.search("lăng Gia Long")
    assert hits[0].asset_id == "D013"
    assert "title matches 'lăng' (exact accents)" in hits[0].explain("en")
    assert "tiêu đề khớp 'lăng' (đúng dấu)" in hits[0].explain("vi")
    assert "thesaurus: lang → tomb" in engine.search("lang dong khanh")[0].explain("en")
