"""Weighted reciprocal rank fusion and its explanations."""

from __future__ import annotations

import random

import pytest

from tfdb_dam.search.fusion import DEFAULT_WEIGHTS, Evidence, LegHit, fuse, fused_scores, weights_for


def test_rrf_arithmetic():
    hits = fuse({"a": [("x", 9.0), ("y", 8.0)], "b": [("y", 0.9)]}, {"a": 1.0, "b": 2.0}, k=10)
    scores = {h.asset_id: h.score for h in hits}
    assert scores["x"] == pytest.approx(1 / 11)
    assert scores["y"] == pytest.approx(1 / 12 + 2 / 11)
    assert [h.asset_id for h in hits] == ["y", "x"]


def test_leg_details_and_order_of_contributions():
    (hit,) = fuse({"fts": [("x", 3.5)], "vector": [("z", 0.9), ("x", 0.62)]}, {"fts": 1, "vector": 0.5}, k=10)[:1]
    assert hit.asset_id == "x"
    assert [(m.leg, m.rank) for m in hit.matches] == [("fts", 1), ("vector", 2)]
    assert hit.matches[1].score == pytest.approx(0.62)


def test_zero_weight_leg_is_ignored_and_unknown_leg_counts_once():
    hits = fuse({"exact": [("x", 1.0)], "custom": [("y", 1.0)]}, {"exact": 0.0})
    assert [h.asset_id for h in hits] == ["y"]


def test_duplicates_in_a_leg_keep_best_rank():
    (hit,) = fuse({"a": [("x", 2.0), ("x", 1.0)]}, {"a": 1.0}, k=10)
    assert hit.score == pytest.approx(1 / 11)


def test_ties_are_deterministic():
    legs = {"a": [("p", 1.0), ("q", 1.0)], "b": [("q", 1.0), ("p", 1.0)]}
    first = [h.asset_id for h in fuse(legs, {"a": 1, "b": 1})]
    assert first == [h.asset_id for h in fuse(dict(reversed(list(legs.items()))), {"a": 1, "b": 1})]
    assert first == ["p", "q"]  # equal score and legs: best single rank, then id


def test_weights_depend_on_language():
    assert weights_for("en")["vector"] > weights_for("vi")["vector"]
    assert weights_for("en")["exact"] == 0.0
    assert weights_for("vi", {"vector": 0.9})["vector"] == 0.9
    assert weights_for("unknown") == dict(DEFAULT_WEIGHTS["mixed"])
    hits_vi = fuse({"exact": [("x", 1.0)]}, lang="vi")
    hits_en = fuse({"exact": [("x", 1.0)]}, lang="en")
    assert hits_vi and not hits_en


def test_reasons_in_english_and_vietnamese():
    legs = {
        "fts": [LegHit("x", 2.0, (Evidence("title", "lăng", exact_accents=True), Evidence("description", "lăng", via="tomb")))],
        "vector": [LegHit("x", 0.6234)],
        "trigram": [("x", 0.5)],
        "fts_en": [("x", 1.0)],
    }
    (hit,) = fuse(legs, {"fts": 1, "vector": 1, "trigram": 1, "fts_en": 1})
    assert hit.explain("en") == [
        "title matches 'lăng' (exact accents)",
        "thesaurus: tomb → lăng",
        "English full text, rank 1",
        "similar spelling 0.50",
        "semantic similarity 0.62",
    ]
    assert hit.explain("vi") == [
        "tiêu đề khớp 'lăng' (đúng dấu)",
        "từ điển đồng nghĩa: tomb → lăng",
        "toàn văn tiếng Anh, hạng 1",
        "gần đúng chính tả 0,50",
        "tương đồng ngữ nghĩa 0,62",
    ]


def test_limit_and_empty():
    assert fuse({}) == []
    assert len(fuse({"a": [(i, 1.0) for i in range(30)]}, limit=5)) == 5


def test_unexplained_fusion_ranks_the_same_without_reasons():
    legs = {"fts": [("x", 3.5), ("y", 2.0)], "vector": [("y", 0.9), ("z", 0.5)]}
    explained, bare = fuse(legs, {"fts": 1, "vector": 0.5}), fuse(legs, {"fts": 1, "vector": 0.5}, explain=False)
    assert [(h.asset_id, h.score) for h in bare] == [(h.asset_id, h.score) for h in explained]
    assert all(h.reasons for h in explained) and not any(h.reasons for h in bare)


def test_fused_scores_are_fuse_without_the_explanations():
    legs = {
        "fts": [("p", 3.0), ("q", 2.0), ("r", 1.5), ("p", 1.0), ("s", 1.0)],
        "vector": [("q", 0.9), ("t", 0.8), ("p", 0.7)],
        "image": [("t", 0.5), ("u", 0.4)],
        "off": [("v", 1.0)],
    }
    weights = {"fts": 1.0, "vector": 0.4, "image": 0.4, "off": 0.0}
    expected = [(h.asset_id, h.score) for h in fuse(legs, weights, k=60, explain=False)]
    assert fused_scores(legs, weights, k=60) == expected
    assert [asset_id for asset_id, _ in expected] == ["p", "q", "r", "s", "t", "u"]  # "v": weight 0


@pytest.mark.parametrize("k", [60, 700_000])
def test_fused_scores_break_ties_and_near_ties_as_fuse_does(k):
    """fused_scores sorts by the exact score and settles only runs of near scores: exact ties
    (0.4 / 64 == 1 / 160), sums of three legs, repeated ids, ids whose str() collide, and at a
    huge k neighbouring ranks whose scores round alike at 12 decimals."""
    rng = random.Random(k)
    for _ in range(200):
        pool = [*range(40), *map(str, range(5))]
        legs = {
            leg: [(rng.choice(pool), 0.0) for _ in range(rng.randint(0, 120))]
            for leg in rng.sample(["fts", "vector", "image", "exact"], rng.randint(1, 4))
        }
        weights = {leg: rng.choice([1.0, 0.4, 0.15, 1, 0.0]) for leg in legs if rng.random() < 0.9}
        expected = [(h.asset_id, h.score) for h in fuse(legs, weights, k=k, explain=False)]
        assert fused_scores(legs, weights, k=k) == expected
