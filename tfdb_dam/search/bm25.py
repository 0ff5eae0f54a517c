"""An in-memory Okapi BM25 index over token lists, with weighted single-word and phrase terms.

The reference the PostgreSQL full-text legs are measured against, and a search that works with
no database at all (small collections, tests, evaluation).
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Callable, Hashable, Iterable, Mapping, Sequence

from tfdb_dam.search.text import tokens

__all__ = ["BM25Index", "Term"]

Term = tuple[str, ...]  # one word ("lang",) or a phrase ("le", "hoi")


class BM25Index:
    """BM25 (k1, b) over documents given as ``(key, text)``; text is split by ``tokenize``."""

    def __init__(
        self,
        documents: Mapping[Hashable, str] | Iterable[tuple[Hashable, str]],
        *,
        k1: float = 1.2,
        b: float = 0.75,
        tokenize: Callable[[str], list[str]] = tokens,
    ):
        items = documents.items() if isinstance(documents, Mapping) else documents
        self.k1, self.b, self.tokenize = k1, b, tokenize
        self.keys: list[Hashable] = []
        self.docs: list[list[str]] = []
        for key, text in items:
            self.keys.append(key)
            self.docs.append(tokenize(text or ""))
        self.word_counts: list[Counter[str]] = [Counter(doc) for doc in self.docs]
        self.average_length = sum(map(len, self.docs)) / max(len(self.docs), 1)
        self._df: dict[Term, int] = {}

    def __len__(self) -> int:
        return len(self.docs)

    def term_frequency(self, index: int, term: Term) -> int:
        if len(term) == 1:
            return self.word_counts[index][term[0]]
        doc, n = self.docs[index], len(term)
        if self.word_counts[index][term[0]] == 0:
            return 0
        return sum(1 for i in range(len(doc) - n + 1) if tuple(doc[i : i + n]) == term)

    def document_frequency(self, term: Term) -> int:
        if term not in self._df:
            self._df[term] = sum(1 for i in range(len(self.docs)) if self.term_frequency(i, term))
        return self._df[term]

    def idf(self, term: Term) -> float:
        # The "+1" form (Lucene's) keeps idf positive for words in most documents.
        df = self.document_frequency(term)
        return math.log(1 + (len(self.docs) - df + 0.5) / (df + 0.5))

    def _score(self, index: int, weighted: Mapping[Term, float]) -> float:
        norm = self.k1 * (1 - self.b + self.b * len(self.docs[index]) / (self.average_length or 1))
        score = 0.0
        for term, weight in weighted.items():
            tf = self.term_frequency(index, term)
            if tf:
                score += weight * self.idf(term) * tf * (self.k1 + 1) / (tf + norm)
        return score

    def search(
        self, query: Mapping[Term | str, float] | Sequence[Term | str], limit: int | None = 10
    ) -> list[tuple[Hashable, float]]:
        """Keys and scores of matching documents, best first (ties by insertion order).

        ``query`` is a list of terms (weight 1) or a mapping term → weight; a term is a word
        or a tuple of words that must appear consecutively.
        """
        weighted = _weighted_terms(query)
        if not weighted:
            return []
        scored = [(self._score(i, weighted), i) for i in range(len(self.docs))]
        ranked = sorted(((s, i) for s, i in scored if s > 0), key=lambda pair: (-pair[0], pair[1]))
        return [(self.keys[i], s) for s, i in ranked[:limit]]


def _weighted_terms(query: Mapping[Term | str, float] | Sequence[Term | str]) -> dict[Term, float]:
    pairs = query.items() if isinstance(query, Mapping) else ((term, 1.0) for term in query)
    weighted: dict[Term, float] = {}
    for term, weight in pairs:
        key = (term,) if isinstance(term, str) else tuple(term)
        if key and weight > 0:
            weighted[key] = max(weighted.get(key, 0.0), weight)
    return weighted
