"""What search knows about words: how rare each is (IDF from PostgreSQL's statistics of the
document column, refreshed by ANALYZE — nothing is counted at write time), English singular and
plural forms, and spelling corrections from the vocabulary (pg_trgm)."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

SIMILARITY_THRESHOLD = 0.45  # pg_trgm similarity for a spelling correction
_STATS_TTL_S = 60.0


def english_forms(words: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The words, and the plural or singular of the last one ("pagoda" ↔ "pagodas", "city" ↔
    "cities"): the documents are not stemmed, so a query word meets its other number here."""
    *head, last = words
    forms = [last]
    if len(last) >= 4 and not last.isdigit():
        if last.endswith("ies"):
            forms.append(last[:-3] + "y")
        elif last.endswith(("ses", "xes", "zes", "ches", "shes")):
            forms.append(last[:-2])
        elif last.endswith("s") and not last.endswith("ss"):
            forms.append(last[:-1])
        elif last.endswith("y") and last[-2] not in "aeiou":
            forms.append(last[:-1] + "ies")
        elif last.endswith(("s", "x", "z", "ch", "sh")):
            forms.append(last + "es")
        else:
            forms.append(last + "s")
    return tuple((*head, form) for form in dict.fromkeys(forms))


@dataclass(frozen=True)
class TermStats:
    """Document frequencies as PostgreSQL's statistics know them (ANALYZE of ``assets``)."""

    rows: float
    frequencies: dict[str, float]
    rare: float  # frequency assumed for a lexeme the statistics do not list

    def idf(self, word: str) -> float:
        n = max(self.rows, 1.0)
        df = self.frequencies.get(word, self.rare) * n
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def rows_with(self, words: tuple[str, ...]) -> float:
        """Estimated records containing all ``words`` (at most those with the rarest of them)."""
        return max(self.rows, 1.0) * min((self.frequencies.get(w, self.rare) for w in words), default=1.0)


_stats_cache: dict[tuple[str, str], tuple[float, TermStats]] = {}
_stats_lock = threading.Lock()


def term_stats(session: Session, column: str = "search_folded") -> TermStats:
    """The column's lexeme statistics, cached for a minute per database."""
    key = (str(session.get_bind().url), column)
    with _stats_lock:
        cached = _stats_cache.get(key)
    if cached and time.monotonic() - cached[0] < _STATS_TTL_S:
        return cached[1]
    stats = _read_stats(session, column)
    with _stats_lock:
        _stats_cache[key] = (time.monotonic(), stats)
    return stats


def forget_stats() -> None:
    """Drop cached statistics (after ANALYZE in tests and `tfdb reindex`)."""
    with _stats_lock:
        _stats_cache.clear()


def _read_stats(session: Session, column: str) -> TermStats:
    rows = (
        session.execute(
            text("SELECT greatest(c.reltuples, 0) FROM pg_class c WHERE c.oid = 'assets'::regclass")
        ).scalar()
        or 0.0
    )
    found = session.execute(
        text(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE schemaname = current_schema() AND tablename = 'assets' AND attname = :column"
        ),
        {"column": column},
    ).first()
    if rows <= 0:
        rows = float(session.execute(text("SELECT count(*) FROM assets")).scalar_one())
    if not found or not found[0]:
        return TermStats(rows, {}, 1.0 / max(rows, 1.0))
    words, freqs = found
    # The frequency list ends with the minimum, maximum and null fraction; a lexeme that is not
    # listed is rarer than the least common listed one.
    listed = dict(zip(words, freqs[: len(words)]))
    floor = min(freqs[len(words)], 1.0) if len(freqs) > len(words) else 1.0 / max(rows, 1.0)
    return TermStats(rows, listed, min(floor / 2, 1.0 / max(rows, 1.0)) if floor else 1.0 / max(rows, 1.0))


# For each query word none of whose forms (english_forms) is in the vocabulary, the most similar
# words of the vocabulary: one statement, one round trip.
_CORRECTIONS = text(
    "WITH forms(word, form) AS (SELECT * FROM unnest(CAST(:words AS text[]), CAST(:forms AS text[]))), "
    "unknown AS (SELECT DISTINCT f.word FROM forms f WHERE NOT EXISTS ("
    "SELECT 1 FROM forms g JOIN search_terms t ON t.term = g.form WHERE g.word = f.word)) "
    "SELECT u.word, m.term, m.sim FROM unknown u "
    "CROSS JOIN LATERAL (SELECT t.term, similarity(t.term, u.word) AS sim FROM search_terms t "
    "WHERE t.term % u.word ORDER BY sim DESC, t.term LIMIT 2) m WHERE m.sim >= :threshold "
    "ORDER BY u.word, m.sim DESC, m.term"
)


def spelling_corrections(
    session: Session, words: tuple[str, ...], known: Collection[str] = ()
) -> dict[str, list[tuple[str, float]]]:
    """For query words no document contains, the most similar words of the vocabulary. A word
    whose plural or singular is known is spelled right ("tourists" when "tourist" exists). Words
    with a form in ``known`` (the lexemes ANALYZE lists as common: in the documents for sure) are
    not looked up: when all are, as in most searches, the round trip is saved."""
    forms = {w: [form[0] for form in english_forms((w,))] for w in words if len(w) >= 4 and not w.isdigit()}
    unknown = {word: spelled for word, spelled in forms.items() if not any(f in known for f in spelled)}
    if not unknown:
        return {}
    pairs = [(word, form) for word, spelled in unknown.items() for form in spelled]
    rows = session.execute(
        _CORRECTIONS,
        {"words": [w for w, _ in pairs], "forms": [f for _, f in pairs], "threshold": SIMILARITY_THRESHOLD},
    ).all()
    corrections: dict[str, list[tuple[str, float]]] = {}
    for word, term, sim in rows:
        corrections.setdefault(word, []).append((term, float(sim)))
    return {word: corrections[word] for word in unknown if word in corrections}
