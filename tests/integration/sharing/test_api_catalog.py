"""The REST API's listing: filters, accent-insensitive words, paging links, bilingual JSON."""

from __future__ import annotations

from tests.integration.sharing.factory import make_asset


def test_filters_and_paging(api, ctx):
    ids = [
        make_asset(ctx, title_vi=f"Lăng Tự Đức {i}", title_en=f"Tu Duc tomb {i}", category="du-lich")
        for i in range(5)
    ]
    make_asset(ctx, title_vi="Cầu Trường Tiền", title_en="Truong Tien bridge", category="dau-tu")
    found = api.get("/api/v1/assets", params={"q": "lang tu duc", "per_page": 2}).json()
    assert found["total"] == 5 and found["pages"] == 3 and len(found["items"]) == 2
    page2 = api.get(found["links"]["next"]).json()
    assert page2["page"] == 2 and len(page2["items"]) == 2
    page3 = api.get(page2["links"]["next"]).json()
    assert len(page3["items"]) == 1 and "next" not in page3["links"] and "prev" in page3["links"]
    assert {i["id"] for p in (found, page2, page3) for i in p["items"]} == set(ids)
    assert api.get("/api/v1/assets", params={"q": "Tự Đức"}).json()["total"] == 5
    assert api.get("/api/v1/assets", params={"category": "dau-tu"}).json()["total"] == 1
    assert api.get("/api/v1/assets", params={"kind": "video"}).json()["total"] == 0
    assert api.get("/api/v1/assets", params={"tag": "DI SAN"}).json()["total"] == 6
    bad = api.get("/api/v1/assets", params={"kind": "hologram"})
    assert bad.status_code == 422 and "hologram" in bad.json()["error"]["message"]
    assert api.get("/api/v1/assets", params={"per_page": 1000}).status_code == 422
    unknown = api.get("/api/v1/facets", params={"category": "khong-co"})
    assert unknown.status_code == 422 and "khong-co" in unknown.json()["error"]["message"]


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
