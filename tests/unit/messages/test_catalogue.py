"""The bilingual message catalogue: every key in both languages with the same placeholders, and
errors that read in English by default and in Vietnamese on request."""

from __future__ import annotations

import pickle
import string
import unicodedata

import pytest

from tfdb_dam import errors
from tfdb_dam.messages import (CATALOGUE, Listing, Message, localize_sentence, msg, placeholders, recognise,
                               word)

_VIETNAMESE_LETTERS = set("ăâđêôơưàáạảãằắặẳẵầấậẩẫèéẹẻẽềếệểễìíịỉĩòóọỏõồốộổỗờớợởỡùúụủũừứựửữỳýỵỷỹ")


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_key_has_both_languages_with_the_same_placeholders(key: str) -> None:
    entry = CATALOGUE[key]
    assert entry.en.strip() and entry.vi.strip()
    assert placeholders(entry.en) == placeholders(entry.vi), key
    for template in entry:
        # Plain {name} only: a format spec would break on a value read back from a stored sentence.
        fields = [(spec, conv) for _, name, spec, conv in string.Formatter().parse(template) if name]
        assert all(not spec and not conv for spec, conv in fields)
        assert unicodedata.is_normalized("NFC", template)


@pytest.mark.parametrize("key", sorted(k for k in CATALOGUE if not k.startswith("word.")))
def test_every_sentence_is_written_in_vietnamese_not_copied(key: str) -> None:
    entry = CATALOGUE[key]
    assert entry.vi != entry.en
    assert _VIETNAMESE_LETTERS & set(entry.vi.lower()), f"{key}: no Vietnamese letter in {entry.vi!r}"
    assert entry.en.rstrip()[-1] in ".:)" or "{" in entry.en[-12:], key


def _sample(key: str) -> Message:
    return Message(key, {name: f"x{n}" for n, name in enumerate(sorted(placeholders(CATALOGUE[key].en)))})


@pytest.mark.parametrize("key", sorted(k for k in CATALOGUE if k.startswith(("file.", "storage."))))
def test_a_stored_refusal_is_recognised_and_shown_in_vietnamese(key: str) -> None:
    sample = _sample(key)
    assert recognise(sample.text("en")) == sample
    assert localize_sentence(sample.text("en"), "vi") == sample.text("vi")


def test_an_error_is_english_by_default_and_vietnamese_on_request() -> None:
    exc = errors.RejectedFile("file.claims_other_type", claimed="jpg", label=word("word.family.html"))
    assert str(exc) == "The file says .jpg but its content is an HTML page."
    assert exc.localized("en") == str(exc)
    assert exc.localized("vi") == "Tệp mang đuôi .jpg nhưng nội dung thực chất là một trang HTML."
    assert isinstance(exc, ValueError) and exc.message.key == "file.claims_other_type"


def test_a_stored_sentence_with_a_translated_word_comes_back_translated() -> None:
    sentence = "The file says .png but its content is a Windows shortcut."
    assert localize_sentence(sentence, "vi") == (
        "Tệp mang đuôi .png nhưng nội dung thực chất là một lối tắt (shortcut) của Windows.")
    assert localize_sentence("The file is 512 bytes, above the limit of 1.0 MB.", "vi") == (
        "Tệp có dung lượng 512 byte, vượt quá giới hạn 1.0 MB.")
    assert localize_sentence("Not a sentence we know.", "vi") == "Not a sentence we know."


def test_errors_survive_a_process_boundary_with_their_key() -> None:
    from tfdb_dam.api.ratelimit import RateLimited

    for exc in (errors.ValidationError("metadata.tag_too_long", limit=100), RateLimited(7)):
        again = pickle.loads(pickle.dumps(exc))
        assert type(again) is type(exc) and str(again) == str(exc)
        assert again.localized("vi") == exc.localized("vi") and "thử lại" in RateLimited(7).localized("vi")
    assert pickle.loads(pickle.dumps(RateLimited(7))).retry_after == 7


def test_lists_of_words_join_in_the_readers_language() -> None:
    missing = Listing(tuple(word(f"word.needed.{f}") for f in ("title_en", "credit", "license")), "and")
    exc = errors.ValidationError("workflow.fields_missing", asset_id=42, done=word("word.done.published"),
                                 missing=missing)
    assert str(exc) == "Asset 42 cannot be published without an English title, a credit and a licence."
    assert exc.localized("vi") == ("Tư liệu số 42 không thể công bố khi còn thiếu tiêu đề tiếng Anh, "
                                   "ghi công và giấy phép.")


def test_a_quoted_error_is_quoted_in_the_same_language() -> None:
    inner = errors.ValidationError("metadata.tag_too_long", limit=100)
    outer = errors.UsageError("csv.line_invalid", line=3, path="meta.csv", name="a.jpg", reason=inner)
    assert str(outer) == "Line 3 of meta.csv (a.jpg): A tag may have at most 100 characters."
    assert outer.localized("vi") == "Dòng 3 của meta.csv (a.jpg): Mỗi thẻ chỉ được dài tối đa 100 ký tự."
    assert str(msg("auth.paused", minutes=5)) == "Too many failed sign-ins; try again in 5 minutes."


def test_a_literal_sentence_still_works_for_code_outside_the_catalogue() -> None:
    exc = errors.NotFound("Nothing here.")
    assert str(exc) == exc.localized("vi") == "Nothing here."
