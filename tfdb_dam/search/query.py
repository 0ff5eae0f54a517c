"""Parsing a journalist's query into what the search legs consume: ``ParsedQuery``.

The SQL legs receive folded terms and a ready ``to_tsquery('simple', …)`` string built only
from letters and digits, so no user text can reach tsquery syntax. Pass that string as a bind
parameter; never format it into SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from tfdb_dam.search.text import exact_tokens, fold, has_vietnamese_marks, nfc, tokens
from tfdb_dam.search.thesaurus import ExpandedTerm, Thesaurus, default_thesaurus

__all__ = ["ParsedQuery", "detect_language", "parse_query", "tsquery_lexeme", "tsquery_phrase"]

EN_STOP_WORDS = frozenset(
    "a an the of in on at for to from by with and or is are was were be been being this that these "
    "those its it as into about near after before during over under who what where when how which "
    "some any their his her our s".split()  # "s": what a possessive ("Gia Long's") leaves
)
# With accents, the common function words; without accents only those whose folded form is not
# also a content word (cho/chợ, cua/cửa, den/đền, ve/vẽ, tu/Từ Đàm, voi/Suối Voi stay).
VI_STOP_WORDS = frozenset(
    "của và các những là ở tại trong với cho về đến từ một được có này đó khi thì mà cũng đã đang "
    "sẽ như rất sau trước ra vào lên bị bởi nên hay hoặc cùng theo tới nhau".split()
)
VI_FOLDED_STOP_WORDS = frozenset("va cac nhung duoc mot".split())

# Language hints for unaccented text. English hints are function words; Vietnamese hints are
# frequent syllables that are not English words.
_EN_HINTS = EN_STOP_WORDS - {"a", "an"}  # "A Lưới", "An Hiên" are Vietnamese names
_VI_HINTS = frozenset(
    "cua va cac nhung trong voi duoc nguoi nhieu khong ngay thang mot nay cho tai ve cung nhu "
    "cuoc tinh thanh huyen".split()
)
# A folded Vietnamese syllable: onset, vowel nucleus, final consonant. English words that fit
# ("king", "long") stay undecided; most English words ("tomb", "sea", "visit") do not fit.
_VI_SYLLABLE = re.compile(
    r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
    r"(ieu|yeu|oai|oao|oay|oeo|uay|uoi|uou|uya|uye|uyu|ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|oo"
    r"|ua|ue|ui|uo|uu|uy|ye|a|e|i|o|u|y)"
    r"(ch|ng|nh|c|m|n|p|t)?"
)
_QUOTED = re.compile(r"[\"“”„«»]([^\"“”„«»]+)[\"“”„«»]")


@dataclass(frozen=True)
class ParsedQuery:
    """A query as the search legs need it. All term fields are folded unless named ``exact``."""

    raw: str
    nfc: str
    folded: str
    lang: str  # "vi", "en" or "mixed"; "" for an empty query
    has_accents: bool  # typed with Vietnamese accents: rank exact-accent matches higher
    terms: tuple[str, ...]  # folded tokens minus stop words, in query order, distinct
    exact_terms: tuple[str, ...]  # the accented terms as typed: NFC, lower case, one tone placement
    phrases: tuple[tuple[str, ...], ...]  # "quoted phrases" as folded tokens
    expansions: tuple[ExpandedTerm, ...] = ()  # thesaurus terms, each with .folded and .lang
    slugs: frozenset[str] = field(default_factory=frozenset)  # areas the thesaurus points to

    @property
    def is_empty(self) -> bool:
        return not self.terms and not self.phrases

    def expansion_terms(self, lang: str | None = None) -> list[str]:
        """Distinct folded expansion terms, optionally only those in ``lang``."""
        return list(dict.fromkeys(e.folded for e in self.expansions if lang is None or e.lang == lang))

    def tsquery(self, *, expansions: bool = True, expansion_lang: str | None = None) -> str:
        """A ``to_tsquery('simple', …)`` string: quoted phrases (``<->``), terms and expansions, ORed.

        Empty when the query has no searchable words: skip the full-text leg then.
        """
        parts: list[str] = [tsquery_phrase(p) for p in self.phrases]
        in_phrases = {word for phrase in self.phrases for word in phrase}
        parts += [tsquery_lexeme(t) for t in self.terms if t not in in_phrases]
        if expansions:
            parts += [tsquery_phrase(tokens(t)) for t in self.expansion_terms(expansion_lang)]
        return " | ".join(dict.fromkeys(p for p in parts if p))


def tsquery_lexeme(word: str) -> str:
    """One quoted tsquery lexeme. Quotes and backslashes are doubled as tsquery input requires,
    though words from ``tokens`` never contain them."""
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'" if word else ""


def tsquery_phrase(words: Sequence[str]) -> str:
    """Words that must follow each other: ``('le' <-> 'hoi')``; a single word is just a lexeme."""
    lexemes = [tsquery_lexeme(w) for w in words if w]
    if len(lexemes) <= 1:
        return lexemes[0] if lexemes else ""
    return "(" + " <-> ".join(lexemes) + ")"


def _word_language(word: str) -> str:
    if word.isdigit():
        return ""
    if has_vietnamese_marks(word) or fold(word) in _VI_HINTS:
        return "vi"
    if word in _EN_HINTS or not _VI_SYLLABLE.fullmatch(fold(word)):
        return "en"
    return "?"


def detect_language(text: str | None) -> str:
    """"vi", "en" or "mixed" from accents, function words and Vietnamese syllable shape."""
    counts = {"vi": 0, "en": 0, "?": 0, "": 0}
    for word in exact_tokens(text):
        counts[_word_language(word)] += 1
    vi, en, undecided = counts["vi"], counts["en"], counts["?"]
    if not (vi or en or undecided):
        return "mixed" if counts[""] else ""
    if vi and en:
        # Accented Vietnamese with a foreign name in it ("Đại sứ New Zealand") is Vietnamese.
        return "vi" if vi >= en and has_vietnamese_marks(text) else "mixed"
    if en:
        return "en" if en >= undecided else "mixed"
    if vi:
        return "vi"
    # Only syllable-shaped unaccented words: several are almost surely Vietnamese typed without
    # accents ("hai dang chan may"); a single one ("long", "hue") could be either.
    return "vi" if undecided > 1 else "mixed"


def _distinct(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _content_terms(words: list[str], exact_words: list[str], accented: bool) -> tuple[str, ...]:
    if accented and len(exact_words) == len(words):
        kept = [w for w, e in zip(words, exact_words) if e not in VI_STOP_WORDS and w not in EN_STOP_WORDS]
    else:
        kept = [w for w in words if w not in VI_FOLDED_STOP_WORDS and w not in EN_STOP_WORDS]
    return _distinct(kept or words)  # a query of stop words only still searches for them


def _is_stop_phrase(source: str) -> bool:
    words = exact_tokens(source)
    return all(w in EN_STOP_WORDS or w in VI_STOP_WORDS for w in words)


def parse_query(raw: str | None, thesaurus: Thesaurus | None = None) -> ParsedQuery:
    """Parse ``raw`` (any normalisation, either language, accents or not) into a ``ParsedQuery``."""
    text = nfc(raw)
    words, exact_words = tokens(text), exact_tokens(text)
    accented = has_vietnamese_marks(text)
    lang = detect_language(text)
    expansion = (thesaurus or default_thesaurus()).expand(text, lang if lang in ("vi", "en") else None)
    return ParsedQuery(
        raw=raw or "",
        nfc=text,
        folded=fold(text),
        lang=lang,
        has_accents=accented,
        terms=_content_terms(words, exact_words, accented),
        exact_terms=_distinct(w for w in exact_words if has_vietnamese_marks(w) and w not in VI_STOP_WORDS),
        phrases=tuple(p for p in (tuple(tokens(m)) for m in _QUOTED.findall(text)) if p),
        expansions=tuple(e for e in expansion.terms if not _is_stop_phrase(e.source)),
        slugs=expansion.slugs,
    )
