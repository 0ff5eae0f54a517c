"""Filters, facets with counts, pagination, sorting, visibility per role, and "more like this"."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.integration.search.records import add_assets
from tfdb_dam.db.models import AssetStatus, Collection, CollectionItem, Role
from tfdb_dam.errors import NotFound, UsageError
from tfdb_dam.services import users
from tfdb_dam.services.actors import PUBLIC, SYSTEM
from tfdb_dam.services.search import more_like_this, search
from tfdb_dam.services.search_types import SearchFilters, SearchRequest

HUE = (107.58, 16.46)


def _records(contributor_id: int) -> dict[str, dict]:
    return {
        "boat_photo": dict(
            title_vi="Thuyền rồng trên sông Hương",
            title_en="Dragon boat on the Perfume River",
            tags=["sông Hương", "thuyền rồng"],
            category="du-lich",
            source_unit="Sở Du lịch",
            credit="Vũ Hoàng Yến",
            captured="2019-06-01",
            camera_make="Canon",
            camera_model="EOS 5D",
            gps_lat=HUE[1],
            gps_lon=HUE[0],
        ),
        "boat_video": dict(
            kind="video",
            title_vi="Video: thuyền trên sông Hương",
            tags=["sông Hương"],
            category="du-lich",
            source_unit="Đài Phát thanh",
            credit="Trần Quang Huy",
            captured="2023-08-10",
        ),
        "boat_draft": dict(
            title_vi="Thuyền đánh cá Thuận An (bản nháp)",
            status=AssetStatus.draft,
            category="bien-gioi-bien-dao",
            created_by_id=contributor_id,
            captured="2020-02-02",
            gps_lat=16.56,
            gps_lon=107.64,
        ),
        "boat_expired": dict(
            title_vi="Thuyền buồm hết hạn bản quyền",
            category="du-lich",
            rights_expires_on=dt.date.today() - dt.timedelta(days=1),
        ),
        "boat_approved": dict(
            title_vi="Thuyền rồng đã duyệt",
            status=AssetStatus.approved,
            category="du-lich",
            camera_make="Nikon",
            camera_model="D850",
            captured="2021-03-03",
            gps_lat=10.77,
            gps_lon=106.70,
        ),
        "document": dict(
            kind="document",
            title_vi="Báo cáo về du thuyền",
            category="dau-tu",
            extracted_text="Kế hoạch phát triển du thuyền trên sông Hương đến năm 2030.",
        ),
    }


@pytest.fixture(scope="module")
def sctx(module_ctx):  # noqa: ANN001, ANN201
    return module_ctx


@pytest.fixture(scope="module")
def people(sctx):  # noqa: ANN001, ANN201
    with sctx.db.begin() as session:
        made = {
            role: users.create_user(
                session, SYSTEM, username=f"{role}1", role=role, password="mật-khẩu-đủ-dài"
            )
            for role in ("contributor", "viewer", "approver")
        }
        return {role: user.id for role, user in made.items()}


@pytest.fixture(scope="module")
def library(sctx, people):  # noqa: ANN001, ANN201
    return add_assets(sctx, _records(people["contributor"]))


def _run(sctx, actor, query="thuyền", **kwargs):  # noqa: ANN001, ANN202
    filters = kwargs.pop("filters", SearchFilters())
    with sctx.db.begin() as session:
        return search(session, sctx, actor, SearchRequest(query=query, filters=filters, **kwargs))


def _ids(result) -> set[int]:  # noqa: ANN001
    return {hit.asset_id for hit in result.hits}


def _actor(sctx, name: str):  # noqa: ANN001, ANN202
    with sctx.db.begin() as session:
        return users.actor_for(session, name)


def test_public_sees_only_published_with_current_rights(sctx, library):  # noqa: ANN001
    found = _ids(_run(sctx, PUBLIC))
    assert {library["boat_photo"], library["boat_video"], library["document"]} <= found | {
        library["document"]
    }
    assert not found & {library["boat_draft"], library["boat_expired"], library["boat_approved"]}
    assert _ids(_run(sctx, SYSTEM)) >= set(library.values()) - {library["document"]}


def test_each_role_sees_its_share(sctx, library):  # noqa: ANN001
    viewer, contributor = _actor(sctx, "viewer1"), _actor(sctx, "contributor1")
    assert library["boat_approved"] in _ids(_run(sctx, viewer))
    assert library["boat_draft"] not in _ids(_run(sctx, viewer))
    assert library["boat_draft"] in _ids(_run(sctx, contributor))  # their own draft
    assert library["boat_expired"] in _ids(_run(sctx, _actor(sctx, "approver1")))
    mine = _run(sctx, contributor, filters=SearchFilters(created_by_me=True))
    assert _ids(mine) == {library["boat_draft"]}


def test_statuses_filter_stays_inside_visibility(sctx, library):  # noqa: ANN001
    assert _ids(_run(sctx, PUBLIC, filters=SearchFilters(statuses=["draft"]))) == set()
    assert _ids(_run(sctx, SYSTEM, filters=SearchFilters(statuses=["draft"]))) == {library["boat_draft"]}


@pytest.mark.parametrize(
    "filters, expected",
    [
        (SearchFilters(kinds=["video"]), {"boat_video"}),
        (SearchFilters(categories=["bien-gioi-bien-dao"]), {"boat_draft"}),
        (SearchFilters(tags=["song huong"]), {"boat_photo", "boat_video"}),
        (SearchFilters(tags=["sông Hương", "thuyền rồng"]), {"boat_photo"}),
        (SearchFilters(source_units=["So Du lich"]), {"boat_photo"}),
        (SearchFilters(credits=["Trần Quang Huy"]), {"boat_video"}),
        (SearchFilters(cameras=["Nikon D850"]), {"boat_approved"}),
        (
            SearchFilters(captured_from=dt.date(2020, 1, 1), captured_to=dt.date(2021, 12, 31)),
            {"boat_draft", "boat_approved"},
        ),
        (SearchFilters(has_gps=True), {"boat_photo", "boat_draft", "boat_approved"}),
        (SearchFilters(bbox=(107.0, 16.0, 108.0, 17.0)), {"boat_photo", "boat_draft"}),
    ],
)
def test_filters(sctx, library, filters, expected):  # noqa: ANN001
    assert _ids(_run(sctx, SYSTEM, filters=filters)) == {library[key] for key in expected}


def test_filters_without_words_list_everything_they_keep(sctx, library):  # noqa: ANN001
    result = _run(sctx, SYSTEM, query="", filters=SearchFilters(kinds=["photo"]), sort="captured")
    assert result.total == 4
    assert [hit.asset_id for hit in result.hits][:2] == [library["boat_approved"], library["boat_draft"]]


def test_collection_filter(sctx, library):  # noqa: ANN001
    with sctx.db.begin() as session:
        collection = Collection(name="Sông Hương", shared=False)
        session.add(collection)
        session.flush()
        session.add(CollectionItem(collection_id=collection.id, asset_id=library["boat_video"]))
        collection_id = collection.id
    assert _ids(_run(sctx, SYSTEM, filters=SearchFilters(collection_id=collection_id))) == {
        library["boat_video"]
    }
    with pytest.raises(NotFound):
        _run(sctx, PUBLIC, filters=SearchFilters(collection_id=collection_id))


def test_facets_count_the_whole_result(sctx, library):  # noqa: ANN001
    result = _run(sctx, SYSTEM, query="thuyền", per_page=1)
    assert len(result.hits) == 1 and result.total >= 5
    kinds = {f.value: f.count for f in result.facets["kind"]}
    assert kinds["photo"] >= 4 and kinds["video"] == 1
    category = {f.value: f for f in result.facets["category"]}
    assert category["du-lich"].label_en == "Tourism" and category["du-lich"].count >= 3
    assert {f.value: f.count for f in result.facets["has_gps"]}["true"] == 3
    assert {f.value for f in result.facets["year"]} >= {"2019", "2020", "2021", "2023"}
    assert {f.value: f.count for f in result.facets["camera"]} == {"Canon EOS 5D": 1, "Nikon D850": 1}
    assert {f.value for f in result.facets["source_unit"]} >= {"Sở Du lịch", "Đài Phát thanh"}
    assert {"tags", "credit", "status"} <= set(result.facets)
    public = _run(sctx, PUBLIC, query="thuyền")
    assert {f.value for f in public.facets["status"]} == {"published"}


def test_pagination_walks_the_same_order(sctx, library):  # noqa: ANN001
    whole = [hit.asset_id for hit in _run(sctx, SYSTEM, per_page=50).hits]
    pages = [hit.asset_id for page in (1, 2, 3) for hit in _run(sctx, SYSTEM, per_page=2, page=page).hits]
    assert pages == whole[:6] and len(set(pages)) == len(pages)


def test_sort_newest_and_oldest(sctx, library):  # noqa: ANN001
    newest = [h.asset_id for h in _run(sctx, SYSTEM, sort="newest").hits]
    oldest = [h.asset_id for h in _run(sctx, SYSTEM, sort="oldest").hits]
    assert newest == list(reversed(oldest))


def test_document_text_is_searched(sctx, library):  # noqa: ANN001
    result = _run(sctx, SYSTEM, query="kế hoạch phát triển 2030")
    assert result.hits[0].asset_id == library["document"]
    assert any("document text" in r or "nội dung" in r for r in result.hits[0].reasons)


def test_bad_requests_are_usage_errors(sctx, library):  # noqa: ANN001
    with pytest.raises(UsageError):
        _run(sctx, SYSTEM, filters=SearchFilters(kinds=["painting"]))
    with pytest.raises(UsageError):
        _run(sctx, SYSTEM, page=0)
    with pytest.raises(UsageError):
        _run(sctx, SYSTEM, sort="random")


def test_more_like_this(sctx, library):  # noqa: ANN001
    with sctx.db.begin() as session:
        similar = more_like_this(session, sctx, SYSTEM, library["boat_photo"], limit=3)
    assert similar and library["boat_photo"] not in {h.asset_id for h in similar}
    assert similar[0].asset_id == library["boat_video"]  # shares its tag and its river
    assert any("sông Hương" in r for r in similar[0].reasons)
    with sctx.db.begin() as session:
        public = more_like_this(session, sctx, PUBLIC, library["boat_photo"], limit=10)
        assert library["boat_draft"] not in {h.asset_id for h in public}
        with pytest.raises(NotFound):
            more_like_this(session, sctx, PUBLIC, library["boat_draft"])


def test_role_enum_is_what_users_create(people):  # noqa: ANN001
    assert set(people) == {Role.contributor.value, Role.viewer.value, Role.approver.value}
