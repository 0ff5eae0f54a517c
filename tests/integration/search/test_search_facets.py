"""Facet counts: counted afresh whenever counting is quick; slow counts (a whole large library) are
shown again for a minute, never mixed between scopes, and only the facets, not hits or totals."""

from __future__ import annotations

import pytest

from tests.integration.search.records import add_assets
from tfdb_dam.services import search_facets
from tfdb_dam.services.actors import PUBLIC, SYSTEM
from tfdb_dam.services.search import search
from tfdb_dam.services.search_types import SearchRequest

RECORDS = {
    "boat": dict(title_vi="Thuyền rồng trên sông Hương", category="du-lich", source_unit="Sở Du lịch"),
    "tomb": dict(title_vi="Lăng Tự Đức", category="van-hoa-di-san", kind="video"),
}


@pytest.fixture(autouse=True)
def _forget_facets():  # noqa: ANN202
    search_facets.slow_facets.clear()
    yield
    search_facets.slow_facets.clear()


def _browse(ctx, actor=SYSTEM):  # noqa: ANN001, ANN202
    with ctx.db.begin() as session:
        return search(session, ctx, actor, SearchRequest(sort="newest"))


def _kinds(result) -> dict[str, int]:  # noqa: ANN001
    return {f.value: f.count for f in result.facets["kind"]}


def test_quick_facets_are_always_counted_afresh(sctx):  # noqa: ANN001
    add_assets(sctx, RECORDS)
    assert _kinds(_browse(sctx)) == {"photo": 1, "video": 1}
    add_assets(sctx, {"palace": dict(title_vi="Điện Thái Hòa")})
    assert _kinds(_browse(sctx)) == {"photo": 2, "video": 1}


def test_slow_facets_are_reused_for_the_same_scope_only(sctx, monkeypatch):  # noqa: ANN001
    monkeypatch.setattr(search_facets, "SLOW_FACETS_S", -1.0)  # every count counts as slow here
    add_assets(sctx, RECORDS)
    first = _browse(sctx)
    add_assets(sctx, {"palace": dict(title_vi="Điện Thái Hòa")})
    again = _browse(sctx)
    assert _kinds(again) == _kinds(first) == {"photo": 1, "video": 1}  # kept for a while …
    assert again.total == 3 and len(again.hits) == 3  # … but never the hits and the total
    assert _kinds(_browse(sctx, PUBLIC)) == {"photo": 2, "video": 1}  # another scope: counted
    monkeypatch.setattr(search_facets, "FACETS_TTL_S", -1.0)
    assert _kinds(_browse(sctx)) == {"photo": 2, "video": 1}  # expired: counted again
