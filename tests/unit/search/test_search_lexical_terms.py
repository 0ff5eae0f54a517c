"""The full-text leg's terms without a database: English singular/plural forms, the tsquery of a
term's forms, which records are scored at scale (the recall), and where a reason finds a term."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

from tfdb_dam.db.models import Asset, AssetStatus, Role
from tfdb_dam.search.query import parse_query
from tfdb_dam.services.actors import PUBLIC, SYSTEM, Actor
from tfdb_dam.services.search_lexical_filters import status_tests
from tfdb_dam.services.search_lexical_terms import LexTerm, estimated_rows, lexical_terms, telling
from tfdb_dam.services.search_reasons import _Fields, _Record
from tfdb_dam.services.search_lexical_recall import CANDIDATE_BUDGET, SLICED_FROM, recall, sliced, words_first
from tfdb_dam.services.search_terms import TermStats, english_forms
from tfdb_dam.services.visibility import visible_to


def test_english_forms_give_the_other_number_of_the_last_word():
    assert english_forms(("pagoda",)) == (("pagoda",), ("pagodas",))
    assert english_forms(("pagodas",)) == (("pagodas",), ("pagoda",))
    assert english_forms(("cities",)) == (("cities",), ("city",))
    assert english_forms(("city",)) == (("city",), ("cities",))
    assert english_forms(("boxes",)) == (("boxes",), ("box",))
    assert english_forms(("church",)) == (("church",), ("churches",))
    assert english_forms(("fishing", "boat")) == (("fishing", "boat"), ("fishing", "boats"))


def test_english_forms_leave_short_words_numbers_and_ss_alone():
    assert english_forms(("sea",)) == (("sea",),)
    assert english_forms(("2024",)) == (("2024",),)
    assert english_forms(("class",)) == (("class",), ("classes",))


def test_a_term_matches_any_of_its_forms():
    term = LexTerm("folded", (("pagoda",), ("pagodas",)), 1.0, "query", "pagoda")
    assert term.query == "('pagoda' | 'pagodas')"
    assert term.words == ("pagoda",)
    phrase = LexTerm("folded", (("dragon", "boat"), ("dragon", "boats")), 1.0, "query", "dragon boat")
    assert phrase.query == "(('dragon' <-> 'boat') | ('dragon' <-> 'boats'))"
    assert LexTerm("exact", (("lăng",),), 0.5, "accent", "lăng").query == "'lăng'"


def test_english_queries_get_forms_vietnamese_ones_do_not():
    english = {t.shown: t for t in lexical_terms(parse_query("tombs of the emperors"), {}) if t.kind == "query"}
    assert english["tombs"].forms == (("tombs",), ("tomb",))
    vietnamese = [t for t in lexical_terms(parse_query("lăng tẩm Huế"), {}) if t.kind == "query"]
    assert vietnamese and all(len(t.forms) == 1 for t in vietnamese)


def test_estimated_rows_count_every_form():
    stats = TermStats(1000.0, {"tomb": 0.1, "tombs": 0.05}, 0.001)
    term = LexTerm("folded", (("tomb",), ("tombs",)), 1.0, "query", "tomb")
    assert estimated_rows(stats, term) == 150.0


def _terms(*spec: tuple[str, str, str]) -> list[LexTerm]:
    return [LexTerm(column, ((word,),), 1.0, kind, word) for word, kind, column in spec]


def test_a_small_library_scores_every_record_with_any_term():
    terms = _terms(("coffee", "query", "folded"), ("school", "query", "folded"), ("cà phê", "thesaurus", "exact"))
    chosen = recall(terms, TermStats(60.0, {"coffee": 0.1, "school": 0.2}, 0.01))
    assert [t.shown for t in chosen.required] == ["coffee"]
    assert {t.shown for t in chosen.extras} == {"school", "cà phê"}
    assert not chosen.narrowed


def test_a_large_library_scores_the_records_with_all_the_rarest_common_words():
    """At a million records, "coffee" alone would bring 50 000 candidates: records with it and
    "quang" (about 5 000 by the statistics) and "school" (750) come first."""
    stats = TermStats(1_000_000.0, {"coffee": 0.05, "school": 0.15, "quang": 0.1, "pagoda": 0.9}, 1e-6)
    terms = _terms(
        ("coffee", "query", "folded"),
        ("school", "query", "folded"),
        ("pagoda", "query", "folded"),
        ("quang", "query", "folded"),
        ("ngôi trường", "thesaurus", "exact"),
        ("coffe", "spelling", "folded"),
        ("cà", "accent", "exact"),
    )
    chosen = recall(terms, stats)
    assert [t.shown for t in chosen.required] == ["coffee", "quang", "school"]
    assert 1_000_000 * 0.05 * 0.1 > CANDIDATE_BUDGET >= 1_000_000 * 0.05 * 0.1 * 0.15
    assert {t.shown for t in chosen.extras} == {"ngôi trường", "coffe"}  # rare; never the accent term
    assert chosen.narrowed
    wider = chosen.broadened()
    assert [t.shown for t in wider.required] == ["coffee"] and wider.extras == ()


def test_rare_extra_terms_do_not_replace_the_typed_words():
    """A thesaurus phrase no record holds is estimated rarest of all; the typed word must still
    bring its records (the leg once returned nothing for such queries)."""
    stats = TermStats(100_000.0, {"coffee": 0.005}, 1e-5)
    terms = _terms(("coffee", "query", "folded"), ("cà phê", "thesaurus", "exact"))
    chosen = recall(terms, stats)
    assert [t.shown for t in chosen.required] == ["coffee"]
    assert [t.shown for t in chosen.extras] == ["cà phê"]


def _record(**values: str) -> _Record:
    columns = ("title_vi", "title_en", "description_vi", "description_en", "source_unit", "credit",
               "original_filename", "text", "category_vi", "category_en")
    return _Record(SimpleNamespace(**{c: values.get(c) for c in columns}), values.get("tags", "").split(",")[:-1])


def test_a_reason_names_the_first_field_holding_the_words_in_sequence():
    fields = _Fields(_record(title_en="Dragon boat race", description_en="On the Perfume River, the boats race",
                             tags="Lăng Tự Đức,"))
    folded = lambda *forms: LexTerm("folded", forms, 1.0, "query", forms[0][0])  # noqa: E731
    assert fields.where(folded(("perfume", "river"))) == "description"
    assert fields.where(folded(("boat",), ("boats",))) == "title"  # the title holds one form
    assert fields.where(folded(("dragon", "race"))) is None  # not consecutive
    assert fields.where(folded(("perf",))) is None  # words, not parts of words
    assert fields.where(folded(("the", "perfume", "river", "the", "boats", "race"))) == "description"
    assert fields.where(folded(("tu", "duc"))) == "tags"
    assert fields.where(LexTerm("exact", (("tự", "đức"),), 0.5, "accent", "tự đức")) == "tags"
    assert fields.where(LexTerm("exact", (("tu", "duc"),), 0.5, "accent", "tu duc")) is None


def test_a_phrase_never_runs_from_one_value_or_field_into_the_next():
    fields = _Fields(_record(title_vi="Chùa Thiên Mụ", title_en="Thien Mu pagoda", tags="lăng chùa,sông hương,"))
    phrase = lambda *words: LexTerm("folded", (words,), 1.0, "query", " ".join(words))  # noqa: E731
    assert fields.where(phrase("chua", "song")) is None  # two tags
    assert fields.where(phrase("mu", "thien")) is None  # two titles
    assert fields.where(phrase("pagoda", "lang")) is None  # title, then tags
    assert fields.where(phrase("song", "huong")) == "tags"


def test_words_in_most_records_are_not_anded_in():
    stats = TermStats(1_000_000.0, {"tra": 0.06, "le": 0.73, "huong": 0.82, "chua": 0.96}, 1e-6)
    chosen = recall(_terms(*[(w, "query", "folded") for w in ("chua", "le", "huong", "tra")]), stats)
    assert [t.shown for t in chosen.required] == ["tra"]
    alone = recall(_terms(("chua", "query", "folded")), stats)
    assert [t.shown for t in alone.required] == ["chua"]  # the only word: it still brings records


def test_words_in_nearly_every_record_are_not_ranked_unless_nothing_else_is():
    # "lang" (lăng, làng, lạng folded) in 99.7 % of the records: IDF 0.003, worth no ts_rank call.
    stats = TermStats(100_000.0, {"lang": 0.997, "hue": 0.4, "tu": 0.2}, 1e-5)
    terms = _terms(("lang", "query", "folded"), ("hue", "query", "folded"), ("tu", "query", "folded"))
    assert [t.shown for t in telling(terms, stats)] == ["hue", "tu"]
    assert [t.shown for t in telling(terms[:1], stats)] == ["lang"]  # the only term is still ranked
    assert telling([], stats) == []


def test_a_small_filter_with_common_words_checks_the_words_on_its_rows():
    stats = TermStats(1_000_000.0, {"phong": 0.135, "dien": 0.28, "savannakhet": 1e-5}, 1e-6)
    common = recall(_terms(("phong", "query", "folded"), ("dien", "query", "folded")), stats)
    rare = recall(_terms(("savannakhet", "query", "folded")), stats)
    assert not words_first(1_000, common, stats)  # 1 000 rows checked, not 415 000 entries read
    assert words_first(50_000, common, stats)
    assert words_first(1_000, rare, stats)  # 10 entries
    assert words_first(float("inf"), common, stats)  # nothing filtered out
    assert common.broadened().on_rows is False
    assert replace(common, on_rows=True).broadened().on_rows is True


def test_common_words_are_read_slice_by_slice_when_the_first_half_could_fill_the_cap():
    """The rarest required word bounds the matches: sliced only when enough records hold it,
    among those the filters keep, for the cap to fill before the last slice."""
    stats = TermStats(1_000_000.0, {"phong": 0.135, "dien": 0.28, "savannakhet": 1e-5}, 1e-6)
    common = recall(_terms(("phong", "query", "folded"), ("dien", "query", "folded")), stats)
    assert sliced(float("inf"), common, stats)  # 135 000 records hold "phong"
    assert sliced(100_000, common, stats)  # a tenth kept: 13 500
    assert not sliced(10_000, common, stats)  # a hundredth kept: 1 350, under SLICED_FROM
    assert not sliced(float("inf"), recall(_terms(("savannakhet", "query", "folded")), stats), stats)
    assert not sliced(float("inf"), replace(common, on_rows=True), stats)  # not through GIN at all
    # A rare extra (a spelling, a translation) is read whole: slices would read its list four times.
    assert not sliced(float("inf"), replace(common, extras=tuple(_terms(("dienn", "spelling", "folded")))), stats)
    edge = TermStats(1_000_000.0, {"phong": SLICED_FROM / 1_000_000.0}, 1e-6)
    assert sliced(float("inf"), recall(_terms(("phong", "query", "folded")), edge), edge)
    assert replace(common, sliced=True).broadened().sliced  # the rarest word alone: as common


def test_only_the_publics_status_test_is_put_in_the_planners_sight():
    """The public's rule (and a filter naming the same status) is served by GIN indexes of its
    own; any other status test must stay hidden, or PostgreSQL ANDs the status index in."""
    viewer = Actor(user_id=1, username="journalist", role=Role.viewer)
    contributor = Actor(user_id=2, username="staff", role=Role.contributor)
    kind = Asset.kind.in_(["photo"])
    public = status_tests([visible_to(PUBLIC), kind])
    assert [str(test) for test in public] == ["assets.status IN (__[POSTCOMPILE_status_1])"]
    assert len(status_tests([Asset.status == AssetStatus.published])) == 1
    assert status_tests([visible_to(viewer), kind]) == []
    assert status_tests([visible_to(SYSTEM), Asset.status.in_(["published", "approved"])]) == []
    assert status_tests([visible_to(contributor)]) == []  # published OR one's own
    assert status_tests([Asset.status.in_(["published", "submitted"])]) == []
    assert status_tests([Asset.status == AssetStatus.draft]) == []
