"""Which records the full-text leg scores at all: the candidate test (the rarest typed words, and
rarer extras while the budget lasts) and whether it is read through GIN or checked on the rows
the filters keep."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import ColumnElement, bindparam, false, func, literal_column, or_

from tfdb_dam.db.models import Asset
from tfdb_dam.services.search_lexical_terms import LexTerm, estimated_rows
from tfdb_dam.services.search_terms import TermStats

# Which records are scored at all. Candidates are the records with all of the rarest typed words
# (the rarest alone, or ANDed with the next rarest until the estimated records fit
# CANDIDATE_BUDGET), plus those with a rarer thesaurus term or spelling as long as the budget
# lasts: a record with only common words could not outrank them. At most CANDIDATE_CAP records
# are scored, so the leg's cost stays flat however common the words are. When the narrowed set
# turns out smaller than FEW_RESULTS (the words rarely meet), the rarest typed word alone is
# scored too.
CANDIDATE_BUDGET, CANDIDATE_CAP, FEW_RESULTS = 1_000, 1_000, 20
# A word in more than this share of the records is not ANDed in: it narrows the candidates little
# and reading its GIN posting list costs the most (20 ms for a word in 70 % of a million records).
NARROWING_SHARE = 0.5
# Checking the words on one record the filters keep (fetching its row) costs about as much as
# reading this many GIN entries (1M assets: ~4 us a row, ~70 ns an entry).
ROW_CHECK_ENTRIES = 60
# Slices of the library by id, each with its own GIN indexes (migration 0015), read in this order
# under the cap's LIMIT: PostgreSQL starts no slice once the cap is met, so a common word's search
# reads an eighth of its lists rather than all of them. A search is sliced only when its rarest
# required word could fill the cap from the first half: otherwise every slice would be read, four
# scans for the work of one. The tests are SQL as the migration's index predicates are, for
# PostgreSQL to prove that a slice's index applies (the migration keeps its own frozen copy; the
# plan guard fails if they part). Ids come from a sequence, so none is negative and every record
# is in exactly one slice.
SLICES = (
    "(assets.id % 8) = 0",
    "(assets.id % 8) = 1",
    "(assets.id % 8) BETWEEN 2 AND 3",
    "(assets.id % 8) >= 4",
)
SLICED_FROM = 2 * CANDIDATE_CAP

FOLDED = Asset.__table__.c.search_folded
EXACT = Asset.__table__.c.search_exact


def _tsquery(value: str, name: str) -> ColumnElement:
    return func.to_tsquery(literal_column("'simple'::regconfig"), bindparam(name, value))


@dataclass(frozen=True)
class Recall:
    """The candidate condition: every ``required`` term (ANDed), or any of ``extras``."""

    required: tuple[LexTerm, ...]
    extras: tuple[LexTerm, ...]
    # Checked on the rows the filters keep rather than through the GIN indexes (see words_first).
    on_rows: bool = False
    # Read through the slices' GIN indexes in turn, until the cap is met (see sliced).
    sliced: bool = False

    @property
    def narrowed(self) -> bool:
        return len(self.required) > 1

    @property
    def merged(self) -> bool:
        """Whether the narrowed set and its broadened one are found in one statement. Checked on
        the filters' rows, the broadened set costs no more than the narrowed one: both read every
        row the filters keep, so one pass finds both rather than a second pass when the narrowed
        set is too small. Through GIN, the rarest word's list is the longer read: its set is only
        fetched when needed."""
        return self.on_rows and self.narrowed

    def broadened(self) -> "Recall":
        """The rarest required term alone, without the extras (the fallback of a narrowed set)."""
        return Recall(self.required[:1], (), self.on_rows, self.sliced)

    def postings(self, stats: TermStats) -> float:
        """GIN entries read to find the candidates: every list of every term (ANDed or not)."""
        return sum(estimated_rows(stats, term) for term in (*self.required, *self.extras))

    def condition(self, prefix: str = "recall") -> ColumnElement[bool]:
        matched = self.matched(prefix)
        # COALESCE: the same test, but no longer an expression the planner can match to an index.
        return func.coalesce(matched, false()) if self.on_rows else matched

    def with_fallback(self) -> ColumnElement[bool]:
        """This set or its broadened one, for one pass over the filters' rows: the rarest required
        word alone, or an extra (the records with every required word have the rarest too)."""
        wider = self.broadened().condition("wider")
        return or_(wider, Recall((), self.extras, self.on_rows).condition("extra"))

    def matched(self, prefix: str = "recall") -> ColumnElement[bool]:
        """The test itself (parameters named ``prefix``_…), NULL where a document is missing."""
        matches = []
        if self.required:
            both = " & ".join(t.query for t in self.required)
            matches.append(FOLDED.op("@@")(_tsquery(both, f"{prefix}_required")))
        for column in ("folded", "exact"):
            queries = [t.query for t in self.extras if t.column == column]
            if queries:
                matches.append(_column(column).op("@@")(_tsquery(" | ".join(queries), f"{prefix}_{column}")))
        return or_(*matches) if matches else false()


def recall(terms: list[LexTerm], stats: TermStats) -> Recall:
    """Which records are scored at all (see CANDIDATE_BUDGET)."""
    share = {id(t): estimated_rows(stats, t) / max(stats.rows, 1.0) for t in terms}
    typed = sorted((t for t in terms if t.kind == "query"), key=lambda t: share[id(t)])
    required, rows = [], max(stats.rows, 1.0)
    for term in typed:
        if required and share[id(term)] > NARROWING_SHARE:
            continue
        required.append(term)
        rows *= share[id(term)]  # words taken as independent: an estimate, the cap bounds the rest
        if rows <= CANDIDATE_BUDGET:
            break
    # Accent terms are the typed words again, with their accents: never more records than those.
    others = [t for t in terms if t.kind != "accent" and t not in required]
    others.sort(key=lambda t: share[id(t)])
    budget, extras = min(rows, CANDIDATE_BUDGET), []
    for term in others:
        rows = share[id(term)] * max(stats.rows, 1.0)
        if budget + rows > CANDIDATE_BUDGET:
            break
        extras.append(term)
        budget += rows
    return Recall(tuple(required), tuple(extras))


def words_first(kept: float, chosen: Recall, stats: TermStats) -> bool:
    """Whether the candidates are found through the words' GIN lists (then checked against the
    filters) rather than through the filters' own indexes (then checked for the words). GIN reads
    every entry of every list: at a million assets, two common place names ("Phong Điền") are
    400 000 entries and ~30 ms, where checking the words on a collection of 1 000 assets takes 4."""
    return kept * ROW_CHECK_ENTRIES >= chosen.postings(stats)


def sliced(kept: float, chosen: Recall, stats: TermStats) -> bool:
    """Whether the candidates are read slice by slice (SLICES): through GIN, with nothing but
    the required words to find, and enough records holding the rarest of them, among the
    ``kept`` the filters keep, to fill the cap from the first half of the library. Records are
    taken to pass the filters as often with the words as without them.

    The rarest word's count bounds the matches from above. recall's estimate of the words
    together would skip the searches that gain most: words that go together, as place names'
    syllables do, meet far more often than independent words would ("song tu bach ma": 1 620
    records estimated, 23 866 found at 1 M). Where the bound is loose, the growing slices keep
    the cost to four scans."""
    if chosen.on_rows or chosen.extras or not chosen.required:
        return False
    kept_share = 1.0 if math.isinf(kept) else kept / max(stats.rows, 1.0)
    rarest = min(estimated_rows(stats, term) for term in chosen.required)
    return rarest * kept_share >= SLICED_FROM


def _column(name: str):  # noqa: ANN202
    return FOLDED if name == "folded" else EXACT
