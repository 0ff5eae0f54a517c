"""Measuring a search method on judged queries: recall@k and MRR@k per query type and overall.

Reads the search-dev format (``corpus.csv`` with a ``key`` column, ``queries.json`` with ``q``,
``type``, ``relevant``) and scores any ``search(query) -> ranked keys`` callable.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Hashable, Iterable, Mapping, Sequence

__all__ = [
    "JudgedQuery",
    "QUERY_TYPES",
    "compare",
    "evaluate",
    "format_markdown",
    "load_corpus",
    "load_queries",
    "recall_at",
    "reciprocal_rank",
    "score_queries",
]

QUERY_TYPES = ("keyword", "noaccent", "typo", "paraphrase", "crosslingual", "descriptive")
OVERALL = "all"

Search = Callable[[str], Sequence[Hashable]]


@dataclass(frozen=True)
class JudgedQuery:
    q: str
    type: str
    relevant: frozenset[str]
    lang: str = ""


def load_corpus(path: str | Path) -> list[dict[str, str]]:
    """The records of a search-dev style CSV, one dict per row (empty cells as "")."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [{k: (v or "") for k, v in row.items()} for row in csv.DictReader(handle)]


def load_queries(path: str | Path) -> list[JudgedQuery]:
    """The judged queries of a search-dev style JSON file."""
    with open(path, encoding="utf-8") as handle:
        raw = json.load(handle)
    return [JudgedQuery(item["q"], item.get("type", ""), frozenset(item["relevant"]), item.get("lang", "")) for item in raw]


def recall_at(ranked: Sequence[Hashable], relevant: Iterable[Hashable], k: int = 10) -> float:
    """Share of the relevant keys found in the first ``k`` results."""
    wanted = set(relevant)
    return len(wanted & set(ranked[:k])) / len(wanted) if wanted else 0.0


def reciprocal_rank(ranked: Sequence[Hashable], relevant: Iterable[Hashable], k: int = 10) -> float:
    """1 / rank of the first relevant key within the first ``k`` results, else 0."""
    wanted = set(relevant)
    for rank, key in enumerate(ranked[:k], start=1):
        if key in wanted:
            return 1.0 / rank
    return 0.0


def score_queries(search: Search, queries: Sequence[JudgedQuery], k: int = 10) -> list[dict]:
    """One row per query: its text, type, recall@k, reciprocal rank and the top keys returned."""
    rows = []
    for query in queries:
        ranked = list(search(query.q))
        rows.append({
            "q": query.q,
            "type": query.type,
            f"recall@{k}": recall_at(ranked, query.relevant, k),
            f"mrr@{k}": reciprocal_rank(ranked, query.relevant, k),
            "top": ranked[:k],
        })
    return rows


def _summary(label: str, rows: Sequence[dict], k: int) -> dict:
    n = len(rows)
    return {
        "type": label,
        "n": n,
        f"recall@{k}": sum(r[f"recall@{k}"] for r in rows) / n if n else 0.0,
        f"mrr@{k}": sum(r[f"mrr@{k}"] for r in rows) / n if n else 0.0,
    }


def evaluate(search: Search, queries: Sequence[JudgedQuery], k: int = 10) -> list[dict]:
    """Rows ``{type, n, recall@k, mrr@k}``: one per query type present, then ``all``."""
    per_query = score_queries(search, queries, k)
    present = [t for t in QUERY_TYPES if any(r["type"] == t for r in per_query)]
    present += sorted({r["type"] for r in per_query} - set(present))
    table = [_summary(t, [r for r in per_query if r["type"] == t], k) for t in present]
    table.append(_summary(OVERALL, per_query, k))
    return table


def compare(variants: Mapping[str, Search], queries: Sequence[JudgedQuery], k: int = 10) -> list[dict]:
    """``evaluate`` for each named variant, rows tagged with ``variant``, in the given order."""
    return [{"variant": name, **row} for name, search in variants.items() for row in evaluate(search, queries, k)]


def _cell(value) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def format_markdown(rows: Sequence[Mapping], columns: Sequence[str] | None = None) -> str:
    """A Markdown table of ``rows`` (columns default to the first row's keys)."""
    if not rows:
        return ""
    columns = list(columns or rows[0].keys())
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    lines += ["| " + " | ".join(_cell(row.get(c, "")) for c in columns) + " |" for row in rows]
    return "\n".join(lines)
