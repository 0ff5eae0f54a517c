"""The REST API's listing: filters, accent-insensitive words, paging links, bilingual JSON."""

from __future__ import annotations

import datetime as dt

from tests.integration.sharing.factory import NOW, make_asset
from tfdb_dam.services import search


def test_filters_and_paging(api, ctx):
    ids = [
        make_asset(ctx, title_vi=f"Lăng Tự Đức {i}", title_en=f"Tu Duc tomb {i}", category="du-lich")
        for i in range(5)
    ]
    bridge = make_asset(ctx, title_vi="Cầu Trường Tiền", title_en="Truong Tien bridge", category="dau-tu")
    found = api.get("/api/v1/assets", params={"q": "lang tu duc", "per_page": 2}).json()
    # The hybrid search: every word in the title ranks above one word in a category label ("Đầu tư").
    assert found["total"] == 6 and found["pages"] == 3 and len(found["items"]) == 2
    page2 = api.get(found["links"]["next"]).json()
    assert page2["page"] == 2 and len(page2["items"]) == 2
    page3 = api.get(page2["links"]["next"]).json()
    assert len(page3["items"]) == 2 and "next" not in page3["links"] and "prev" in page3["links"]
    ranked = [i["id"] for p in (found, page2, page3) for i in p["items"]]
    assert set(ranked[:5]) == set(ids) and ranked[5] == bridge
    assert "tiêu đề khớp 'duc'" in found["items"][0]["match_reasons"]
    assert api.get("/api/v1/assets", params={"q": "Tự Đức", "category": "du-lich"}).json()["total"] == 5
    assert api.get("/api/v1/assets", params={"category": "dau-tu"}).json()["total"] == 1
    assert api.get("/api/v1/assets", params={"kind": "video"}).json()["total"] == 0
    assert api.get("/api/v1/assets", params={"kind": ["video", "photo"]}).json()["total"] == 6
    assert api.get("/api/v1/assets", params={"tag": "DI SAN"}).json()["total"] == 6
    bad = api.get("/api/v1/assets", params={"kind": "hologram"})
    assert bad.status_code == 422 and "hologram" in bad.json()["error"]["message"]
    assert api.get("/api/v1/assets", params={"per_page": 1000}).status_code == 422
    assert api.get("/api/v1/assets", params={"sort": "sideways"}).status_code == 422
    unknown = api.get("/api/v1/facets", params={"category": "khong-co"})
    assert unknown.status_code == 422 and "khong-co" in unknown.json()["error"]["message"]


def test_listing_is_the_apps_hybrid_search(api, ctx):
    """Cross-lingual words, licence and credit filters, sorting — the same search the app runs."""
    pagoda = make_asset(ctx, title_vi="Chùa Thiên Mụ bên sông Hương", title_en=None, description_en=None,
                        license="CC-BY-SA-4.0", credit="Lê Văn Quang", captured_at=NOW)
    citadel = make_asset(ctx, captured_at=NOW - dt.timedelta(days=400))
    english = api.get("/api/v1/assets", params={"q": "pagoda"}).json()
    assert [i["id"] for i in english["items"]] == [pagoda]  # only its Vietnamese title says chùa
    assert any("pagoda" in reason for reason in english["items"][0]["match_reasons"])
    by_licence = api.get("/api/v1/assets", params={"license": "cc-by-sa-4.0"}).json()
    assert [i["id"] for i in by_licence["items"]] == [pagoda]
    by_credit = api.get("/api/v1/assets", params={"credit": "le van quang"}).json()
    assert [i["id"] for i in by_credit["items"]] == [pagoda]
    oldest = api.get("/api/v1/assets", params={"sort": "captured"}).json()
    assert [i["id"] for i in oldest["items"]] == [pagoda, citadel]
    facets = api.get("/api/v1/facets", params={"q": "chua"}).json()["facets"]
    assert facets["credit"] == [{"value": "Lê Văn Quang", "count": 1}]
    assert facets["category"][0]["label"] == {"vi": "Văn hóa - Di sản", "en": "Culture and heritage"}


def test_asset_json_is_bilingual_utf8_with_credit_licence_and_rendition_urls(api, ctx):
    asset_id = make_asset(ctx)
    response = api.get(f"/api/v1/assets/{asset_id}")
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert "Đại Nội Huế lúc bình minh".encode() in response.content  # raw UTF-8, not \\u escapes
    body = response.json()
    assert body["title"] == {"vi": "Đại Nội Huế lúc bình minh", "en": "Hue Imperial City at dawn"}
    assert body["description"]["en"].startswith("Ngo Mon gate")
    assert body["credit"] == "Nguyễn Thị Hường"
    assert body["credit_line"] == "Ảnh: Nguyễn Thị Hường / Photo: Nguyễn Thị Hường"
    assert body["licence"] == {
        "code": "CC-BY-4.0",
        "label": {
            "vi": "Creative Commons Ghi công 4.0 Quốc tế",
            "en": "Creative Commons Attribution 4.0 International",
        },
        "url": "https://creativecommons.org/licenses/by/4.0/",
    }
    assert body["category"]["label"]["vi"] == "Văn hóa - Di sản"
    assert set(body["renditions"]) == {"thumb", "preview"}  # no original for the public
    assert "gps_lat" not in body
    thumb = api.get(body["renditions"]["thumb"]["url"])
    preview = api.get(body["renditions"]["preview"]["url"])
    assert thumb.status_code == preview.status_code == 200
    assert thumb.headers["content-type"] == preview.headers["content-type"] == "image/jpeg"


def test_openapi_document_is_served(api):
    doc = api.get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    for path in (
        "/api/v1/assets",
        "/api/v1/assets/{asset_id}",
        "/api/v1/assets/{asset_id}/download",
        "/api/v1/categories",
        "/api/v1/facets",
        "/oai",
    ):
        assert path in doc["paths"], path
    schemes = doc["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"apiKey", "http"}


def test_browsing_past_the_count_cap_says_gte_and_the_links_reach_every_asset(api, ctx, monkeypatch):
    monkeypatch.setattr(search, "BROWSE_COUNT_CAP", 3)
    ids = [make_asset(ctx, title_vi=f"Kinh thành {i}", title_en=f"Citadel {i}", with_files=False) for i in range(5)]
    found = api.get("/api/v1/assets", params={"per_page": 2}).json()
    assert (found["total"], found["total_relation"], found["pages"]) == (3, "gte", 2)
    walked, page = list(found["items"]), found
    while "next" in page["links"]:  # past the lower bound the links go on while pages are full
        page = api.get(page["links"]["next"]).json()
        assert page["total_relation"] == "gte"
        walked += page["items"]
    assert page["page"] == 3 and sorted(i["id"] for i in walked) == sorted(ids)
    within = api.get("/api/v1/assets", params={"per_page": 2, "category": "du-lich"}).json()
    assert (within["total"], within["total_relation"]) == (0, "eq")
    words = api.get("/api/v1/assets", params={"q": "kinh thanh"}).json()
    assert (words["total"], words["total_relation"]) == (5, "eq")
    described = api.get("/api/v1/openapi.json").json()["paths"]["/api/v1/assets"]["get"]["description"]
    assert "total_relation" in described and "gte" in described
