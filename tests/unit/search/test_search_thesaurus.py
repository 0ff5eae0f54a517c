"""The bilingual thesaurus: data quality, matching on folded and accented text, extension."""

from __future__ import annotations

import time

from tfdb_dam.search.text import fold
from tfdb_dam.search.thesaurus import Entry, Thesaurus, default_thesaurus, expand
from tfdb_dam.search.thesaurus_data import AREAS, ENTRIES


def _terms(expansion, lang=None):
    return {t.term for t in expansion.terms if lang is None or t.lang == lang}


def test_builtin_data_is_large_and_well_formed():
    assert len(ENTRIES) >= 150
    assert len(AREAS) == 7
    for vi, en, slug in ENTRIES:
        assert vi.strip() and en.strip(), (vi, en)
        assert slug == "" or slug in AREAS, slug
    assert {slug for _, _, slug in ENTRIES} >= set(AREAS)


def test_every_area_has_an_entry_naming_it():
    thesaurus = default_thesaurus()
    assert {e.slug for e in thesaurus.entries if e.slug} == set(AREAS)


def test_unaccented_multiword_matches_folded():
    expansion = expand("le hoi dien hon chen", "vi")
    assert "festival" in _terms(expansion, "en")
    assert "le hoi" in expansion.matched
    assert "van-hoa-di-san" in expansion.slugs


def test_english_to_vietnamese_and_plurals():
    expansion = expand("tombs of the emperors", "en")
    assert {"lăng", "mausoleum"} <= _terms(expansion)
    assert {"hoàng đế", "vua"} <= _terms(expansion, "vi")
    assert all(t.exact for t in expansion.terms)


def test_accented_query_does_not_cross_tones():
    village = expand("làng nghề", "vi")
    assert "craft village" in _terms(village)
    assert "tomb" not in _terms(expand("làng", "vi"))
    assert "tomb" in _terms(expand("lăng", "vi"))


def test_unaccented_ambiguous_word_expands_every_reading():
    terms = _terms(expand("lang", "vi"))
    assert {"tomb", "village"} <= terms
    assert not any(t.exact for t in expand("lang", "vi").terms)


def test_longest_match_wins():
    expansion = expand("xúc tiến đầu tư", "vi")
    assert "investment promotion" in _terms(expansion)
    assert expansion.matched == ("xuc tien dau tu",)


def test_token_list_input_and_mixed_language():
    assert "ambassador" in _terms(expand(["Đại", "sứ", "New", "Zealand"]))
    assert "đại sứ" in _terms(expand("ambassador visit", None))


def test_old_tone_placement_matches():
    assert _terms(expand("hoà nhạc", "vi")) == _terms(expand("hòa nhạc", "vi"))


def test_expanded_terms_are_folded_consistently():
    for term in expand("bão lũ lụt cứu trợ", "vi").terms:
        assert term.folded == fold(term.term)
    assert "relief" in expand("bão lũ lụt cứu trợ", "vi").folded_terms("en")


def test_extended_with_admin_entries():
    extra = Entry.of("bánh lọc|bánh bột lọc", "tapioca dumpling", "du-lich")
    thesaurus = default_thesaurus().extended([extra])
    assert len(thesaurus) == len(default_thesaurus()) + 1
    assert "tapioca dumpling" in _terms(thesaurus.expand("banh loc", "vi"))
    assert "tapioca dumpling" not in _terms(default_thesaurus().expand("banh loc", "vi"))


def test_custom_thesaurus_alone():
    thesaurus = Thesaurus([Entry.of(["Đò"], ["ferry", "ferry boat"])])
    assert _terms(thesaurus.expand("ferries", "en")) == {"đò", "ferry boat", "ferry"}
    assert not thesaurus.expand("nothing here")


def test_expansion_is_fast():
    thesaurus = default_thesaurus()
    query = "nơi an nghỉ của các hoàng đế triều Nguyễn bên sông Hương"
    start = time.perf_counter()
    for _ in range(200):
        thesaurus.expand(query, "vi")
    assert (time.perf_counter() - start) / 200 < 0.005
