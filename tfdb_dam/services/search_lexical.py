"""The full-text leg: BM25-like scoring in PostgreSQL over the folded and accented documents.

``ts_rank`` weighs where a word occurs (title, tags, description, the rest) and saturates repeats,
but knows nothing of how rare a word is; each query term is therefore ranked on its own and
multiplied by its IDF, read from PostgreSQL's own statistics of the document column (the most
common lexemes ANALYZE keeps), so nothing has to be counted at write time. Thesaurus terms and
spelling corrections join the same sum with lower weights; accented query words earn a bonus on
the accented document, which ranks exact-accent matches above folded ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import partial

from sqlalchemy import (
    ColumnElement,
    Float,
    Select,
    Text,
    TextClause,
    bindparam,
    false,
    func,
    literal_column,
    select,
    text,
    union_all,
)
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from tfdb_dam.db.engine import serially
from tfdb_dam.db.models import Asset
from tfdb_dam.search.query import ParsedQuery
from tfdb_dam.services.search_estimates import kept_rows
from tfdb_dam.services.search_lexical_filters import as_filters
from tfdb_dam.services.search_lexical_recall import (
    CANDIDATE_CAP,
    EXACT,
    FEW_RESULTS,
    FOLDED,
    SLICES,
    Recall,
    recall,
    sliced,
    words_first,
)
from tfdb_dam.services.search_lexical_terms import LexTerm, lexical_terms, telling, term_factor
from tfdb_dam.services.search_terms import TermStats, spelling_corrections, term_stats

# ts_rank weights for D, C, B, A: the rest (source, credit, file name, document text),
# description, tags and category, title.
RANK_WEIGHTS = "{0.25,0.45,0.7,1.0}"
_RANK_WEIGHTS = f"'{RANK_WEIGHTS}'::float4[]"
RANK_NORMALIZATION = 1  # ts_rank: divide by log2 of the document's length
Scored = list[tuple[int, float]]  # (asset id, score), best first


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
    flagged ``narrow`` when it belongs to the first. A ``sliced`` recall reads the candidates
    slice by slice (SLICES) under the cap's LIMIT. ``cap`` None scores every candidate: the
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
    candidates = _candidates(columns, chosen, conditions, merged, cap)
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
        .limit(cap if merged else limit)
    )


def _candidates(  # noqa: ANN202 - a subquery
    columns: list, chosen: Recall, conditions: list[ColumnElement[bool]], merged: bool, cap: int | None
):
    """The records to rank, at most ``cap``: see lexical_statement."""
    if merged:
        # The narrowed set first, so that the cap never crowds it out; `narrow` tells run_lexical
        # which rows it holds.
        narrow = func.coalesce(chosen.matched(), false()).label("narrow")
        found = select(*columns, narrow).where(chosen.with_fallback(), *conditions).order_by(narrow.desc())
    else:
        found = select(*columns).where(chosen.condition(), *conditions)
    # Never a merged set: its order would then hold within each slice only, and the cap could
    # crowd the narrowed set out (sliced recalls are read through GIN, merged ones on the rows).
    if chosen.sliced and cap is not None and not merged:
        found = union_all(*(found.where(text(test)) for test in SLICES)).subquery("found").select()
    return found.limit(cap).subquery("candidates")


@dataclass(frozen=True)
class LexicalPlan:
    """The leg's statement, built and ready to run, with what it needs afterwards."""

    terms: list[LexTerm]
    stats: TermStats
    chosen: Recall
    conditions: list[ColumnElement[bool]]
    limit: int
    statement: Select

    @property
    def merged(self) -> bool:
        """Whether the statement holds the broadened set too, rows flagged (run_lexical)."""
        return self.chosen.merged


def plan_lexical(
    session: Session, parsed: ParsedQuery, conditions: list[ColumnElement[bool]], limit: int
) -> LexicalPlan | None:
    """The terms, their statistics and the statement (None: nothing to search for). Apart from
    running it so that search() can do this Python work before the query embedding starts: the
    two would otherwise take turns at the interpreter's lock."""
    if parsed.is_empty:
        return None
    words = tuple(dict.fromkeys([*parsed.terms, *(w for p in parsed.phrases for w in p)]))
    stats = term_stats(session)
    terms = lexical_terms(parsed, spelling_corrections(session, words, known=stats.frequencies))
    if not terms:
        return None
    chosen, kept = recall(terms, stats), kept_rows(session, conditions)
    if not words_first(kept, chosen, stats):
        chosen = replace(chosen, on_rows=True)
    elif sliced(kept, chosen, stats):
        chosen = replace(chosen, sliced=True)
    conditions = as_filters(kept, conditions, stats)
    statement = lexical_statement(terms, stats, conditions, limit, chosen, merged=chosen.merged)
    return LexicalPlan(terms, stats, chosen, conditions, limit, statement)


def run_lexical(session: Session, plan: LexicalPlan | None) -> tuple[Scored, list[LexTerm]]:
    """Asset ids and scores, best first, and the terms that were scored (for the reasons)."""
    if plan is None:
        return [], []
    # Checked on the filters' rows, serially: PostgreSQL may split that check among workers, which
    # on two cores cost more than they share (1M, selective filter: 35-40 ms with two, 23-37 alone).
    # Sliced, serially too: a Parallel Append runs its parts by cost, not first slice first.
    serial = plan.chosen.on_rows or plan.chosen.sliced
    run = partial(serially, session) if serial else partial(_rows, session)
    rows = run(plan.statement)
    if plan.merged:  # both sets in one statement, the narrowed set's rows flagged (id, score, narrow)
        narrowed = _scored(row for row in rows if row[2])
        return _kept(narrowed, _scored(rows), plan.limit), plan.terms
    narrowed, wider = _scored(rows), []
    if plan.chosen.narrowed and len(narrowed) < FEW_RESULTS:
        wider = _scored(run(_broadened(plan)))
    return _kept(narrowed, wider, plan.limit), plan.terms


def lexical_leg(
    session: Session, parsed: ParsedQuery, conditions: list[ColumnElement[bool]], limit: int
) -> tuple[Scored, list[LexTerm]]:
    """Asset ids and scores, best first, and the terms that were scored (for the reasons)."""
    return run_lexical(session, plan_lexical(session, parsed, conditions, limit))


def _broadened(plan: LexicalPlan) -> Select:
    """The statement for the rarest required word alone (the narrowed set's fallback)."""
    return lexical_statement(plan.terms, plan.stats, plan.conditions, plan.limit, plan.chosen.broadened())


def _rows(session: Session, statement: Select) -> Sequence:
    return session.execute(statement).all()


def _scored(rows: Iterable[Row]) -> Scored:
    """(asset id, score) of each row that scored, in the rows' order (best first)."""
    return [(row[0], float(row[1])) for row in rows if row[1] > 0]


def _kept(narrowed: Scored, wider: Scored, limit: int) -> Scored:
    """The narrowed set's records, or, when it holds fewer than FEW_RESULTS (its words rarely
    meet), the broadened set's best with them (kept even where the broadened statement's LIMIT
    cut them off): best first, ties by id."""
    if len(narrowed) >= FEW_RESULTS or not wider:
        return narrowed[:limit]
    both = dict(wider) | dict(narrowed)
    return sorted(both.items(), key=lambda item: (-item[1], item[0]))[:limit]
