"""Keeping search current: documents with the edit, vectors by the background job, a model change
caught up (new vectors, old ones dropped), `tfdb reindex`, and the CLI's search contract."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select, text

from tests.integration.search.records import add_assets, make_asset
from tfdb_dam.db.models import AssetStatus, Embedding, SearchTerm
from tfdb_dam.jobs.worker import run_worker
from tfdb_dam.services import reindex, users
from tfdb_dam.services.actors import SYSTEM
from tfdb_dam.services.indexing import index_assets
from tfdb_dam.services.search import search
from tfdb_dam.services.search_types import SearchRequest


def _found(ctx, query: str) -> list[int]:  # noqa: ANN001
    with ctx.db.begin() as session:
        return [
            h.asset_id
            for h in search(session, ctx, SYSTEM, SearchRequest(query=query, with_facets=False)).hits
        ]


def _vectors(ctx) -> set[tuple[int, str, str]]:  # noqa: ANN001
    with ctx.db.begin() as session:
        return set(session.execute(select(Embedding.asset_id, Embedding.source, Embedding.model)).all())


def test_edit_is_searchable_at_once_and_vectors_follow_in_a_job(sctx):  # noqa: ANN001
    with sctx.db.begin() as session:
        asset = make_asset(session, "k1", title_vi="Cầu Trường Tiền")
        index_assets(session, sctx, [asset.id])  # what ingest and metadata edits call
        asset_id = asset.id
    assert _found(sctx, "truong tien") == [asset_id]  # full text: same transaction
    assert _vectors(sctx) == set()
    with sctx.db.begin() as session:
        queued = session.execute(
            text(
                "SELECT count(*) FROM procrastinate_jobs WHERE task_name = "
                "'search.embed_assets' AND status = 'todo'"
            )
        ).scalar_one()
    assert queued == 1
    run_worker(sctx, wait=False)  # the real worker runs the queued job, then stops
    assert _vectors(sctx) == {(asset_id, "text", sctx.encoder().model_name)}


def test_reindex_rebuilds_documents_vocabulary_and_vectors(sctx):  # noqa: ANN001
    ids = add_assets(
        sctx,
        {
            "a": dict(title_vi="Hải đăng Chân Mây", tags=["hải đăng"]),
            "b": dict(title_en="Lighthouse at dusk"),
        },
    )
    with sctx.db.begin() as session:
        session.execute(text("UPDATE assets SET search_folded = NULL, search_exact = NULL"))
        session.execute(text("DELETE FROM embeddings"))
        session.add(SearchTerm(term="stalewordnobodysays"))
    report = reindex.reindex_all(sctx, batch=1)
    assert (report.assets, report.vectors, report.searchable) == (2, 2, True)
    assert _found(sctx, "hai dang")[0] == ids["a"]
    with sctx.db.begin() as session:
        assert session.get(SearchTerm, "stalewordnobodysays") is None
        assert session.get(SearchTerm, "lighthouse") is not None


def test_changing_the_model_catches_up_in_the_background(sctx, tmp_path):  # noqa: ANN001
    from tests.integration.search.test_search_clip import _FIXTURE
    import importlib.util

    ids = add_assets(sctx, {"a": dict(title_vi="Chợ Đông Ba"), "b": dict(title_vi="Chùa Thiên Mụ")})
    old_model = sctx.encoder().model_name
    assert not reindex.needs_catch_up(sctx)
    spec = importlib.util.spec_from_file_location("tiny_clip", _FIXTURE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    new_model = str(module.build_tiny_clip(tmp_path / "clip"))
    # Preparing the switch: vectors of the new model beside the old, search still on the old.
    prepared = reindex.reindex_all(sctx, model=new_model)
    assert not prepared.searchable and prepared.dimension == 16
    assert {m for _, _, m in _vectors(sctx)} == {old_model, new_model}
    # The switch: the setting changes, a worker starts, recover() queues the catch-up.
    sctx.config = sctx.config.replace(tfdb_embedding_model=new_model)
    sctx._encoder = None
    assert reindex.needs_catch_up(sctx)
    run_worker(sctx, wait=False)
    assert {m for _, _, m in _vectors(sctx)} == {new_model}
    assert not reindex.needs_catch_up(sctx)
    assert set(_found(sctx, "chợ đông ba")) >= {ids["a"]}


def test_cli_search_contract(sctx, tfdb):  # noqa: ANN001
    ids = add_assets(
        sctx,
        {
            "tomb": dict(title_vi="Lăng Gia Long", title_en="Gia Long's tomb", category="van-hoa-di-san"),
            "draft": dict(title_vi="Lăng Minh Mạng (nháp)", status=AssetStatus.draft),
            "boat": dict(title_vi="Thuyền rồng", title_en="Dragon boat", kind="video"),
        },
    )
    with sctx.db.begin() as session:
        users.create_user(session, SYSTEM, username="viewer1", role="viewer", password="mật-khẩu-đủ-dài")
    run = tfdb("search", "-", "--json", "--limit", "5", input="lăng gia long\nthuyen rong\n")
    assert run.returncode == 0, run.stderr
    first, second = (json.loads(line) for line in run.stdout.splitlines())
    assert first[0]["id"] == ids["tomb"] and second[0]["id"] == ids["boat"]
    assert set(first[0]) >= {"id", "title_vi", "title_en", "kind", "status", "score", "reasons"}
    assert ids["draft"] in {row["id"] for row in first}  # the operator sees everything
    scores = [row["score"] for row in first]
    assert scores == sorted(scores, reverse=True)
    public = tfdb("search", "lăng", "--json", "--public")
    assert public.returncode == 0, public.stderr
    assert ids["draft"] not in {row["id"] for row in json.loads(public.stdout)}
    viewer = tfdb("search", "lăng", "--as", "viewer1", "--kind", "photo", "--json")
    assert [row["id"] for row in json.loads(viewer.stdout)] == [ids["tomb"]]
    wrong = tfdb("search", "lăng", "--kind", "painting")
    assert wrong.returncode == 2 and "painting" in wrong.stderr


@pytest.mark.parametrize("count", [1])
def test_vocabulary_grows_with_new_words(sctx, count):  # noqa: ANN001
    add_assets(sctx, {"x": dict(title_en="Savannakhet delegation")})
    with sctx.db.begin() as session:
        assert (
            session.execute(
                select(func.count()).select_from(SearchTerm).where(SearchTerm.term == "savannakhet")
            ).scalar_one()
            == count
        )
