"""Browsing (no words) counts exactly up to a cap and says "more than" beyond it; pages past the cap
still hold the right hits, searches with words stay exact, and the review queue and the CLI carry
the lower bound along."""

from __future__ import annotations

import argparse
import datetime as dt

import pytest

from tests.integration.search.records import add_assets, make_asset
from tfdb_dam.cli import searching
from tfdb_dam.db.models import AssetStatus
from tfdb_dam.services import search as search_service
from tfdb_dam.services import ui_review
from tfdb_dam.services.actors import PUBLIC, SYSTEM
from tfdb_dam.services.search import search
from tfdb_dam.services.search_types import SearchFilters, SearchRequest, SearchResult

START = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)


@pytest.fixture
def cap(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(search_service, "BROWSE_COUNT_CAP", 5)
    return 5


def _photos(ctx, count: int, **fields) -> list[int]:  # noqa: ANN001
    """``count`` published photos, one day apart (the last one newest); their ids, oldest first."""
    with ctx.db.begin() as session:
        return [
            make_asset(session, f"photo-{i}", created_at=START + dt.timedelta(days=i), **fields).id
            for i in range(count)
        ]


def _browse(ctx, page: int = 1, per_page: int = 60, **filters) -> SearchResult:  # noqa: ANN001
    request = SearchRequest(filters=SearchFilters(kinds=["photo"], **filters), page=page, per_page=per_page,
                            sort="newest", with_facets=False)
    with ctx.db.begin() as session:
        return search(session, ctx, PUBLIC, request)


def test_beyond_the_cap_the_total_is_a_lower_bound_and_every_page_is_right(ctx, cap):
    ids = _photos(ctx, 8)
    with ctx.db.begin() as session:
        make_asset(session, "video", kind="video")  # filtered out: not counted
        make_asset(session, "draft", status=AssetStatus.draft)  # not visible to the public
    first = _browse(ctx, per_page=3)
    assert first.total == cap and first.total_exact is False
    pages = [first] + [_browse(ctx, page=n, per_page=3) for n in (2, 3, 4)]
    assert [h.asset_id for p in pages for h in p.hits] == ids[::-1]  # page 3 lies past the cap
    assert all(p.total == cap and not p.total_exact for p in pages)


@pytest.mark.parametrize("matching, total, exact", [(3, 3, True), (5, 5, True), (6, 5, False)])
def test_up_to_the_cap_the_total_is_exact(ctx, cap, matching, total, exact):
    _photos(ctx, matching)
    result = _browse(ctx)
    assert (result.total, result.total_exact) == (total, exact)
    assert len(result.hits) == matching


def test_searches_with_words_stay_exact(sctx, monkeypatch):
    monkeypatch.setattr(search_service, "BROWSE_COUNT_CAP", 2)
    add_assets(sctx, {f"hue-{i}": dict(title_vi=f"Kinh thành Huế {i}", title_en="Hue citadel") for i in range(4)})
    with sctx.db.begin() as session:
        result = search(session, sctx, PUBLIC, SearchRequest(query="kinh thành", with_facets=False))
    assert result.total == 4 and result.total_exact is True


def test_review_queue_carries_the_lower_bound(ctx, cap):
    ids = _photos(ctx, 7, status=AssetStatus.submitted)
    with ctx.db.begin() as session:
        first = ui_review.review_queue(session, ctx, SYSTEM, "submitted", per_page=4)
        second = ui_review.review_queue(session, ctx, SYSTEM, "submitted", page=2, per_page=4)
    assert (first.total, first.total_exact) == (cap, False)
    assert first.counts["submitted"] == 7  # the status tabs keep their exact counts
    assert [i.hit.asset_id for i in first.items + second.items] == ids  # oldest first, past the cap


def test_cli_says_more_than(capsys):
    args = argparse.Namespace(json=False)
    searching._print(args, SearchResult([], 10_000, 1, 60, total_exact=False))
    searching._print(args, SearchResult([], 42, 1, 60))
    assert capsys.readouterr().out.splitlines() == ["0 of 10 000+ result(s).", "0 of 42 result(s)."]
