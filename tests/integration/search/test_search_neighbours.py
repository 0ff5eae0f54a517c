"""Which text-vector neighbours join a result: on a small library every asset sits above the
absolute similarity floor, so only those close to the best neighbour are kept; a paraphrase that
no word of the full text matches still finds its asset by its vector."""

from __future__ import annotations

import pytest

from tests.integration.search.records import load_records
from tfdb_dam.services import search as search_module
from tfdb_dam.services.actors import SYSTEM
from tfdb_dam.services.demo import records as demo_records
from tfdb_dam.services.search_types import SearchRequest

SEMANTIC = "semantic similarity"
PAGODA = "chua-thien-mu.jpg"
# Demo photos whose text the default model puts 0.38-0.41 from "chua thien mu" (the pagoda: 0.58):
# above the absolute floor, well outside the margin, and matching none of its words.
UNRELATED = ("bach-ma.jpg", "lang-co.jpg", "tam-giang.jpg", "cau-truong-tien.jpg")
EMBASSY = "dai-su-han-quoc.jpg"


@pytest.fixture(scope="module")
def library(module_ctx) -> dict[str, int]:  # noqa: ANN001
    """The demo records of those photos, indexed once for the module (file name -> asset id)."""
    wanted = {PAGODA, EMBASSY, *UNRELATED}
    rows = [{**r, "captured_at": r["captured_at"][:10]} for r in demo_records() if r["filename"] in wanted]
    return load_records(module_ctx, rows, key_field="filename")


def _found(ctx, library: dict[str, int], query: str) -> dict[str, list[str]]:  # noqa: ANN001
    name_of = {asset_id: name for name, asset_id in library.items()}
    request = SearchRequest(query=query, language="en", with_facets=False)
    with ctx.db.begin() as session:
        result = search_module.search(session, ctx, SYSTEM, request)
    return {name_of[hit.asset_id]: hit.reasons for hit in result.hits}


def test_neighbours_far_from_the_best_one_are_not_results(module_ctx, library, monkeypatch):  # noqa: ANN001
    found = _found(module_ctx, library, "chua thien mu")
    assert list(found) == [PAGODA]

    # With the absolute floor alone, as before, the same query returned them all as "similar".
    monkeypatch.setattr(search_module, "TEXT_MARGIN", 1.0)
    before = _found(module_ctx, library, "chua thien mu")
    assert next(iter(before)) == PAGODA and set(UNRELATED) <= set(before)
    assert all(any(SEMANTIC in reason for reason in before[name]) for name in UNRELATED)


def test_a_paraphrase_no_word_matches_still_finds_its_asset(module_ctx, library):  # noqa: ANN001
    found = _found(module_ctx, library, "diplomats from Seoul")
    assert list(found) == [EMBASSY]
    assert any(SEMANTIC in reason for reason in found[EMBASSY])  # by its vector alone
