"""The HNSW graphs are built with HNSW_OPTIONS (a wider build beam, so searches can walk with a
narrower one, hnsw.ef_search): by the migrations, by ensure_vector_index for a new dimension, and
by migration 0011 for a graph built before it, which searches keep finding."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from tests.integration.search.records import add_assets
from tfdb_dam.services import setup
from tfdb_dam.services.indexing_vectors import HNSW_OPTIONS, ensure_vector_index, hnsw_index_name
from tfdb_dam.services.search_vector import nearest
from tfdb_dam.services.search_vector_sql import vector_statement

_WANTED = {name: str(value) for name, value in HNSW_OPTIONS.items()}


def _options(ctx, name: str) -> dict[str, str] | None:  # noqa: ANN001
    """The index's storage options, or None when there is no such index."""
    with ctx.db.begin() as session:
        row = session.execute(text("SELECT reloptions FROM pg_class WHERE relname = :n"), {"n": name}).first()
    if row is None:
        return None
    return dict(option.split("=", 1) for option in row[0] or [])


def _literal(session, statement) -> str:  # noqa: ANN001
    return str(statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True}))


def _migrate_to(ctx, revision: str, step=command.upgrade) -> None:  # noqa: ANN001
    cfg = setup.alembic_config()
    with ctx.db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        step(cfg, revision)


def test_the_migrated_index_has_the_options(sctx):  # noqa: ANN001
    assert _options(sctx, hnsw_index_name(sctx.encoder().dimension)) == _WANTED


def test_an_index_for_a_new_dimension_has_the_options(sctx):  # noqa: ANN001
    assert ensure_vector_index(sctx.db, 24)
    assert _options(sctx, hnsw_index_name(24)) == _WANTED


def test_migration_0011_rebuilds_an_older_graph_which_searches_still_use(sctx):  # noqa: ANN001
    encoder = sctx.encoder()
    name = hnsw_index_name(encoder.dimension)
    ids = add_assets(
        sctx,
        {
            "tomb": {"title_en": "Tomb of Emperor Tu Duc among pine trees"},
            "market": {"title_en": "Dong Ba market stalls at dawn"},
        },
    )
    assert ensure_vector_index(sctx.db, 24)
    _migrate_to(sctx, "0010", command.downgrade)
    assert _options(sctx, name) == {}  # pgvector's defaults, as before 0011
    assert _options(sctx, hnsw_index_name(24)) == {}

    _migrate_to(sctx, "head")
    assert _options(sctx, name) == _WANTED
    assert _options(sctx, hnsw_index_name(24)) == _WANTED
    assert _options(sctx, f"{name}_rebuilt") is None  # renamed into place, nothing left over
    with sctx.db.begin() as session:
        vector = encoder.encode_texts(["an emperor's tomb"])[0]
        session.execute(text("SET LOCAL enable_seqscan = off"))  # two rows: a scan would be cheaper
        statement = vector_statement(encoder.dimension, encoder.model_name, "text", vector, [], 1)
        plan = session.execute(text("EXPLAIN " + _literal(session, statement))).scalars()
        assert name in "\n".join(plan)
        hits = nearest(session, encoder.dimension, encoder.model_name, "text", vector, [], 1)
    assert [hit.asset_id for hit in hits] == [ids["tomb"]]


def test_migration_0011_leaves_a_graph_with_the_options_alone(sctx):  # noqa: ANN001
    name = hnsw_index_name(sctx.encoder().dimension)
    with sctx.db.begin() as session:
        before = session.execute(text("SELECT oid FROM pg_class WHERE relname = :n"), {"n": name}).scalar()
        session.execute(text("UPDATE alembic_version SET version_num = '0010'"))
    _migrate_to(sctx, "0011")  # 0011 alone: the later migrations' objects exist already
    with sctx.db.begin() as session:
        after = session.execute(text("SELECT oid FROM pg_class WHERE relname = :n"), {"n": name}).scalar()
    assert after == before  # not rebuilt: the same relation
