"""The full-text leg: BM25-like scoring in PostgreSQL over the folded and accented documents.

``ts_rank`` weighs where a word occurs (title, tags, description, the rest) and saturates repeats,
but knows nothing of how rare a word is; each query term is therefore ranked on its own and
multiplied by its IDF, read from PostgreSQL's own statistics of the document column (the most
common lexemes ANALYZE keeps), so nothing has to be counted at write time. Thesaurus terms and
spelling corrections join the same sum with lower weights; accented query words earn a bonus on
the accented document, which ranks exact-accent matches above folded ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, bindparam, func, literal_column, or_, select, text
from sqlalchemy.orm import Session

from tfdb_dam.db.models import Asset
from tfdb_dam.search.query import ParsedQuery, tsquery_phrase
from tfdb_dam.search.text import exact_tokens, fold, tokens
from tfdb_dam.services.search_terms import TermStats, english_forms, spelling_corrections, term_stats

# ts_rank weights for D, C, B, A: the rest (source, credit, file name, document text),
# description, tags and category, title.
RANK_WEIGHTS = "{0.25,0.45,0.7,1.0}"
QUERY_WEIGHT, THESAURUS_WEIGHT, TRANSLATION_WEIGHT, SPELLING_WEIGHT = 1.0, 0.5, 1.0, 0.7
# A word typed with accents: its folded match (which may be another word: nghỉ/nghi, lăng/làng)
# counts ACCENTED_FOLDED_WEIGHT, the match with the same accents ACCENT_BONUS on top.
ACCENTED_FOLDED_WEIGHT, ACCENT_BONUS = 0.5, 0.5
RANK_NORMALIZATION = 1  # ts_rank: divide by log2 of the document's length
# Candidates come from the rarest terms, as many as fit CANDIDATE_BUDGET estimated rows (the
# common terms still count in the score: a record matching only them could not reach the top);
# when even the rarest term is that common, from records with both rarest words. At most
# CANDIDATE_CAP rows are scored, so the leg's cost stays flat however common the words are.
CANDIDATE_BUDGET, CANDIDATE_CAP = 2_000, 2_000

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


def _folded_words(term: LexTerm) -> tuple[str, ...]:
    return tuple(fold(word) for word in term.words)


def _tsquery(value: str, name: str) -> ColumnElement:
    return func.to_tsquery(literal_column("'simple'::regconfig"), bindparam(name, value))


def _recall(terms: list[LexTerm], stats: TermStats) -> ColumnElement[bool]:
    """Which records are scored at all: those with one of the rarest terms (see CANDIDATE_BUDGET)."""
    ranked = sorted((t for t in terms if t.kind != "accent"), key=lambda t: stats.rows_with(_folded_words(t)))
    chosen, budget = [], 0.0
    for term in ranked:
        rows = stats.rows_with(_folded_words(term))
        if chosen and budget + rows > CANDIDATE_BUDGET:
            break
        chosen.append(term)
        budget += rows
    typed = [t for t in ranked if t.kind == "query"]
    if len(chosen) == 1 and budget > CANDIDATE_BUDGET and len(typed) > 1:
        both = f"{typed[0].query} & {typed[1].query}"
        return FOLDED.op("@@")(_tsquery(both, "recall_both"))
    matches = []
    for column in ("folded", "exact"):
        queries = [t.query for t in chosen if t.column == column]
        if queries:
            matches.append(_column(column).op("@@")(_tsquery(" | ".join(queries), f"recall_{column}")))
    return or_(*matches)


def _column(name: str):  # noqa: ANN202
    return FOLDED if name == "folded" else EXACT


def _leg_score(terms: list[tuple[int, LexTerm]], stats: TermStats, candidates) -> ColumnElement:  # noqa: ANN001
    """Σ over term groups of factor × the best ts_rank in the group; 0 when the leg has no terms."""
    weights = literal_column(f"'{RANK_WEIGHTS}'::float4[]")
    groups: dict[tuple[str, str], list[tuple[float, ColumnElement]]] = {}
    for index, term in terms:
        column = candidates.c.folded if term.column == "folded" else candidates.c.exact
        rank = func.coalesce(
            func.ts_rank(weights, column, _tsquery(term.query, f"term_{index}"), RANK_NORMALIZATION), 0
        )
        groups.setdefault(term.group, []).append((term_factor(stats, term), rank))
    parts = [
        literal_column(repr(round(max(f for f, _ in members), 6)))
        * (func.greatest(*[r for _, r in members]) if len(members) > 1 else members[0][1])
        for members in groups.values()
    ]
    return sum(parts[1:], parts[0]) if parts else literal_column("0.0")


def lexical_statement(
    terms: list[LexTerm], stats: TermStats, conditions: list[ColumnElement[bool]], limit: int
) -> Select:
    """The leg's SQL: candidates through the GIN indexes (capped), scored as the query was typed
    and as the thesaurus translates it; a record counts by the better reading, so a record in
    one language is not outranked for lacking the other."""
    # `|| ''` hands each candidate's documents to the ranking already detoasted: they are often
    # stored out of line, and every ts_rank call would otherwise fetch and decompress them again.
    empty = literal_column("''::tsvector")
    columns = [Asset.id.label("id"), FOLDED.op("||")(empty).label("folded")]
    if any(t.column == "exact" for t in terms):
        columns.append(EXACT.op("||")(empty).label("exact"))
    candidates = (
        select(*columns).where(_recall(terms, stats), *conditions).limit(CANDIDATE_CAP).subquery("candidates")
    )
    numbered = list(enumerate(terms))
    readings = [
        _leg_score([(i, t) for i, t in numbered if t.side in ("both", side)], stats, candidates)
        for side in ("typed", "translated")
        if any(t.side == side for t in terms)
    ]
    if not readings:
        readings = [_leg_score(numbered, stats, candidates)]
    score = (func.greatest(*readings) if len(readings) > 1 else readings[0]).label("score")
    return select(candidates.c.id, score).order_by(score.desc(), candidates.c.id).limit(limit)


def lexical_leg(
    session: Session, parsed: ParsedQuery, conditions: list[ColumnElement[bool]], limit: int
) -> tuple[list[tuple[int, float]], list[LexTerm]]:
    """Asset ids and scores, best first, and the terms that were scored (for the reasons)."""
    if parsed.is_empty:
        return [], []
    words = tuple(dict.fromkeys([*parsed.terms, *(w for p in parsed.phrases for w in p)]))
    terms = lexical_terms(parsed, spelling_corrections(session, words))
    if not terms:
        return [], []
    # JIT compiling the ranking expression costs more than the query on big tables.
    session.execute(text("SELECT set_config('jit', 'off', true)"))
    rows = session.execute(lexical_statement(terms, term_stats(session), conditions, limit)).all()
    return [(row.id, float(row.score)) for row in rows if row.score > 0], terms
