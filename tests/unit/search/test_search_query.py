"""Query parsing: language, accents, terms, phrases, expansions and the tsquery string."""

from __future__ import annotations

import re

import pytest

from tfdb_dam.search.query import detect_language, parse_query, tsquery_lexeme, tsquery_phrase


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("lăng Gia Long", "vi"),
        ("cứu trợ người dân sau thiên tai", "vi"),
        ("le hoi dien hon chen", "vi"),
        ("dam chuon", "vi"),
        ("cua cac lang nghe", "vi"),
        ("Savannakhet delegation visit", "en"),
        ("wind turbines on coastal sand dunes", "en"),
        ("Đại sứ New Zealand", "vi"),
        ("Thieu Tri toomb", "mixed"),
        ("hue", "mixed"),
        ("", ""),
    ],
)
def test_detect_language(text, lang):
    assert detect_language(text) == lang


def test_parse_accented_vietnamese():
    parsed = parse_query("Lăng  vua Gia Long của Huế")
    assert parsed.lang == "vi" and parsed.has_accents
    assert parsed.folded == "lang vua gia long cua hue"
    assert parsed.terms == ("lang", "vua", "gia", "long", "hue")  # "của" is a stop word
    assert parsed.exact_terms == ("lăng", "huế")
    assert "tomb" in parsed.expansion_terms("en")
    assert {e.lang for e in parsed.expansions} == {"vi", "en"}
    assert "van-hoa-di-san" in parsed.slugs


def test_unaccented_query_keeps_words_that_are_content_when_accented():
    parsed = parse_query("cho dong ba tet")
    assert not parsed.has_accents
    assert parsed.terms == ("cho", "dong", "ba", "tet")  # "cho" may be "chợ"


def test_nfd_and_old_tone_placement_parse_alike():
    import unicodedata

    a = parse_query(unicodedata.normalize("NFD", "hoà bình"))
    b = parse_query("hòa bình")
    assert (a.nfc, a.folded, a.exact_terms) == (unicodedata.normalize("NFC", "hoà bình"), b.folded, b.exact_terms)


def test_quoted_phrases():
    parsed = parse_query('"lễ hội" Huế “Perfume River”')
    assert parsed.phrases == (("le", "hoi"), ("perfume", "river"))
    assert parsed.tsquery(expansions=False) == "('le' <-> 'hoi') | ('perfume' <-> 'river') | 'hue'"


def test_stop_words_only_still_searches():
    assert parse_query("the of").terms == ("the", "of")
    assert parse_query("").is_empty and parse_query("").tsquery() == ""


def test_tsquery_includes_expansions_as_phrases():
    query = parse_query("khu công nghiệp").tsquery()
    assert "('industrial' <-> 'park')" in query
    assert query.startswith("'khu' | 'cong' | 'nghiep'")
    assert "'tomb'" not in query
    assert "industrial" not in parse_query("khu công nghiệp").tsquery(expansion_lang="vi")


@pytest.mark.parametrize(
    "hostile",
    ["a' | 'b", "x & !y", "(a <-> b):*", "\\' OR 1=1 --", "lăng'::tsquery", "a:* | b:A", "'';"],
)
def test_tsquery_never_carries_user_syntax(hostile):
    query = parse_query(hostile).tsquery()
    # Every operand is a quoted run of letters/digits; only | <-> ( ) join them.
    operands = re.findall(r"'([^']*)'", query)
    assert all(re.fullmatch(r"[^\W_]+", op) for op in operands)
    skeleton = re.sub(r"'[^']*'", "X", query)
    assert re.fullmatch(r"[X|<\->() ]*", skeleton), skeleton
    assert parse_query("'';").tsquery() == ""  # nothing searchable: the caller skips the leg


def test_lexeme_escaping():
    assert tsquery_lexeme("it's") == "'it''s'"
    assert tsquery_lexeme("a\\b") == "'a\\\\b'"
    assert tsquery_phrase(["le"]) == "'le'"
    assert tsquery_phrase([]) == ""
