"""The bilingual thesaurus: entries of same-meaning Vietnamese and English terms, and expansion.

Built from ``thesaurus_data.ENTRIES`` plus any entries an administrator adds (stored in the
database later): ``Thesaurus.builtin().extended(extra)``. Matching runs on folded tokens, so
"le hoi" finds "lễ hội", except that a query typed with accents is matched with its accents:
"làng" (village) must not expand to "lăng" (tomb) just because both fold to "lang".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Sequence

from tfdb_dam.search.text import exact_tokens, fold, has_vietnamese_marks, nfc, tokens
from tfdb_dam.search.thesaurus_data import ENTRIES

__all__ = ["Entry", "ExpandedTerm", "Expansion", "Thesaurus", "default_thesaurus", "expand"]

LANGS = ("vi", "en")


def _clean_terms(terms: Iterable[str] | str) -> frozenset[str]:
    if isinstance(terms, str):
        terms = terms.split("|")
    return frozenset(" ".join(nfc(t).lower().split()) for t in terms if t and t.strip())


@dataclass(frozen=True)
class Entry:
    """Vietnamese and English terms that mean the same thing, and an optional area slug."""

    vi: frozenset[str]
    en: frozenset[str]
    slug: str | None = None

    @classmethod
    def of(cls, vi: Iterable[str] | str, en: Iterable[str] | str, slug: str | None = None) -> "Entry":
        """Build an entry from term lists or "a|b" strings; terms are NFC and lower-cased."""
        return cls(_clean_terms(vi), _clean_terms(en), slug or None)

    def terms(self, lang: str) -> frozenset[str]:
        return self.vi if lang == "vi" else self.en


@dataclass(frozen=True)
class ExpandedTerm:
    """One term the thesaurus adds to a query, and why."""

    term: str  # as written in the thesaurus, e.g. "lăng"
    folded: str  # "lang": what the folded search legs look for
    lang: str  # "vi" or "en": the language the term is in
    source: str  # the query words that triggered it, e.g. "tomb"
    exact: bool  # the query words matched with their accents (always True for English)
    slug: str | None = None


@dataclass(frozen=True)
class Expansion:
    """What the thesaurus made of a query: added terms and the areas they point to."""

    terms: tuple[ExpandedTerm, ...] = ()
    matched: tuple[str, ...] = ()  # the query phrases that matched an entry, folded
    slugs: frozenset[str] = field(default_factory=frozenset)

    def folded_terms(self, lang: str | None = None) -> list[str]:
        """Distinct folded added terms, optionally only those in ``lang``."""
        seen: dict[str, None] = {}
        for term in self.terms:
            if lang is None or term.lang == lang:
                seen.setdefault(term.folded, None)
        return list(seen)

    def __bool__(self) -> bool:
        return bool(self.terms)


@dataclass(frozen=True)
class _Key:
    entry: int
    lang: str
    words: tuple[str, ...]


def _english_variants(words: tuple[str, ...]) -> set[tuple[str, ...]]:
    # Plurals of the last word only ("fishing boats", "tombs"): enough for a thesaurus of
    # nouns without pulling in a stemmer whose stems would not match the database's lexemes.
    *head, last = words
    forms = {last, last + "s"}
    if last.endswith(("s", "x", "z", "ch", "sh")):
        forms.add(last + "es")
    if last.endswith("y") and len(last) > 2 and last[-2] not in "aeiou":
        forms.add(last[:-1] + "ies")
    return {(*head, form) for form in forms}


class Thesaurus:
    """Entries pre-indexed by their first token, folded and (for Vietnamese) with accents."""

    def __init__(self, entries: Iterable[Entry]):
        self.entries: tuple[Entry, ...] = tuple(entries)
        self._folded: dict[str, list[_Key]] = {}
        self._exact: dict[str, list[_Key]] = {}
        for index, entry in enumerate(self.entries):
            self._index_entry(index, entry)

    @classmethod
    def builtin(cls) -> "Thesaurus":
        """The thesaurus shipped with TFDB DAM (see ``thesaurus_data``)."""
        return _builtin()

    def extended(self, extra: Iterable[Entry]) -> "Thesaurus":
        """A new thesaurus with this one's entries followed by ``extra`` (e.g. admin terms)."""
        return Thesaurus((*self.entries, *extra))

    def __len__(self) -> int:
        return len(self.entries)

    def _index_entry(self, index: int, entry: Entry) -> None:
        for lang in LANGS:
            for term in entry.terms(lang):
                folded = tuple(tokens(term))
                if not folded:
                    continue
                variants = _english_variants(folded) if lang == "en" else {folded}
                for words in variants:
                    self._add(self._folded, _Key(index, lang, words))
                if lang == "vi":
                    self._add(self._exact, _Key(index, lang, tuple(exact_tokens(term))))

    @staticmethod
    def _add(index: dict[str, list[_Key]], key: _Key) -> None:
        bucket = index.setdefault(key.words[0], [])
        if key not in bucket:
            bucket.append(key)
            bucket.sort(key=lambda k: -len(k.words))  # longest first: "lễ hội cầu ngư" before "lễ hội"

    def expand(self, query: str | Sequence[str], lang: str | None = None) -> Expansion:
        """Terms meaning the same as the phrases of ``query``, in both languages.

        ``lang`` ("vi", "en", or None/"mixed" for both) chooses which side of the entries the
        query is matched against. Vietnamese is matched with accents when the query has any.
        """
        text = query if isinstance(query, str) else " ".join(query)
        sides = (lang,) if lang in LANGS else LANGS
        exact = has_vietnamese_marks(text)
        matches: list[tuple[_Key, str, bool]] = []
        if "vi" in sides:
            words = exact_tokens(text) if exact else tokens(text)
            matches += [(k, s, exact) for k, s in self._scan(words, self._exact if exact else self._folded, "vi")]
        if "en" in sides:
            matches += [(k, s, True) for k, s in self._scan(tokens(text), self._folded, "en")]
        return self._collect(matches)

    def _scan(self, words: list[str], index: dict[str, list[_Key]], lang: str):
        """Greedy left-to-right longest match; equal-length ambiguous matches are all kept."""
        position = 0
        while position < len(words):
            found = [k for k in index.get(words[position], ()) if k.lang == lang and _starts(words, position, k.words)]
            if not found:
                position += 1
                continue
            longest = max(len(k.words) for k in found)
            for key in found:
                if len(key.words) == longest:
                    yield key, " ".join(words[position : position + longest])
            position += longest

    def _collect(self, matches: list[tuple[_Key, str, bool]]) -> Expansion:
        added: dict[tuple[str, str], ExpandedTerm] = {}
        matched: dict[str, None] = {}
        slugs: set[str] = set()
        for key, source, exact in matches:
            entry = self.entries[key.entry]
            source_folded = fold(source)
            matched.setdefault(source_folded, None)
            if entry.slug:
                slugs.add(entry.slug)
            for lang in LANGS:
                for term in sorted(entry.terms(lang)):
                    folded = fold(term)
                    if folded != source_folded and (folded, lang) not in added:
                        added[(folded, lang)] = ExpandedTerm(term, folded, lang, source, exact, entry.slug)
        return Expansion(tuple(added.values()), tuple(matched), frozenset(slugs))


def _starts(words: list[str], position: int, candidate: tuple[str, ...]) -> bool:
    return tuple(words[position : position + len(candidate)]) == candidate


@lru_cache(maxsize=1)
def _builtin() -> Thesaurus:
    return Thesaurus(Entry.of(vi, en, slug) for vi, en, slug in ENTRIES)


def default_thesaurus() -> Thesaurus:
    """The built-in thesaurus, built once per process."""
    return _builtin()


def expand(query: str | Sequence[str], lang: str | None = None, thesaurus: Thesaurus | None = None) -> Expansion:
    """Expand ``query`` with ``thesaurus`` (the built-in one by default); see ``Thesaurus.expand``."""
    return (thesaurus or _builtin()).expand(query, lang)
