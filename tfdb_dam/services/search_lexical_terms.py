"""The full-text leg's terms: what a query is scored on, with which weight, and which are worth
ranking (the typed words, their accented forms, thesaurus terms and spellings)."""

from __future__ import annotations

from dataclasses import dataclass

from tfdb_dam.search.query import ParsedQuery, tsquery_phrase
from tfdb_dam.search.text import exact_tokens, fold, tokens
from tfdb_dam.services.search_terms import TermStats, english_forms

QUERY_WEIGHT, THESAURUS_WEIGHT, TRANSLATION_WEIGHT, SPELLING_WEIGHT = 1.0, 0.5, 1.0, 0.7
# A word typed with accents: its folded match (which may be another word: nghỉ/nghi, lăng/làng)
# counts ACCENTED_FOLDED_WEIGHT, the match with the same accents ACCENT_BONUS on top.
ACCENTED_FOLDED_WEIGHT, ACCENT_BONUS = 0.5, 0.5
# A term whose factor (weight x IDF) is below this is not ranked: IDF 0.01 is a word in 99 % of
# the records (or a translation of one), which moves a score by a hundredth of a rank at most.
# At 100 000 synthetic records this skips a quarter of the terms and halves the leg's time
# (p50 31 -> 16 ms): such words occur many times in every document, and ts_rank reads them all.
NEGLIGIBLE_FACTOR = 0.01


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


def estimated_rows(stats: TermStats, term: LexTerm) -> float:
    """Records holding one of the term's forms, by the statistics (forms counted apart)."""
    found = sum(stats.rows_with(tuple(fold(word) for word in form)) for form in term.forms if form)
    return min(found, max(stats.rows, 1.0))


def telling(terms: list[LexTerm], stats: TermStats) -> list[LexTerm]:
    """The terms worth ranking: a word in nearly every record ("Huế" in a library of Huế) weighs
    next to nothing, yet ranking it costs more than any other term. The strongest is always kept."""
    factors = [term_factor(stats, term) for term in terms]
    kept = [term for term, factor in zip(terms, factors) if factor >= NEGLIGIBLE_FACTOR]
    if kept or not terms:
        return kept
    return [terms[factors.index(max(factors))]]
