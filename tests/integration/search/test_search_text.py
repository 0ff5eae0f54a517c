"""Vietnamese done right: folding (đ, NFD, tone placement), exact accents first, spelling, both languages."""

from __future__ import annotations

import unicodedata

import pytest
from sqlalchemy import event

from tests.integration.search.records import add_assets
from tfdb_dam.search.query import parse_query
from tfdb_dam.services.actors import SYSTEM
from tfdb_dam.services.search import search
from tfdb_dam.services.search_lexical import plan_lexical
from tfdb_dam.services.search_terms import spelling_corrections, term_stats
from tfdb_dam.services.search_types import SearchRequest

RECORDS = {
    "tomb": dict(
        title_vi="Lăng Tự Đức mùa thu",
        description_vi="Hồ Lưu Khiêm trong lăng vua Tự Đức.",
        tags=["lăng tẩm"],
        category="van-hoa-di-san",
    ),
    "village": dict(
        title_vi="Làng hương Thủy Xuân",
        description_vi="Người làng phơi chân nhang trước sân.",
        tags=["làng nghề"],
        category="du-lich",
    ),
    "dong": dict(
        title_vi="Điện Ngưng Hy, lăng Đồng Khánh",
        title_en="Ngung Hy hall",
        tags=["Đồng Khánh"],
        category="van-hoa-di-san",
    ),
    "peace_old": dict(title_vi="Lễ hội Hoà bình trên sông", tags=["hoà bình"]),  # old tone placement
    "festival": dict(
        title_vi="Festival Nghề truyền thống Huế",
        title_en="Hue Traditional Craft Festival",
        category="van-hoa-di-san",
    ),
    "ambassador_en": dict(
        title_en="New Zealand Ambassador visits Hue",
        description_en="The Ambassador meets provincial leaders.",
        category="doi-ngoai",
    ),
    "airport": dict(
        title_vi="Nhà ga T2 sân bay Phú Bài", title_en="Phu Bai airport terminal 2", category="dau-tu"
    ),
}


@pytest.fixture(scope="module")
def sctx(module_ctx):  # noqa: ANN001, ANN201
    return module_ctx


@pytest.fixture(scope="module")
def library(sctx):  # noqa: ANN001, ANN201
    ids = add_assets(sctx, RECORDS)
    return {asset_id: key for key, asset_id in ids.items()}


def _keys(sctx, library, query: str, limit: int = 10) -> list[str]:  # noqa: ANN001
    with sctx.db.begin() as session:
        result = search(session, sctx, SYSTEM, SearchRequest(query=query, per_page=limit, with_facets=False))
    return [library[hit.asset_id] for hit in result.hits]


def _hit(sctx, query: str):  # noqa: ANN001, ANN202
    with sctx.db.begin() as session:
        return search(session, sctx, SYSTEM, SearchRequest(query=query, per_page=5, with_facets=False)).hits[
            0
        ]


def test_d_with_stroke_folds_to_d(sctx, library):  # noqa: ANN001
    assert _keys(sctx, library, "dong khanh")[0] == "dong"
    assert _keys(sctx, library, "ĐỒNG KHÁNH")[0] == "dong"


def test_nfd_query_finds_nfc_records(sctx, library):  # noqa: ANN001
    decomposed = unicodedata.normalize("NFD", "lăng Đồng Khánh")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    assert _keys(sctx, library, decomposed)[0] == "dong"


@pytest.mark.parametrize("query", ["hòa bình", "hoà bình", "hoa binh"])
def test_old_and_new_tone_placement_match(sctx, library, query):  # noqa: ANN001
    assert _keys(sctx, library, query)[0] == "peace_old"


def test_new_tone_placement_query_matches_old_record_with_exact_accents(sctx, library):  # noqa: ANN001
    assert any("exact accents" in reason or "đúng dấu" in reason for reason in _hit(sctx, "hòa bình").reasons)


def test_exact_accents_rank_above_folded_matches(sctx, library):  # noqa: ANN001
    assert _keys(sctx, library, "lăng")[0] == "tomb"
    assert _keys(sctx, library, "làng")[0] == "village"
    assert {"tomb", "village"} <= set(_keys(sctx, library, "lang"))


def test_misspelled_words_are_found(sctx, library):  # noqa: ANN001
    assert _keys(sctx, library, "Festivall Nghe")[0] == "festival"
    assert _keys(sctx, library, "Phu Bai aiport")[0] == "airport"
    hit = _hit(sctx, "aiport terminal")
    assert any("aiport → airport" in reason for reason in hit.reasons)


def test_words_the_statistics_list_are_not_looked_up_for_spelling(sctx, library):  # noqa: ANN001
    """A word ANALYZE lists among the documents' common lexemes is in some document: the lookup
    of similar words is skipped for it, and its round trip when every word is such a word."""
    looked_up: list[list[str]] = []  # the words each spelling lookup was sent

    def remember(conn, cursor, statement, parameters, *args):  # noqa: ANN001, ANN202
        if "similarity(" in statement:
            looked_up.append(sorted(set(parameters["words"])))  # a word per form of it

    with sctx.db.begin() as session:
        event.listen(session.get_bind(), "before_cursor_execute", remember)
        try:
            assert spelling_corrections(session, ("festival", "airport"), known={"festival", "airport"}) == {}
            assert looked_up == []
            found = spelling_corrections(session, ("festivall", "airports"), known={"airport"})
            assert looked_up == [["festivall"]]  # "airports" is "airport" in the plural
            common = next(word for word in term_stats(session).frequencies if len(word) >= 4)
            looked_up.clear()
            assert plan_lexical(session, parse_query(common), [], 10) is not None
            assert looked_up == []  # the leg hands the statistics' words over
        finally:
            event.remove(session.get_bind(), "before_cursor_execute", remember)
    assert list(found) == ["festivall"] and found["festivall"][0][0] == "festival"


def test_english_query_finds_vietnamese_only_record(sctx, library):  # noqa: ANN001
    found = _keys(sctx, library, "royal tomb autumn")
    assert found and found[0] == "tomb"
    assert any("thesaurus" in r or "từ điển" in r for r in _hit(sctx, "tomb").reasons)


def test_vietnamese_query_finds_english_only_record(sctx, library):  # noqa: ANN001
    assert _keys(sctx, library, "Đại sứ New Zealand")[0] == "ambassador_en"
    assert _keys(sctx, library, "đại sứ")[0] == "ambassador_en"


def test_reasons_name_field_and_word(sctx, library):  # noqa: ANN001
    hit = _hit(sctx, "Thủy Xuân")
    assert hit.reasons and any("title" in r or "tiêu đề" in r for r in hit.reasons)
    assert hit.title_vi == "Làng hương Thủy Xuân" and hit.score > 0


def test_words_in_no_record_find_nothing_by_words(sctx, library):  # noqa: ANN001
    with sctx.db.begin() as session:
        result = search(session, sctx, SYSTEM, SearchRequest(query="xylophone quokka", with_facets=False))
    assert all(not any("matches" in r or "khớp" in r for r in hit.reasons) for hit in result.hits)


def test_database_keeps_the_words_python_made(sctx):  # noqa: ANN001
    """Documents are Python tokens joined by spaces; PostgreSQL's parser must keep them whole."""
    from sqlalchemy import text

    from tfdb_dam.search.text import exact_tokens, tokens

    sample = "Đại sứ Cuba thăm Thừa Thiên Huế 11/2016; tua-bin T2, hoà bình — Ngưng Hy's “Tư Lăng” ĐỒNG"
    with sctx.db.begin() as session:
        for words in (tokens(sample), exact_tokens(sample)):
            stored = session.execute(
                text("SELECT tsvector_to_array(to_tsvector('simple', :doc))"), {"doc": " ".join(words)}
            ).scalar()
            assert sorted(stored) == sorted(set(words))
