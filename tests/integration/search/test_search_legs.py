"""The vector legs run on a connection of their own while the full-text leg runs, and the facets
while the page's hits are built, except in a transaction that has written: only it sees what it
wrote, so they then run in it."""

from __future__ import annotations

import threading

from sqlalchemy import event

from tests.integration.search.records import add_assets, make_asset
from tfdb_dam.services.actors import SYSTEM
from tfdb_dam.services.indexing import index_assets
from tfdb_dam.services.search import search
from tfdb_dam.services.search_types import SearchRequest

SEMANTIC = "semantic similarity"


def _vector_threads(ctx, marker: str = "<=>"):  # noqa: ANN001, ANN202 - threads that ran such SQL
    threads: list[str] = []

    def seen(conn, cursor, statement, *_):  # noqa: ANN001, ANN202
        if marker in statement:
            threads.append(threading.current_thread().name)

    event.listen(ctx.db.engine, "before_cursor_execute", seen)
    return threads, lambda: event.remove(ctx.db.engine, "before_cursor_execute", seen)


def test_a_read_only_search_runs_the_vector_legs_apart(sctx):  # noqa: ANN001
    ids = add_assets(sctx, {"boat": {"title_en": "Dragon boat race on the Perfume River"}})
    threads, stop = _vector_threads(sctx)
    try:
        with sctx.db.begin() as session:
            result = search(session, sctx, SYSTEM, SearchRequest(query="rowing crews racing", language="en"))
    finally:
        stop()
    assert [hit.asset_id for hit in result.hits] == [ids["boat"]]
    assert any(SEMANTIC in reason for reason in result.hits[0].reasons)  # found by its vector alone
    assert threads and all(name.startswith("tfdb-query-embedding") for name in threads)


def test_a_search_in_a_transaction_that_wrote_sees_its_own_asset_by_vector(sctx):  # noqa: ANN001
    threads, stop = _vector_threads(sctx)
    try:
        with sctx.db.begin() as session:
            asset = make_asset(session, "boat", title_en="Dragon boat race on the Perfume River")
            index_assets(session, sctx, [asset.id], embed_now=True)
            result = search(session, sctx, SYSTEM, SearchRequest(query="rowing crews racing", language="en"))
            session.rollback()
    finally:
        stop()
    assert [hit.asset_id for hit in result.hits] == [asset.id]
    assert any(SEMANTIC in reason for reason in result.hits[0].reasons)
    assert threads and threading.current_thread().name in threads


def test_facets_are_counted_apart_unless_the_transaction_wrote(sctx):  # noqa: ANN001
    add_assets(sctx, {"boat": {"title_en": "Dragon boat race", "tags": ["boat"]}})
    request = SearchRequest(query="dragon boat", language="en", with_facets=True)
    threads, stop = _vector_threads(sctx, marker="GROUPING SETS")
    try:
        with sctx.db.begin() as session:
            apart = search(session, sctx, SYSTEM, request)
        with sctx.db.begin() as session:
            asset = make_asset(session, "boat 2", title_en="Dragon boat race, second heat", tags=["boat"])
            index_assets(session, sctx, [asset.id], embed_now=True)
            own = search(session, sctx, SYSTEM, request)
            session.rollback()
    finally:
        stop()
    assert [v.count for v in apart.facets["tags"]] == [1] and [v.count for v in own.facets["tags"]] == [2]
    assert threads[0].startswith("tfdb-search-facets") and threads[1] == threading.current_thread().name
