"""Where a reason finds a term when a page's records are laid out and searched together: each
record's answer is the one it gets alone, and a document's text is read only when needed."""

from __future__ import annotations

from types import SimpleNamespace

from tfdb_dam.services.search_lexical_terms import LexTerm
from tfdb_dam.services.search_reasons import _Fields, _Record

COLUMNS = ("title_vi", "title_en", "description_vi", "description_en", "source_unit", "credit",
           "original_filename", "text", "category_vi", "category_en")


def _record(tags: tuple[str, ...] = (), **values: str) -> _Record:
    return _Record(SimpleNamespace(**{c: values.get(c) for c in COLUMNS}), list(tags))


def _term(*words: str, column: str = "folded") -> LexTerm:
    return LexTerm(column, (words,), 1.0, "query", " ".join(words))


RECORDS = [
    _record(title_en="Dragon boat race", description_en="On the Perfume River", tags=("Lăng Tự Đức",)),
    _record(title_vi="Sông Hương", description_en="A dragon boat, moored", credit="Hương"),
    _record(text="Kế hoạch: thuyền rồng trên sông Hương. Dragon boat festival", title_en="Plan"),
    _record(title_en="IMG_0042", original_filename="perfume_river.jpg"),
]
TERMS = [
    _term("dragon", "boat"),
    _term("song", "huong"),
    _term("huong"),
    _term("perfume", "river"),
    _term("tu", "duc"),
    _term("sông", "hương", column="exact"),
    _term("thuyền", "rồng", column="exact"),
    _term("boat", "sông"),
    _term("img", "0042"),
    _term("river", "a"),
    _term("kayak"),
]


def test_a_page_finds_for_each_record_what_the_record_alone_finds():
    page = _Fields(*RECORDS)
    for term in TERMS:
        assert [page.where(term, n) for n in range(len(RECORDS))] == [_Fields(r).where(term) for r in RECORDS]
    assert [page.where(TERMS[0], n) for n in range(4)] == ["title", "description", "text", None]
    assert [page.where(TERMS[2], n) for n in range(4)] == [None, "title", "text", None]
    assert page.where(TERMS[3], 3) == "file_name"  # "_" splits words


def test_a_phrase_never_runs_from_one_record_into_the_next():
    page = _Fields(_record(credit="Nguyễn Văn"), _record(title_en="An"))
    assert page.where(_term("van", "an"), 0) is None
    assert page.where(_term("van", "an"), 1) is None


def test_a_document_text_is_laid_out_only_for_a_term_no_other_field_holds():
    page = _Fields(RECORDS[2])
    assert page.where(_term("plan")) == "title"
    assert page._documents_laid_out == {}
    assert page.where(_term("ke", "hoach")) == "text"
    assert list(page._documents_laid_out) == [("folded", 0)]
