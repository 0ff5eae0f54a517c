"""Plan guard: the app's own full-text and vector SQL, through the app's engine, uses the GIN and
HNSW indexes on a table big enough for the planner to prefer them; selective filters still give k."""

from __future__ import annotations

import json
from dataclasses import replace

import psycopg
import pytest
from sqlalchemy import event, text
from sqlalchemy.dialects.postgresql.asyncpg import dialect as dollar_dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ClauseElement, Executable

from tfdb_dam.db.models import Role
from tfdb_dam.db.vector_params import BinaryHalfvec
from tfdb_dam.search.query import parse_query
from tfdb_dam.services.actors import PUBLIC, SYSTEM, Actor
from tfdb_dam.services.indexing_vectors import ensure_vector_index, hnsw_index_name
from tfdb_dam.services.search import analyze
from tfdb_dam.services.search_filters import filter_conditions
from tfdb_dam.services.search_lexical import lexical_statement, plan_lexical, run_lexical
from tfdb_dam.services.search_lexical_recall import CANDIDATE_CAP, FEW_RESULTS, SLICES
from tfdb_dam.services.search_lexical_terms import lexical_terms
from tfdb_dam.services.search_terms import term_stats
from tfdb_dam.services.search_types import SearchFilters
from tfdb_dam.services.search_vector import (
    EF_SEARCH,
    FILTERED_EF_SEARCH,
    MAX_SCAN_TUPLES,
    configure_scan,
    nearest,
    nearest_apart,
)
from tfdb_dam.services.search_vector_sql import vector_statement, walk_sql

ROWS, VECTORS, RARE_EVERY, AUDIO_EVERY = 30_000, 5_000, 6_000, 500


class Explain(Executable, ClauseElement):
    """EXPLAIN of a statement, compiled and bound exactly as the app executes it."""

    inherit_cache = False

    def __init__(self, statement, analyze: bool = False) -> None:  # noqa: ANN001
        self.statement = statement
        self.analyze = analyze


@compiles(Explain, "postgresql")
def _explain(element: Explain, compiler, **kw) -> str:  # noqa: ANN001
    options = "ANALYZE, FORMAT JSON" if element.analyze else "FORMAT JSON"
    return f"EXPLAIN ({options}) " + compiler.process(element.statement, **kw)


def _indexes(plan: dict) -> set[str]:
    found = {plan["Index Name"]} if "Index Name" in plan else set()
    for child in plan.get("Plans", []):
        found |= _indexes(child)
    return found


def _plan(session, statement) -> set[str]:  # noqa: ANN001
    return _indexes(session.execute(Explain(statement)).scalar()[0]["Plan"])


def _appended(plan: dict) -> list[dict]:
    """The parts of the plan's first Append (EXPLAIN ANALYZE), in the order they are read."""
    if plan["Node Type"] == "Append":
        return plan["Plans"]
    return next((found for child in plan.get("Plans", []) if (found := _appended(child))), [])


def _generic_plan(session, sql: str) -> set[str]:  # noqa: ANN001
    """The plan a prepared statement would get once PostgreSQL switches it to a generic plan."""
    raw = session.connection().connection.driver_connection
    rows = raw.execute("EXPLAIN (GENERIC_PLAN, FORMAT JSON) " + sql).fetchone()
    plan = rows[0] if not isinstance(rows[0], str) else json.loads(rows[0])
    return _indexes(plan[0]["Plan"])


_FILL_ASSETS = text(
    "INSERT INTO assets (kind, status, processing, sha256, size_bytes, mime_type, ext, original_filename,"
    " title_en, search_folded, search_exact)"
    " SELECT CAST(CASE WHEN g % :audio = 0 THEN 'audio' ELSE 'photo' END AS asset_kind),"
    " 'published', 'ready',"
    " md5(g || 'a') || md5(g || 'b'), 1, 'image/jpeg', 'jpg', g || '.jpg', words,"
    " to_tsvector('simple', words), to_tsvector('simple', words)"
    " FROM generate_series(0, :rows - 1) AS g, LATERAL (SELECT"
    # a Zipf-like draw from 300 words, a rare word in every RARE_EVERY-th record
    " array_to_string(ARRAY(SELECT 'tu' || floor(300 * power(random(), 3))::int FROM generate_series(1, 12)"
    " WHERE g > 0), ' ') || CASE WHEN g % :rare = 0 THEN ' savannakhet' ELSE '' END AS words) AS w"
)
_FILL_VECTORS = text(
    "INSERT INTO embeddings (asset_id, source, model, dimension, vector)"
    " SELECT id, 'text', :model, :dim, CAST(ARRAY(SELECT random() - 0.5 FROM generate_series(1, :dim)"
    " WHERE id > 0) AS vector) FROM assets ORDER BY id LIMIT :vectors"
)


@pytest.fixture(scope="module")
def big(module_ctx, encoder):  # noqa: ANN001, ANN201
    """ROWS synthetic published assets with documents; random vectors for VECTORS of them."""
    with module_ctx.db.begin() as session:
        session.execute(_FILL_ASSETS, {"rows": ROWS, "audio": AUDIO_EVERY, "rare": RARE_EVERY})
        # Bulk loads build the HNSW index after the rows, as `tfdb reindex` does for a new size.
        session.execute(text(f"DROP INDEX {hnsw_index_name(encoder.dimension)}"))
        session.execute(
            _FILL_VECTORS, {"model": encoder.model_name, "dim": encoder.dimension, "vectors": VECTORS}
        )
        query = session.execute(
            text("SELECT vector FROM embeddings ORDER BY asset_id LIMIT 1 OFFSET 3")
        ).scalar()
    assert ensure_vector_index(module_ctx.db, encoder.dimension)
    with module_ctx.db.begin() as session:
        analyze(session)
    return {"model": encoder.model_name, "dimension": encoder.dimension, "query": json.loads(query)}


def test_engine_never_prepares_statements(module_ctx, big):  # noqa: ANN001
    with module_ctx.db.begin() as session:
        assert session.connection().connection.driver_connection.prepare_threshold is None


def test_full_text_leg_uses_the_gin_index(module_ctx, big):  # noqa: ANN001
    with module_ctx.db.begin() as session:
        parsed = parse_query("savannakhet")
        statement = lexical_statement(
            lexical_terms(parsed, {}),
            term_stats(session),
            filter_conditions(session, SYSTEM, SearchFilters()),
            50,
        )
        assert "sx_assets_search_folded" in _plan(session, statement)
        assert len(session.execute(statement).all()) == ROWS // RARE_EVERY


JOURNALIST = Actor(user_id=1, username="journalist", role=Role.viewer)
STAFF = Actor(user_id=2, username="staff", role=Role.contributor)


@pytest.mark.parametrize(
    ("actor", "filters", "index"),
    [
        (PUBLIC, SearchFilters(), "sx_assets_published_folded"),
        (SYSTEM, SearchFilters(statuses=["published"]), "sx_assets_published_folded"),
        # Journalists also see approved assets, contributors their own drafts: the full index.
        (JOURNALIST, SearchFilters(), "sx_assets_search_folded"),
        (STAFF, SearchFilters(), "sx_assets_search_folded"),
    ],
)
def test_the_public_view_reads_the_published_assets_gin_index(  # noqa: ANN001
    module_ctx, big, actor, filters, index
):
    """Everything here is published, so every view finds the same records; the public's (and a
    "published" filter's) reads the GIN lists of published assets only, and never ANDs them with
    the status index (that costs more than the whole search: see search_lexical_filters.status_tests)."""
    with module_ctx.db.begin() as session:
        conditions = filter_conditions(session, actor, filters)
        plan = plan_lexical(session, parse_query("savannakhet"), conditions, 50)
        used = _plan(session, plan.statement)
        assert index in used and "ix_assets_status_created" not in used
        assert len(run_lexical(session, plan)[0]) == ROWS // RARE_EVERY


def test_a_small_filter_finds_common_words_on_its_rows_rare_words_through_gin(module_ctx, big):  # noqa: ANN001
    """Audio is one asset in 500 (60 here): "tu0", in most records, is checked on those 60 rows
    rather than read from a GIN list of thousands; a rare word is still looked up in the index."""
    with module_ctx.db.begin() as session:
        conditions = filter_conditions(session, SYSTEM, SearchFilters(kinds=["audio"]))
        common = plan_lexical(session, parse_query("tu0"), conditions, 50)
        assert common.chosen.on_rows and "sx_assets_search_folded" not in _plan(session, common.statement)
        assert len(session.execute(common.statement).all()) > 0
        rare = plan_lexical(session, parse_query("savannakhet"), conditions, 50)
        assert not rare.chosen.on_rows and "sx_assets_search_folded" in _plan(session, rare.statement)


VIEW_SLICES = [(SYSTEM, "sx_assets_slice"), (PUBLIC, "sx_assets_published_slice")]


@pytest.mark.parametrize(("actor", "prefix"), VIEW_SLICES)
def test_common_words_read_the_slices_in_turn_and_stop_once_the_cap_is_met(  # noqa: ANN001
    module_ctx, big, actor, prefix
):
    """"tu0" is in most of the 30 000 records: the first slice (an eighth) holds more than the
    cap, so the other slices' GIN lists are never read. The public reads its own slices."""
    with module_ctx.db.begin() as session:
        conditions = filter_conditions(session, actor, SearchFilters())
        plan = plan_lexical(session, parse_query("tu0"), conditions, 50)
        assert plan.chosen.sliced
        first, *others = _appended(session.execute(Explain(plan.statement, analyze=True)).scalar()[0]["Plan"])
        assert _indexes(first) == {f"{prefix}0_folded"} and first["Actual Loops"] == 1
        assert len(others) == len(SLICES) - 1 and all(part["Actual Loops"] == 0 for part in others)
        found, _ = run_lexical(session, plan)
        assert len(found) == 50
        words = session.execute(
            text("SELECT bool_and(search_folded @@ 'tu0'::tsquery) FROM assets WHERE id = ANY(:ids)"),
            {"ids": [asset_id for asset_id, _ in found]},
        ).scalar_one()
        assert words is True


def test_the_slices_hold_every_record_once(module_ctx):  # noqa: ANN001
    tests = " + ".join(f"CAST({test} AS int)" for test in SLICES)
    with module_ctx.db.begin() as session:
        counts = session.execute(
            text(f"SELECT {tests} AS held, count(*) FROM generate_series(1, 1000) AS assets(id) GROUP BY 1")
        ).all()
    assert counts == [(1, 1000)]


@pytest.mark.parametrize(("actor", "prefix"), VIEW_SLICES)
def test_each_slice_reads_its_own_index_and_together_they_find_every_match(  # noqa: ANN001
    module_ctx, big, actor, prefix
):
    """"tu3" is in about a quarter of the records. Each slice's part of the plan can read that
    slice's partial index: with the whole library's indexes dropped (in a transaction rolled
    back) and table scans ruled out, a part whose test did not imply its index's predicate would
    be left a table scan. (Left free, on a table this small, PostgreSQL may scan the last half's
    rows or read the whole library's list for it, in a part it expects never to start; at
    100 000 and 1 M assets every part of the benchmark's searches reads its own slice's index.)
    Ranked without a cap, every slice is read, and nothing is lost to slicing."""
    session = module_ctx.db.sessions()
    try:
        conditions = filter_conditions(session, actor, SearchFilters())
        plan = plan_lexical(session, parse_query("tu3"), conditions, 50)
        assert plan.chosen.sliced
        whole, sliced = (
            lexical_statement(plan.terms, plan.stats, plan.conditions, ROWS, chosen, cap=ROWS)
            for chosen in (replace(plan.chosen, sliced=False), plan.chosen)
        )
        everything = session.execute(whole).all()
        assert len(everything) > CANDIDATE_CAP and sorted(session.execute(sliced).all()) == sorted(everything)
        for index in ("sx_assets_search_folded", "sx_assets_published_folded", "ix_assets_status_created"):
            session.execute(text(f"DROP INDEX {index}"))
        session.execute(text("SET LOCAL enable_seqscan = off"))
        session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))  # keeps the parts' order
        parts = _appended(session.execute(Explain(plan.statement)).scalar()[0]["Plan"])
        assert [_indexes(part) for part in parts] == [{f"{prefix}{n}_folded"} for n in range(len(SLICES))]
    finally:
        session.rollback()
        session.close()


_ADD_VIDEO = text(
    "INSERT INTO assets (kind, status, processing, sha256, size_bytes, mime_type, ext, original_filename,"
    " title_en, search_folded, search_exact) SELECT 'video', 'published', 'ready',"
    " md5(CAST(:name AS text)) || md5(CAST(:name AS text)), 1, 'video/mp4', 'mp4', CAST(:name AS text),"
    " CAST(:words AS text),"
    " to_tsvector('simple', CAST(:words AS text)), to_tsvector('simple', CAST(:words AS text))"
    " RETURNING id"
)


@pytest.mark.parametrize("meeting", [3, FEW_RESULTS + 2])
def test_a_small_filter_finds_the_narrowed_set_and_its_fallback_in_one_pass(  # noqa: ANN001
    module_ctx, big, meeting
):
    """Common words checked on a small filter's rows: the records with all of them and, when
    fewer than FEW_RESULTS, those with the rarest one alone come from a single statement, with
    what two statements used to give: the fallback only when the narrowed set is small. It runs
    without parallel workers (they cost more than they share on two cores), and the
    transaction's own settings are back afterwards."""
    query = "tu1 tu2 tu5"
    session = module_ctx.db.sessions()
    try:
        frequencies = term_stats(session).frequencies
        rarest, *_, commonest = sorted(query.split(), key=lambda word: frequencies[word])

        def add(count: int, words: str) -> set[int]:
            rows = [{"name": f"{words}-{i}.mp4", "words": words} for i in range(count)]
            return {session.execute(_ADD_VIDEO, row).scalar_one() for row in rows}

        everything, alone = add(meeting, query), add(6, f"{rarest} zz")
        add(6, f"{commonest} zz")
        conditions = filter_conditions(session, SYSTEM, SearchFilters(kinds=["video"]))
        # A page smaller than the records found: the fallback is still judged on all of them.
        plan = plan_lexical(session, parse_query(query), conditions, FEW_RESULTS + 1)
        assert plan.merged and plan.chosen.on_rows and plan.chosen.narrowed
        session.execute(text("SET LOCAL max_parallel_workers_per_gather = 3"))
        workers = "SELECT current_setting('max_parallel_workers_per_gather')"
        ranked = []  # the workers allowed as each ranking statement ran

        def listen(conn, cursor, sql, *rest) -> None:  # noqa: ANN001
            if "ts_rank" in sql:
                ranked.append(cursor.connection.execute(workers).fetchone()[0])

        event.listen(session.get_bind(), "before_cursor_execute", listen)
        try:
            found, _ = run_lexical(session, plan)
        finally:
            event.remove(session.get_bind(), "before_cursor_execute", listen)
        assert ranked == ["0"]
        assert session.execute(text(workers)).scalar_one() == "3"
        if meeting < FEW_RESULTS:
            assert {asset_id for asset_id, _ in found} == everything | alone
            assert {asset_id for asset_id, _ in found[:meeting]} == everything  # all the words first
        else:
            assert {asset_id for asset_id, _ in found} < everything and len(found) == FEW_RESULTS + 1
    finally:
        session.rollback()
        session.close()


def test_vector_leg_uses_the_hnsw_index(module_ctx, big):  # noqa: ANN001
    with module_ctx.db.begin() as session:
        conditions = filter_conditions(session, PUBLIC, SearchFilters())
        statement = vector_statement(big["dimension"], big["model"], "text", big["query"], conditions, 10)
        configure_scan(session, 10)
        assert hnsw_index_name(big["dimension"]) in _plan(session, statement)
        rows = session.execute(statement).all()
        assert len(rows) == 10 and rows[0].distance < 1e-5  # the query is asset 4's own vector


def test_dimension_is_a_literal_so_generic_plans_keep_the_index(module_ctx, big):  # noqa: ANN001
    """Why db/engine.py sets prepare_threshold=None, and why our SQL survives generic plans anyway:
    after five runs a prepared statement may get a generic plan, and a generic plan cannot prove
    that `dimension = $n` implies the partial index's `dimension = 384` — the index is lost."""
    index = hnsw_index_name(big["dimension"])
    with module_ctx.db.begin() as session:
        conditions = filter_conditions(session, SYSTEM, SearchFilters())
        ours = str(
            vector_statement(big["dimension"], big["model"], "text", big["query"], conditions, 10).compile(
                dialect=dollar_dialect(), compile_kwargs={"render_postcompile": True}
            )
        )
        configure_scan(session, 10)
        assert index in _generic_plan(session, ours)
        naive = ours.replace(f"embeddings.dimension = {big['dimension']}", "embeddings.dimension = $99")
        assert naive != ours
        assert index not in _generic_plan(session, naive.replace("$99", "$99::integer"))


def test_selective_filter_still_returns_k_rows(module_ctx, big):  # noqa: ANN001
    audio = VECTORS // AUDIO_EVERY  # 10 audio assets have vectors
    with module_ctx.db.begin() as session:
        conditions = filter_conditions(session, SYSTEM, SearchFilters(kinds=["audio"]))
        # What a plain HNSW scan gives under a selective filter (sorting forbidden so that the
        # planner walks the index as it does on a large table).
        session.execute(
            text(
                "SET LOCAL hnsw.iterative_scan = off; SET LOCAL hnsw.ef_search = 40; "
                "SET LOCAL enable_sort = off"
            )
        )
        plain = vector_statement(big["dimension"], big["model"], "text", big["query"], conditions, 8)
        assert hnsw_index_name(big["dimension"]) in _plan(session, plain)
        assert len(session.execute(plain).all()) < 8
        session.execute(text("RESET enable_sort"))
        hits = nearest(session, big["dimension"], big["model"], "text", big["query"], conditions, 8)
        assert len(hits) == 8
        everything = nearest(session, big["dimension"], big["model"], "text", big["query"], conditions, 50)
        assert len(everything) == audio  # fewer rows than asked: all of them, by the exact fallback
        distances = [1 - h.similarity for h in everything]
        assert distances == sorted(distances)


def test_facet_filters_on_folded_text_use_their_indexes(module_ctx, big):  # noqa: ANN001
    """The source unit and credit filters compare tfdb_fold(column): their expression indexes
    must match that SQL (after inlining), or a selective filter scans every asset."""
    from sqlalchemy import select

    from tfdb_dam.db.models import Asset

    with module_ctx.db.begin() as session:
        for filters, index in (
            (SearchFilters(source_units=["Sở Ngoại vụ"]), "sx_assets_unit_category"),
            (SearchFilters(credits=["Lê Văn Quang"]), "sx_assets_credit_folded"),
        ):
            conditions = filter_conditions(session, SYSTEM, filters)
            assert index in _plan(session, select(Asset.id).where(*conditions))
        # An agency's material in one subject: one index on both, not two bitmaps ANDed.
        both = filter_conditions(session, SYSTEM, SearchFilters(source_units=["Sở Ngoại vụ"], categories=["du-lich"]))
        assert _plan(session, select(Asset.id).where(*both)) == {"sx_assets_unit_category"}


def _scans(plan: dict) -> list[dict]:
    found = [plan] if "Scan" in plan["Node Type"] else []
    for child in plan.get("Plans", []):
        found += _scans(child)
    return found


def test_an_agencys_subject_is_found_from_the_index_alone(module_ctx, big):  # noqa: ANN001
    """The (agency, subject) index carries the id the vectors and words are joined on (migration
    0012): on a vacuumed table the matches are not read from the table at all."""
    from sqlalchemy import select

    from tfdb_dam.db.models import Asset

    with module_ctx.db.begin() as session:
        session.execute(text(
            "UPDATE assets SET source_unit = 'Sở Ngoại vụ', category_id = "
            "(SELECT id FROM categories WHERE slug = 'du-lich') WHERE id % 100 = 7"
        ))
    with module_ctx.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        # As autovacuum leaves a live server's tables. It takes two passes here: the first marks
        # only ~300 of this fresh table's ~2 150 pages all-visible, the second the rest.
        for _ in range(2):
            conn.execute(text("VACUUM assets"))
    with module_ctx.db.begin() as session:
        both = filter_conditions(session, SYSTEM, SearchFilters(source_units=["Sở Ngoại vụ"], categories=["du-lich"]))
        compiled = select(Asset.id).where(*both).compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        plan = session.execute(text(f"EXPLAIN (ANALYZE, FORMAT JSON) {compiled}")).scalar()[0]["Plan"]
    scans = _scans(plan)
    # An index-only scan is what the covering index makes possible (0011's index gives a bitmap
    # scan). Its heap fetches are not asserted: under a loaded CI another transaction can hold
    # back VACUUM from marking the freshly updated pages all-visible.
    assert [(s["Node Type"], s.get("Index Name")) for s in scans] == [
        ("Index Only Scan", "sx_assets_unit_category")
    ]
    assert plan["Actual Rows"] == ROWS // 100


def test_a_selective_filter_sorts_its_few_vectors_exactly_a_broad_one_walks_the_graph(module_ctx, big):  # noqa: ANN001
    """pgvector's costing of a filtered walk ignores the neighbours the filter rejects, so nearest()
    asks the planner how many assets the filters keep and, for few, sorts their vectors exactly."""
    from sqlalchemy import event

    from tfdb_dam.services.search_estimates import kept_rows
    from tfdb_dam.services.search_vector import exact_below

    sent: list[str] = []

    def remember(conn, cursor, statement, *args):  # noqa: ANN001, ANN202
        sent.append(statement)

    event.listen(module_ctx.db.engine, "before_cursor_execute", remember)
    try:
        with module_ctx.db.begin() as session:
            for kinds, expected in ((["audio"], "exact"), (["photo"], "walk")):
                conditions = filter_conditions(session, SYSTEM, SearchFilters(kinds=kinds))
                few = kept_rows(session, conditions) < exact_below(8)
                assert few is (expected == "exact")
                sent.clear()
                hits = nearest(session, big["dimension"], big["model"], "text", big["query"], conditions, 8)
                assert len(hits) == 8
                vector_sql = [s for s in sent if "ORDER BY" in s and "<=>" in s]
                assert len(vector_sql) == 1 and ("HALFVEC" not in vector_sql[0]) is few
        with module_ctx.db.begin() as session:
            assert kept_rows(session, filter_conditions(session, SYSTEM, SearchFilters())) == float("inf")
    finally:
        event.remove(module_ctx.db.engine, "before_cursor_execute", remember)


def test_the_exact_sort_runs_without_workers_and_restores_the_settings(module_ctx, big):  # noqa: ANN001
    """A selective filter's exact sort is cheapest in one backend (the leader alone builds the
    filters' bitmap while workers wait); the settings it changes are the transaction's own again
    after it, for the facet queries that follow in the same search."""
    from sqlalchemy import event

    seen: list[tuple[str, str]] = []

    def settings_at(conn, cursor, statement, *args):  # noqa: ANN001, ANN202
        if "ORDER BY" in statement and "<=>" in statement:
            seen.append(cursor.connection.execute(
                "SELECT current_setting('max_parallel_workers_per_gather'), current_setting('jit')"
            ).fetchone())

    with module_ctx.db.begin() as session:
        session.execute(text("SET LOCAL max_parallel_workers_per_gather = 3; SET LOCAL jit = on"))
        conditions = filter_conditions(session, SYSTEM, SearchFilters(kinds=["audio"]))
        event.listen(module_ctx.db.engine, "before_cursor_execute", settings_at)
        try:
            hits = nearest(session, big["dimension"], big["model"], "text", big["query"], conditions, 8)
        finally:
            event.remove(module_ctx.db.engine, "before_cursor_execute", settings_at)
        assert len(hits) == 8
        assert seen == [("0", "off")]
        after = session.execute(
            text("SELECT current_setting('max_parallel_workers_per_gather'), current_setting('jit')")
        ).one()
        assert tuple(after) == ("3", "on")


def test_every_connection_starts_with_the_walk_settings_and_jit_off(module_ctx, big):  # noqa: ANN001
    """Set once per connection (db/engine.py), so no search pays a round trip for them; a
    rollback does not undo them, and a wider beam asked for one search lasts that search only."""
    read = text(
        "SELECT current_setting('hnsw.ef_search'), current_setting('hnsw.iterative_scan'), "
        "current_setting('hnsw.max_scan_tuples'), current_setting('jit')"
    )
    defaults = (str(EF_SEARCH), "relaxed_order", str(MAX_SCAN_TUPLES), "off")
    module_ctx.db.dispose()  # new connections, opened before pgvector's library is loaded
    with pytest.raises(RuntimeError), module_ctx.db.begin() as session:
        assert tuple(session.execute(read).one()) == defaults
        raise RuntimeError("roll back")
    with module_ctx.db.begin() as session:
        assert tuple(session.execute(read).one()) == defaults
        configure_scan(session, EF_SEARCH + 72)
        assert session.execute(read).one()[0] == str(EF_SEARCH + 72)
        assert len(nearest(session, big["dimension"], big["model"], "text", big["query"], [], EF_SEARCH + 72)) == EF_SEARCH + 72
    with module_ctx.db.begin() as session:
        assert tuple(session.execute(read).one()) == defaults


def test_a_filtered_walk_gets_the_wider_beam_for_its_search_only(module_ctx, big):  # noqa: ANN001
    """Filters reject some of the neighbours a walk visits; the beam widens to keep the recall."""
    read = text("SELECT current_setting('hnsw.ef_search')")
    assert FILTERED_EF_SEARCH > EF_SEARCH
    with module_ctx.db.begin() as session:
        assert len(nearest(session, big["dimension"], big["model"], "text", big["query"], [], 10)) == 10
        assert session.execute(read).scalar() == str(EF_SEARCH)  # unfiltered: the default beam
        public = filter_conditions(session, PUBLIC, SearchFilters())
        assert len(nearest(session, big["dimension"], big["model"], "text", big["query"], public, 10)) == 10
        assert session.execute(read).scalar() == str(FILTERED_EF_SEARCH)
    with module_ctx.db.begin() as session:
        assert session.execute(read).scalar() == str(EF_SEARCH)


def test_a_plain_walk_apart_runs_outside_a_transaction_and_keeps_the_index(module_ctx, big):  # noqa: ANN001
    """The search's own connection for its vector leg (nearest_apart): an unfiltered walk is sent
    by the driver outside any transaction, its SQL still planned on the HNSW index, and it finds
    what nearest() finds in a transaction."""
    db, dimension, model, query = module_ctx.db, big["dimension"], big["model"], big["query"]
    sql, params = walk_sql(db.engine.dialect, dimension, model, "text", 10)
    with db.autocommit() as connection:
        plan = connection.execute("EXPLAIN (FORMAT JSON) " + sql, {**params, "query_vector": BinaryHalfvec.of(query)})
        assert hnsw_index_name(dimension) in _indexes(plan.fetchone()[0][0]["Plan"])
        assert connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE  # no BEGIN
    apart = nearest_apart(db, dimension, model, "text", query, [], 10)
    with db.begin() as session:
        within = nearest(session, dimension, model, "text", query, [], 10)
        public = filter_conditions(session, PUBLIC, SearchFilters(kinds=["audio"]))
        filtered = nearest(session, dimension, model, "text", query, public, 10)
    assert apart == within and len(apart) == 10 and apart[0].similarity > 0.99999
    # A filtered walk needs its wider beam set for its transaction: it runs as nearest() does.
    assert nearest_apart(db, dimension, model, "text", query, public, 10) == filtered


def test_a_plain_walk_apart_that_ends_short_is_sorted_exactly(module_ctx, big, monkeypatch):  # noqa: ANN001
    """When the walk returns fewer rows than asked (the graph cut short), the exact sort answers."""
    from tfdb_dam.services import search_vector

    db, dimension, model, query = module_ctx.db, big["dimension"], big["model"], big["query"]
    real = search_vector.walk_sql

    def cut_short(*args):  # noqa: ANN002, ANN202
        sql, params = real(*args)
        assert params["param_1"] == 10
        return sql, {**params, "param_1": 3}  # the walk's LIMIT: 3 rows where 10 are wanted

    monkeypatch.setattr(search_vector, "walk_sql", cut_short)
    hits = nearest_apart(db, dimension, model, "text", query, [], 10)
    assert len(hits) == 10 and hits[0].similarity > 0.99999
