"""The full-text leg: BM25-like scoring in PostgreSQL over the folded and accented documents.

``ts_rank`` weighs where a word occurs (title, tags, description, the rest) and saturates repeats,
but knows nothing of how rare a word is; each query term is therefore ranked on its own and
multiplied by its IDF, read from PostgreSQL's own statistics of the document column (the most
common lexemes ANALYZE keeps), so nothing has to be counted at write time. Thesaurus terms and
spelling corrections join the same sum with lower weights; accented query words earn a bonus on
the accented document, which ranks exact-accent matches above folded ones.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from sqlalchemy import (
    ColumnElement,
    Float,
    Select,
    Text,
    TextClause,
    and_,
    bindparam,
    false,
    func,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import BinaryExpression, BindParameter, BooleanClauseList, ColumnClause

from tfdb_dam.db.models import Asset
from tfdb_dam.search.query import ParsedQuery, tsquery_phrase
from tfdb_dam.search.text import exact_tokens, fold, tokens
from tfdb_dam.services.search_terms import TermStats, english_forms, spelling_corrections, term_stats
from tfdb_dam.services.search_vector import kept_rows, serially
from tfdb_dam.services.visibility import PUBLIC_STATUSES

# ts_rank weights for D, C, B, A: the rest (source, credit, file name, document text),
# description, tags and category, title.
RANK_WEIGHTS = "{0.25,0.45,0.7,1.0}"
_RANK_WEIGHTS = f"'{RANK_WEIGHTS}'::float4[]"
QUERY_WEIGHT, THESAURUS_WEIGHT, TRANSLATION_WEIGHT, SPELLING_WEIGHT = 1.0, 0.5, 1.0, 0.7
# A word typed with accents: its folded match (which may be another word: nghỉ/nghi, lăng/làng)
# counts ACCENTED_FOLDED_WEIGHT, the match with the same accents ACCENT_BONUS on top.
ACCENTED_FOLDED_WEIGHT, ACCENT_BONUS = 0.5, 0.5
RANK_NORMALIZATION = 1  # ts_rank: divide by log2 of the document's length
# A term whose factor (weight x IDF) is below this is not ranked: IDF 0.01 is a word in 99 % of
# the records (or a translation of one), which moves a score by a hundredth of a rank at most.
# At 100 000 synthetic records this skips a quarter of the terms and halves the leg's time
# (p50 31 -> 16 ms): such words occur many times in every document, and ts_rank reads them all.
NEGLIGIBLE_FACTOR = 0.01
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
# Filters keeping at least this share of the records are checked on the candidates' rows rather
# than through their own indexes (see _as_filters).
BROAD_FILTER_SHARE = 0.2
# The statuses of the one view whose documents have GIN indexes of their own: the public's
# (migration 0014, whose predicate names the same; test_search_plans checks that the public reads
# it). Not the journalists' (approved or published): with indexes for both views, PostgreSQL served
# some of the public's searches from the journalists' and ANDed the status index in (1M, p95 80 ms).
INDEXED_VIEW = frozenset(status.value for status in PUBLIC_STATUSES)

FOLDED = Asset.__table__.c.search_folded
EXACT = Asset.__table__.c.search_exact


@dataclass(frozen=True)
class LexTerm:
    """One scored term: word sequences matched on one document, its weight, and its explanation."""

    column: str  # "folded" | "exact"
    forms: tuple[tuple[str, ...], ...]  # any of these word sequences is a match (plural, singular)
    weight: float
    kind: str  # "query" | "accent" | "thesaurus" | "spelling"
    shown: str  # the word as the reason names it
    via: str | None = None  # the query word it came from (thesaurus, spelling)
    # Which reading of the query the term belongs to: "typed" (same-language synonyms),
    # "translated" (the thesaurus' other language), or "both" (the words as typed, spellings).
    side: str = "both"

    @property
    def words(self) -> tuple[str, ...]:
        return self.forms[0]

    @property
    def query(self) -> str:
        """The to_tsquery('simple', …) input: the forms ORed."""
        parts = [tsquery_phrase(form) for form in self.forms if form]
        return parts[0] if len(parts) == 1 else "(" + " | ".join(parts) + ")"

    @property
    def group(self) -> tuple[str, str]:
        """Terms of one group stand for one query word or phrase: only the best of them counts."""
        return (
            (self.kind, self.via or self.query)
            if self.kind in ("thesaurus", "spelling")
            else (self.kind, self.query)
        )


def lexical_terms(parsed: ParsedQuery, corrections: dict[str, list[tuple[str, float]]]) -> list[LexTerm]:
    """Every term the leg scores, with its weight; the same word is never counted twice."""
    terms: dict[tuple[str, str], LexTerm] = {}

    def add(term: LexTerm) -> None:
        if term.words and (term.column, term.query) not in terms:
            terms[(term.column, term.query)] = term

    typed = {fold(word): word for word in exact_tokens(parsed.nfc)}  # to name words as typed
    english = parsed.lang != "vi"
    for phrase in parsed.phrases:
        forms = english_forms(phrase) if english else (phrase,)
        add(LexTerm("folded", forms, QUERY_WEIGHT, "query", " ".join(phrase)))
    accented = {fold(word) for word in parsed.exact_terms} if parsed.has_accents else set()
    for word in parsed.terms:
        forms = english_forms((word,)) if english else ((word,),)
        weight = ACCENTED_FOLDED_WEIGHT if word in accented else QUERY_WEIGHT
        add(LexTerm("folded", forms, weight, "query", typed.get(word, word)))
    if parsed.has_accents:
        for word in parsed.exact_terms:
            add(LexTerm("exact", ((word,),), ACCENT_BONUS, "accent", word))
    for expansion in parsed.expansions:
        # A synonym is weaker evidence than the word typed; a translation is the query itself for
        # a record written only in the other language.
        side = "typed" if expansion.lang == parsed.lang else "translated"
        weight = THESAURUS_WEIGHT if side == "typed" else TRANSLATION_WEIGHT
        # Vietnamese thesaurus terms are matched with their accents: "lăng" (tomb) is not "làng".
        if expansion.lang == "vi":
            add(
                LexTerm(
                    "exact",
                    (tuple(exact_tokens(expansion.term)),),
                    weight,
                    "thesaurus",
                    expansion.term,
                    expansion.source,
                    side,
                )
            )
        else:
            add(
                LexTerm(
                    "folded",
                    english_forms(tuple(tokens(expansion.folded))),
                    weight,
                    "thesaurus",
                    expansion.term,
                    expansion.source,
                    side,
                )
            )
    for word, matches in corrections.items():
        for term, sim in matches:
            add(LexTerm("folded", ((term,),), SPELLING_WEIGHT * sim, "spelling", term, word))
    return list(terms.values())


def term_factor(stats: TermStats, term: LexTerm) -> float:
    """The term's weight times how telling it is. A phrase is as telling as its rarest word; a
    thesaurus term as the query words it translates together, since a Vietnamese word of two
    syllables counts as two terms and its one-word English equivalent must weigh as much."""
    if term.kind == "thesaurus":
        return term.weight * sum(stats.idf(word) for word in tokens(term.via or ""))
    return term.weight * max((stats.idf(fold(word)) for word in term.words), default=0.0)


def _tsquery(value: str, name: str) -> ColumnElement:
    return func.to_tsquery(literal_column("'simple'::regconfig"), bindparam(name, value))


def estimated_rows(stats: TermStats, term: LexTerm) -> float:
    """Records holding one of the term's forms, by the statistics (forms counted apart)."""
    found = sum(stats.rows_with(tuple(fold(word) for word in form)) for form in term.forms if form)
    return min(found, max(stats.rows, 1.0))


@dataclass(frozen=True)
class Recall:
    """The candidate condition: every ``required`` term (ANDed), or any of ``extras``."""

    required: tuple[LexTerm, ...]
    extras: tuple[LexTerm, ...]
    # Checked on the rows the filters keep rather than through the GIN indexes (see words_first).
    on_rows: bool = False

    @property
    def narrowed(self) -> bool:
        return len(self.required) > 1

    def broadened(self) -> "Recall":
        """The rarest required term alone, without the extras (the fallback of a narrowed set)."""
        return Recall(self.required[:1], (), self.on_rows)

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


def _column(name: str):  # noqa: ANN202
    return FOLDED if name == "folded" else EXACT


def _ranks(terms: list[LexTerm]) -> TextClause:
    """``rank_<i>``: each term's ts_rank on the candidate's document, 0 where it is absent."""
    columns = [
        f"coalesce(ts_rank({_RANK_WEIGHTS}, candidates.{term.column}, "
        f"to_tsquery('simple'::regconfig, :term_{index}), {RANK_NORMALIZATION}), 0) AS rank_{index}"
        for index, term in enumerate(terms)
    ]
    binds = [bindparam(f"term_{index}", term.query, type_=Text) for index, term in enumerate(terms)]
    return text(", ".join(columns)).bindparams(*binds)


def _reading(terms: list[tuple[int, LexTerm]], stats: TermStats, reading: str) -> tuple[str, list]:
    """Σ over term groups of factor × the best rank in the group, and its factors' parameters.
    The factors are parameters: queries of the same shape then share SQLAlchemy's compiled SQL."""
    groups: dict[tuple[str, str], list[tuple[float, int]]] = {}
    for index, term in terms:
        groups.setdefault(term.group, []).append((term_factor(stats, term), index))
    parts, binds = [], []
    for number, members in enumerate(groups.values()):
        name = f"{reading}_factor_{number}"
        ranks = [f"ranked.rank_{index}" for _, index in members]
        best = ranks[0] if len(ranks) == 1 else f"greatest({', '.join(ranks)})"
        parts.append(f":{name} * {best}")
        binds.append(bindparam(name, round(max(f for f, _ in members), 6), type_=Float))
    return (" + ".join(parts) or "0.0"), binds


def _score(terms: list[LexTerm], stats: TermStats) -> TextClause:
    """The leg's score: the better of the query as typed and as the thesaurus translates it."""
    numbered = list(enumerate(terms))
    sides = [side for side in ("typed", "translated") if any(t.side == side for t in terms)]
    readings = [
        _reading([(i, t) for i, t in numbered if t.side in ("both", side)], stats, side) for side in sides
    ] or [_reading(numbered, stats, "both")]
    sums = [f"({sql})" for sql, _ in readings]
    score = sums[0] if len(sums) == 1 else f"greatest({', '.join(sums)})"
    return text(f"{score} AS score").bindparams(*[b for _, binds in readings for b in binds])


def lexical_statement(
    terms: list[LexTerm],
    stats: TermStats,
    conditions: list[ColumnElement[bool]],
    limit: int,
    candidates_of: Recall | None = None,
    *,
    merged: bool = False,
    cap: int | None = CANDIDATE_CAP,
) -> Select:
    """The leg's SQL: candidates through the GIN indexes (capped), each term ranked once, scored
    as the query was typed and as the thesaurus translates it; a record counts by the better
    reading, so a record in one language is not outranked for lacking the other. ``merged``:
    the candidates are the narrowed set and its broadened one at once (see run_lexical), each row
    flagged ``narrow`` when it belongs to the first. ``cap`` None scores every candidate: the
    benchmark's measure of what the cap costs.

    The ranking and the score are SQL text with parameters: their shape changes with every
    query's terms, and building and compiling them as expression trees cost ~10 ms a query."""
    # `|| ''` hands each candidate's documents to the ranking already detoasted: they are often
    # stored out of line, and every ts_rank call would otherwise fetch and decompress them again.
    empty = literal_column("''::tsvector")
    columns = [Asset.id.label("id"), FOLDED.op("||")(empty).label("folded")]
    if any(t.column == "exact" for t in terms):
        columns.append(EXACT.op("||")(empty).label("exact"))
    chosen = candidates_of or recall(terms, stats)
    if merged:
        # The narrowed set first, so that the cap never crowds it out; `narrow` tells run_lexical
        # which rows it holds.
        narrow = func.coalesce(chosen.matched(), false()).label("narrow")
        found = select(*columns, narrow).where(chosen.with_fallback(), *conditions).order_by(narrow.desc())
    else:
        found = select(*columns).where(chosen.condition(), *conditions)
    candidates = found.limit(cap).subquery("candidates")
    # OFFSET 0 keeps PostgreSQL from merging this subquery into the next, which would copy each
    # ts_rank into both readings below and compute it twice.
    scored = telling(terms, stats)
    kept = [candidates.c.id, *([candidates.c.narrow] if merged else [])]
    ranked = select(*kept, _ranks(scored)).select_from(candidates).offset(0).subquery("ranked")
    flag = [ranked.c.narrow] if merged else []
    # Merged, every candidate comes back: which of them count is known only once the narrowed
    # set has been counted (run_lexical), and the candidates are capped already.
    return (
        select(ranked.c.id, _score(scored, stats), *flag)
        .order_by(text("score DESC"), ranked.c.id)
        .limit(CANDIDATE_CAP if merged else limit)
    )


def telling(terms: list[LexTerm], stats: TermStats) -> list[LexTerm]:
    """The terms worth ranking: a word in nearly every record ("Huế" in a library of Huế) weighs
    next to nothing, yet ranking it costs more than any other term. The strongest is always kept."""
    factors = [term_factor(stats, term) for term in terms]
    kept = [term for term, factor in zip(terms, factors) if factor >= NEGLIGIBLE_FACTOR]
    if kept or not terms:
        return kept
    return [terms[factors.index(max(factors))]]


@dataclass(frozen=True)
class LexicalPlan:
    """The leg's statement, built and ready to run, with what it needs afterwards."""

    terms: list[LexTerm]
    stats: TermStats
    chosen: Recall
    conditions: list[ColumnElement[bool]]
    limit: int
    statement: Select
    merged: bool = False  # the statement holds the broadened set too, rows flagged (run_lexical)


def plan_lexical(
    session: Session, parsed: ParsedQuery, conditions: list[ColumnElement[bool]], limit: int
) -> LexicalPlan | None:
    """The terms, their statistics and the statement (None: nothing to search for). Apart from
    running it so that search() can do this Python work before the query embedding starts: the
    two would otherwise take turns at the interpreter's lock."""
    if parsed.is_empty:
        return None
    words = tuple(dict.fromkeys([*parsed.terms, *(w for p in parsed.phrases for w in p)]))
    terms = lexical_terms(parsed, spelling_corrections(session, words))
    if not terms:
        return None
    stats = term_stats(session)
    chosen = recall(terms, stats)
    if not words_first(kept_rows(session, conditions), chosen, stats):
        chosen = replace(chosen, on_rows=True)
    conditions = _as_filters(session, conditions, stats)
    # Checked on the filters' rows, the broadened set costs no more than the narrowed one: both
    # read every row the filters keep, so one pass finds both rather than a second pass when the
    # narrowed set is too small. Through GIN, the rarest word's list is the longer read: its set
    # is only fetched when needed.
    merged = chosen.on_rows and chosen.narrowed
    statement = lexical_statement(terms, stats, conditions, limit, chosen, merged=merged)
    return LexicalPlan(terms, stats, chosen, conditions, limit, statement, merged)


def words_first(kept: float, chosen: Recall, stats: TermStats) -> bool:
    """Whether the candidates are found through the words' GIN lists (then checked against the
    filters) rather than through the filters' own indexes (then checked for the words). GIN reads
    every entry of every list: at a million assets, two common place names ("Phong Điền") are
    400 000 entries and ~30 ms, where checking the words on a collection of 1 000 assets takes 4."""
    return kept * ROW_CHECK_ENTRIES >= chosen.postings(stats)


def _as_filters(
    session: Session, conditions: list[ColumnElement[bool]], stats: TermStats
) -> list[ColumnElement[bool]]:
    """Conditions that keep much of the library, hidden from the planner's index choice: it
    otherwise ANDs the full-text bitmap with, say, the bitmap of every published asset (half a
    million entries at 1 M assets, 250 ms), where checking the few candidates' rows costs
    nothing. Selective filters keep their indexes. The status tests stay in sight (see
    status_tests)."""
    kept = kept_rows(session, conditions)
    if math.isinf(kept) or kept < BROAD_FILTER_SHARE * max(stats.rows, 1.0):
        return conditions
    return [*status_tests(conditions), func.coalesce(and_(*conditions), false())]


def status_tests(conditions: list[ColumnElement[bool]]) -> list[ColumnElement[bool]]:
    """The test of the status ANDed into ``conditions`` when it names exactly the statuses of
    INDEXED_VIEW: the public's rule, or a staff filter naming the same. In the planner's sight it
    lets it read that view's GIN indexes, whose lists hold only what such a search may find. Any
    other status test stays hidden: PostgreSQL would AND the full-text bitmap with the status
    index's."""
    pending = list(conditions)
    while pending:
        condition = pending.pop()
        if isinstance(condition, BooleanClauseList) and condition.operator is operators.and_:
            pending.extend(condition.clauses)
        elif _tests_status(condition) and _values(condition.right) == INDEXED_VIEW:
            return [condition]
    return []


def _tests_status(condition: ColumnElement[bool]) -> bool:
    return (
        isinstance(condition, BinaryExpression)
        and condition.operator in (operators.in_op, operators.eq)
        and isinstance(condition.left, ColumnClause)
        and condition.left.table is Asset.__table__
        and condition.left.name == "status"
    )


def _values(side: ColumnElement) -> frozenset[str] | None:
    """The status values a test's right side names (None: not bound values)."""
    if not isinstance(side, BindParameter):
        return None
    values = side.value if side.expanding else [side.value]
    return frozenset(getattr(value, "value", value) for value in values or [])


def run_lexical(session: Session, plan: LexicalPlan | None) -> tuple[list[tuple[int, float]], list[LexTerm]]:
    """Asset ids and scores, best first, and the terms that were scored (for the reasons)."""
    if plan is None:
        return [], []
    if plan.merged:
        # Serially: PostgreSQL splits the check of the filters' rows among workers, which on two
        # cores cost more than they share (1M, selective filter: 35-40 ms with two, 23-37 alone).
        return _either(serially(session, plan.statement), plan.limit), plan.terms
    scored = _scored(session, plan.statement)
    if plan.chosen.narrowed and len(scored) < FEW_RESULTS:
        wider = _scored(
            session,
            lexical_statement(plan.terms, plan.stats, plan.conditions, plan.limit, plan.chosen.broadened()),
        )
        scored = dict(sorted({**wider, **scored}.items(), key=lambda item: (-item[1], item[0]))[: plan.limit])
    return list(scored.items()), plan.terms


def lexical_leg(
    session: Session, parsed: ParsedQuery, conditions: list[ColumnElement[bool]], limit: int
) -> tuple[list[tuple[int, float]], list[LexTerm]]:
    """Asset ids and scores, best first, and the terms that were scored (for the reasons)."""
    return run_lexical(session, plan_lexical(session, parsed, conditions, limit))


def _either(rows: list, limit: int) -> list[tuple[int, float]]:
    """A merged statement's rows (best first): the narrowed set's, or with the broadened set's
    when the narrowed set holds fewer than FEW_RESULTS, as two statements would give."""
    found = [(asset_id, float(score), narrow) for asset_id, score, narrow in rows if score > 0]
    narrowed = [(asset_id, score) for asset_id, score, narrow in found if narrow]
    if len(narrowed) >= FEW_RESULTS:
        return narrowed[:limit]
    return [(asset_id, score) for asset_id, score, _ in found][:limit]


def _scored(session: Session, statement: Select) -> dict[int, float]:
    """Asset id -> score, best first (dicts keep the order), zero scores left out."""
    return {asset_id: float(score) for asset_id, score in session.execute(statement).all() if score > 0}
