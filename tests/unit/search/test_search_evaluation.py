"""Metrics on hand-made data, the Markdown table, BM25 and trigram scoring."""

from __future__ import annotations

import json

import pytest

from tfdb_dam.search.bm25 import BM25Index
from tfdb_dam.search.evaluation import (
    JudgedQuery,
    compare,
    evaluate,
    format_markdown,
    load_corpus,
    load_queries,
    recall_at,
    reciprocal_rank,
)
from tfdb_dam.search.trigram import fuzzy_score, similarity, trigrams

QUERIES = [
    JudgedQuery("a", "keyword", frozenset({"D1", "D2"})),
    JudgedQuery("b", "keyword", frozenset({"D3"})),
    JudgedQuery("c", "typo", frozenset({"D4"})),
]
RESULTS = {"a": ["D9", "D1", "D8"], "b": ["D3"], "c": []}


def test_recall_and_reciprocal_rank():
    assert recall_at(["D9", "D1", "D8"], {"D1", "D2"}) == 0.5
    assert recall_at(["x"] * 10 + ["D1"], {"D1"}, k=10) == 0.0
    assert reciprocal_rank(["D9", "D1"], {"D1", "D2"}) == 0.5
    assert reciprocal_rank(["x"] * 10 + ["D1"], {"D1"}) == 0.0
    assert recall_at([], set()) == 0.0


def test_evaluate_per_type_and_overall():
    rows = evaluate(lambda q: RESULTS[q], QUERIES)
    by_type = {row["type"]: row for row in rows}
    assert [row["type"] for row in rows] == ["keyword", "typo", "all"]
    assert by_type["keyword"] == {"type": "keyword", "n": 2, "recall@10": 0.75, "mrr@10": 0.75}
    assert by_type["typo"]["recall@10"] == 0.0
    assert by_type["all"]["recall@10"] == pytest.approx(0.5)
    assert by_type["all"]["mrr@10"] == pytest.approx(0.5)


def test_compare_and_markdown():
    rows = compare({"perfect": lambda q: sorted(next(x.relevant for x in QUERIES if x.q == q)), "none": lambda q: []}, QUERIES)
    table = format_markdown(rows, ["variant", "type", "n", "recall@10", "mrr@10"])
    lines = table.splitlines()
    assert lines[0] == "| variant | type | n | recall@10 | mrr@10 |"
    assert lines[1] == "|---|---|---|---|---|"
    assert "| perfect | all | 3 | 1.000 | 1.000 |" in lines
    assert "| none | all | 3 | 0.000 | 0.000 |" in lines
    assert format_markdown([]) == ""


def test_loaders(tmp_path):
    corpus = tmp_path / "corpus.csv"
    corpus.write_text("key,title_vi,title_en\nD1,Lăng,\n", encoding="utf-8")
    queries = tmp_path / "queries.json"
    queries.write_text(json.dumps([{"q": "lăng", "lang": "vi", "relevant": ["D1"], "type": "keyword"}]), encoding="utf-8")
    assert load_corpus(corpus) == [{"key": "D1", "title_vi": "Lăng", "title_en": ""}]
    assert load_queries(queries) == [JudgedQuery("lăng", "keyword", frozenset({"D1"}), "vi")]


def test_bm25_ranks_rare_and_repeated_words_higher():
    index = BM25Index({"a": "lăng Gia Long", "b": "lăng lăng Minh Mạng", "c": "chùa Thiên Mụ"})
    assert [key for key, _ in index.search(["lang"])] == ["b", "a"]
    assert index.search(["gia", "long"])[0][0] == "a"
    assert index.search([]) == [] and index.search(["khong"]) == []


def test_bm25_phrases_and_weights():
    index = BM25Index({"a": "lễ hội cầu ngư", "b": "hội nghị về lễ"})
    assert [k for k, _ in index.search([("le", "hoi")])] == ["a"]
    weighted = index.search({("nghi",): 0.1, ("cau",): 1.0})
    assert weighted[0][0] == "a"


def test_trigrams_match_pg_trgm():
    # pg_trgm: show_trgm('cat') = {"  c"," ca","at ","cat"}
    assert trigrams("Cát") == frozenset({"  c", " ca", "cat", "at "})
    assert similarity("tomb", "tomb") == 1.0
    assert 0.3 < similarity("toomb", "tomb") < 1.0
    assert fuzzy_score(["aiport"], ["airport", "terminal"]) > 0.4
    assert fuzzy_score(["xyz"], ["airport"]) == 0.0
