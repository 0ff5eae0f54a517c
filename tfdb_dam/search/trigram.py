"""Trigram similarity as PostgreSQL's pg_trgm computes it, for misspelled words ("toomb", "aiport").

Used in memory to measure what the trigram leg adds; the SQL leg uses pg_trgm itself on the
folded column, so the two agree on what "similar spelling" means.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Sequence

from tfdb_dam.search.text import fold

__all__ = ["best_word_similarity", "fuzzy_score", "similarity", "trigrams", "word_trigrams"]

_WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=65536)
def word_trigrams(word: str) -> frozenset[str]:
    """pg_trgm's trigrams of one word: padded with two spaces before and one after."""
    padded = f"  {word} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def trigrams(text: str) -> frozenset[str]:
    """All trigrams of the folded words of ``text`` (pg_trgm's ``show_trgm``)."""
    found: set[str] = set()
    for word in _WORD.findall(fold(text)):
        found |= word_trigrams(word)
    return frozenset(found)


def similarity(a: str, b: str) -> float:
    """pg_trgm ``similarity(a, b)``: shared trigrams over all distinct trigrams."""
    ta, tb = trigrams(a), trigrams(b)
    union = len(ta | tb)
    return len(ta & tb) / union if union else 0.0


def best_word_similarity(word: str, candidates: Iterable[str]) -> float:
    """The highest similarity between folded ``word`` and any single candidate word."""
    target = word_trigrams(word)
    best = 0.0
    for candidate in candidates:
        other = word_trigrams(candidate)
        union = len(target | other)
        if union:
            best = max(best, len(target & other) / union)
    return best


def fuzzy_score(query_words: Sequence[str], document_words: Iterable[str], threshold: float = 0.3) -> float:
    """Mean over query words of their best similarity to a document word (below threshold: 0)."""
    vocabulary = set(document_words)
    if not query_words or not vocabulary:
        return 0.0
    scores = [best_word_similarity(word, vocabulary) for word in query_words]
    return sum(s for s in scores if s >= threshold) / len(query_words)
