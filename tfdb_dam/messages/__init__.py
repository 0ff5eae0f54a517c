"""Owns the bilingual catalogue of what the domain tells people: one English and one Vietnamese
template per key, a ``Message`` (key + parameters) that renders in either language, and the
recognition of a stored English sentence so that it can be shown again in Vietnamese."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from typing import Any, NamedTuple

LANGUAGES = ("en", "vi")


class Text(NamedTuple):
    """One catalogue entry. English first: it is the sentence logs, the CLI and the API carry."""

    en: str
    vi: str


@dataclass(frozen=True)
class Message:
    """A catalogue key with its parameters; a parameter that is itself a Message (a word such as
    a file type, a role or a status) is rendered in the same language."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        entry = CATALOGUE.get(self.key)
        if entry is None:  # a literal sentence from code outside the catalogue: shown as given
            return self.key
        template = entry.vi if lang == "vi" else entry.en
        values = {name: _render(value, lang) for name, value in self.params.items()}
        return template.format(**values)

    def __str__(self) -> str:
        return self.text("en")


@dataclass(frozen=True)
class Listing:
    """Words joined as a sentence joins them: "or" gives "a or b or c", "and" gives "a, b and c"."""

    items: tuple[Any, ...]
    conjunction: str = "and"

    def text(self, lang: str = "en") -> str:
        parts = [str(_render(item, lang)) for item in self.items]
        joiner = {"en": {"and": " and ", "or": " or "}, "vi": {"and": " và ", "or": " hoặc "}}
        word_ = joiner["vi" if lang == "vi" else "en"][self.conjunction]
        if self.conjunction == "or" or len(parts) < 2:
            return word_.join(parts)
        return ", ".join(parts[:-1]) + word_ + parts[-1]

    def __str__(self) -> str:
        return self.text("en")


def msg(key: str, /, **params: Any) -> Message:
    return Message(key, params)


def word(key: str) -> Message:
    """A translated word used as a parameter, e.g. ``word("word.status.draft")``."""
    return Message(key)


def _render(value: Any, lang: str) -> Any:
    if isinstance(value, (Message, Listing)):
        return value.text(lang)
    if isinstance(getattr(value, "message", None), Message):  # a TfdbError quoted inside another
        return value.message.text(lang)
    return value


def placeholders(template: str) -> set[str]:
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


def localize_sentence(sentence: str, lang: str) -> str:
    """A stored English sentence (say, a worker's refusal kept in the database) in ``lang``, or
    unchanged when the catalogue does not recognise it."""
    found = recognise(sentence)
    return found.text(lang) if found is not None else sentence


def recognise(sentence: str, *, words: bool = False) -> Message | None:
    """The Message whose English rendering is ``sentence`` (its final full stop optional)."""
    text = sentence.strip()
    for key, pattern in _patterns(words):
        match = pattern.fullmatch(text) or pattern.fullmatch(text.rstrip(".") + ".")
        if match:
            return Message(key, {k: _recognise_word(v) for k, v in match.groupdict().items()})
    return None


def _recognise_word(value: str) -> Any:
    key = _words_by_english().get(value)
    if key is not None:
        return Message(key)
    inner = recognise(value, words=True) or (recognise(value) if value[:1].isupper() else None)
    return inner if inner is not None else value


_PATTERN_CACHE: dict[bool, list[tuple[str, re.Pattern[str]]]] = {}
_WORD_CACHE: dict[str, str] = {}


def _patterns(words: bool) -> list[tuple[str, re.Pattern[str]]]:
    if words not in _PATTERN_CACHE:
        built = [(key, _pattern(entry.en)) for key, entry in CATALOGUE.items()
                 if key.startswith("word.") == words and (not words or placeholders(entry.en))]
        # Most literal text first, so a specific sentence wins over a looser one.
        built.sort(key=lambda kp: -len(re.sub(r"\(\?P<[^>]+>\.\+\?\)", "", kp[1].pattern)))
        _PATTERN_CACHE[words] = built
    return _PATTERN_CACHE[words]


def _pattern(template: str) -> re.Pattern[str]:
    parts = []
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if name:
            parts.append(f"(?P<{name}>.+?)" if f"(?P<{name}>" not in "".join(parts) else f"(?P={name})")
    return re.compile("".join(parts), re.DOTALL)


def _words_by_english() -> dict[str, str]:
    if not _WORD_CACHE:
        _WORD_CACHE.update({e.en: k for k, e in CATALOGUE.items() if k.startswith("word.") and
                            not placeholders(e.en)})
    return _WORD_CACHE


def _merge() -> dict[str, Text]:
    from tfdb_dam.messages import access, files, forms, system, words

    merged: dict[str, Text] = {}
    for module in (files, forms, access, system, words):
        for key, entry in module.MESSAGES.items():
            if key in merged:
                raise RuntimeError(f"Message key {key!r} is defined twice in tfdb_dam/messages.")
            merged[key] = entry
    return merged


CATALOGUE: dict[str, Text] = _merge()

__all__ = ["CATALOGUE", "LANGUAGES", "Listing", "Message", "Text", "localize_sentence", "msg",
           "placeholders", "recognise", "word"]
