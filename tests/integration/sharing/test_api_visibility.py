"""Nothing unpublished leaks through the REST API: list, detail, download, renditions, facets, categories."""

from __future__ import annotations

import pytest

from tests.integration.sharing.conftest import assets_in_every_status, client_for, issue

PUBLIC_VISIBLE = {"published", "expires_today"}
VIEWER_VISIBLE = {"published", "expires_today", "approved"}
HIDDEN_FROM_PUBLIC = ["draft", "submitted", "approved", "rejected", "archived", "expired"]


@pytest.fixture(scope="module")
def world(module_ctx):  # noqa: ANN001, ANN201
    ids = assets_in_every_status(module_ctx)
    keys = {
        "published": issue(module_ctx, "read:published").secret,
        "approved": issue(module_ctx, "read:published", "read:approved").secret,
    }
    with client_for(module_ctx) as client:
        yield client, ids, keys


def _listed(api, headers=None) -> set[int]:  # noqa: ANN001
    body = api.get("/api/v1/assets", params={"per_page": 100}, headers=headers or {}).json()
    return {item["id"] for item in body["items"]}


def test_anonymous_list_shows_only_published_assets_with_current_rights(world):
    api, ids, _ = world
    assert _listed(api) == {ids[name] for name in PUBLIC_VISIBLE}
    body = api.get("/api/v1/assets").json()
    assert body["total"] == 2 and all(item["status"] == "published" for item in body["items"])


@pytest.mark.parametrize("name", HIDDEN_FROM_PUBLIC)
def test_hidden_assets_answer_404_on_every_url(world, name):
    api, ids, keys = world
    asset_id = ids[name]
    urls = (
        f"/api/v1/assets/{asset_id}",
        f"/api/v1/assets/{asset_id}/download",
        f"/api/v1/assets/{asset_id}/download?rendition=original&purpose=press",
        f"/api/v1/assets/{asset_id}/download?rendition=thumb",
        f"/api/v1/assets/{asset_id}/renditions/thumb",
    )
    for headers in ({}, {"X-API-Key": keys["published"]}):
        for url in urls:
            response = api.get(url, headers=headers)
            assert response.status_code == 404, url
            assert response.json()["error"]["type"] == "NotFound"


def test_a_missing_asset_and_a_hidden_one_answer_alike(world):
    api, ids, _ = world
    hidden = api.get(f"/api/v1/assets/{ids['draft']}").json()["error"]["message"]
    missing = api.get("/api/v1/assets/999999").json()["error"]["message"]
    assert hidden.replace(str(ids["draft"]), "N") == missing.replace("999999", "N")


def test_facets_and_categories_count_only_what_the_caller_may_see(world):
    api, _, keys = world
    facets = api.get("/api/v1/facets").json()["facets"]
    assert facets["kind"] == [{"value": "photo", "count": 2, "label": {"vi": "Ảnh", "en": "Photo"}}]
    assert facets["status"] == [{"value": "published", "count": 2, "label": {"vi": "Đã xuất bản", "en": "Published"}}]
    assert facets["category"] == [
        {
            "value": "van-hoa-di-san",
            "count": 2,
            "label": {"vi": "Văn hóa - Di sản", "en": "Culture and heritage"},
        }
    ]
    cats = {c["slug"]: c["count"] for c in api.get("/api/v1/categories").json()["items"]}
    assert cats["van-hoa-di-san"] == 2 and len(cats) == 7
    headers = {"X-API-Key": keys["approved"]}
    cats = {c["slug"]: c["count"] for c in api.get("/api/v1/categories", headers=headers).json()["items"]}
    assert cats["van-hoa-di-san"] == 3


def test_partner_key_with_read_approved_sees_approved_but_never_drafts(world):
    api, ids, keys = world
    key = keys["approved"]
    assert _listed(api, {"X-API-Key": key}) == {ids[n] for n in VIEWER_VISIBLE}
    assert (
        api.get(f"/api/v1/assets/{ids['approved']}", headers={"Authorization": f"Bearer {key}"}).status_code
        == 200
    )
    for hidden in ("draft", "submitted", "rejected", "archived", "expired"):
        assert api.get(f"/api/v1/assets/{ids[hidden]}", headers={"X-API-Key": key}).status_code == 404


def test_read_published_key_sees_what_the_public_sees(world):
    api, ids, keys = world
    assert _listed(api, {"X-API-Key": keys["published"]}) == {ids[n] for n in PUBLIC_VISIBLE}
    assert (
        api.get(f"/api/v1/assets/{ids['approved']}", headers={"X-API-Key": keys["published"]}).status_code
        == 404
    )
