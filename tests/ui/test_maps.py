"""Maps: with TFDB_MAP_TILE_URL set, the deck lays the map service's tiles (as bitmap layers at
their own bounds) under the points and credits the service; without it, no base layer at all."""

from __future__ import annotations

import json

import pytest

from tfdb_dam.config import load_config
from tfdb_dam.errors import ConfigError
from tfdb_dam.ui import maps

URL = "https://bando.example.gov.vn/tiles/{z}/{x}/{y}.png"
HUE = {"lat": 16.4668, "lon": 107.5786, "label": "Ngọ Môn"}


def _layers(deck) -> list[dict]:  # noqa: ANN001
    return json.loads(deck.to_json())["layers"]


def test_deck_with_tile_url_has_the_service_tiles_under_the_points():
    layers = _layers(maps.map_deck([HUE], zoom=11, tile_url=URL))
    base, points = layers[:-1], layers[-1]
    assert points["@@type"] == "ScatterplotLayer"
    assert base and {layer["@@type"] for layer in base} == {"BitmapLayer"}
    images = {layer["image"] for layer in base}
    centre = maps.tile_at(HUE["lat"], HUE["lon"], 11)
    assert f"https://bando.example.gov.vn/tiles/11/{centre.x}/{centre.y}.png" in images
    assert any(image.startswith("https://bando.example.gov.vn/tiles/7/") for image in images)  # the wide block
    [own] = [layer for layer in base if layer["image"].endswith(f"/11/{centre.x}/{centre.y}.png")]
    west, south, east, north = own["bounds"]
    assert west <= HUE["lon"] <= east and south <= HUE["lat"] <= north


def test_deck_without_tile_url_has_no_base_layer():
    layers = _layers(maps.map_deck([HUE], zoom=11))
    assert [layer["@@type"] for layer in layers] == ["ScatterplotLayer"]


def test_tile_arithmetic():
    assert maps.tile_at(0.0, 0.0, 1) == maps.Tile(1, 1, 1)
    west, south, east, north = maps.Tile(0, 0, 0).bounds()
    assert (west, east) == (-180.0, 180.0) and north == pytest.approx(85.0511, abs=1e-4) and south == -north
    # Across the antimeridian the block wraps instead of leaving the world.
    assert {t.x for t in maps.tiles_around(0.0, 179.9, 3, radius=1)} == {6, 7, 0}
    assert maps.attribution(URL, "") == "bando.example.gov.vn"
    assert maps.attribution(URL, " © Cục Đo đạc ") == "© Cục Đo đạc"


@pytest.mark.parametrize("raw", ["bando.example.gov.vn/{z}/{x}/{y}.png", "https://bando.example.gov.vn/{z}/{x}.png"])
def test_tile_url_must_be_an_xyz_template(raw):
    with pytest.raises(ConfigError):
        load_config({"TFDB_MAP_TILE_URL": raw})


def test_dashboard_draws_on_the_service_tiles_and_credits_it(open_page, make_asset, monkeypatch):
    make_asset("Ngọ Môn", "Noon Gate", status="published", gps=(16.4668, 107.5786))
    monkeypatch.setenv("TFDB_MAP_TILE_URL", URL)
    monkeypatch.setenv("TFDB_MAP_TILE_ATTRIBUTION", "© Cục Đo đạc, Bản đồ và Thông tin địa lý Việt Nam")
    at = open_page("pages/6_dashboard.py", "approver")
    assert not at.exception, at.exception
    [chart] = at.get("deck_gl_json_chart")
    assert "https://bando.example.gov.vn/tiles/9/" in chart.proto.json
    assert "Nền bản đồ: © Cục Đo đạc, Bản đồ và Thông tin địa lý Việt Nam." in " ".join(c.value for c in at.caption)


def test_dashboard_without_tiles_stays_offline(open_page, make_asset):
    make_asset("Ngọ Môn", "Noon Gate", status="published", gps=(16.4668, 107.5786))
    at = open_page("pages/6_dashboard.py", "approver")
    [chart] = at.get("deck_gl_json_chart")
    assert "BitmapLayer" not in chart.proto.json and "TileLayer" not in chart.proto.json
    assert any("không cần nền bản đồ trực tuyến" in c.value for c in at.caption)
