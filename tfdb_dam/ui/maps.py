"""The app's maps as pydeck decks: the points, and the optional base map beneath them — raster
tiles of the province's or the national map service (an XYZ URL template, TFDB_MAP_TILE_URL).

No world or country outline is bundled, on purpose: maps published by a Vietnamese state body must
show the Hoàng Sa and Trường Sa archipelagos as Vietnamese territory, which common open datasets
(Natural Earth, for one) do not. The base map therefore comes only from the map service the
operator names in TFDB_MAP_TILE_URL; without it the points are drawn on a plain background.

Why bitmap layers and not deck.gl's TileLayer: a TileLayer draws raster tiles only through a
JavaScript ``renderSubLayers`` callback, which pydeck's JSON cannot carry (Streamlit's renderer
registers no such function), so a bare TileLayer fetches the images and draws nothing. The tiles
around the view are therefore listed here, each placed at its own bounds, at two zoom levels: the
view's, and a coarser one beneath for panning and zooming out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
import pydeck as pdk

TILE_RADIUS = 2  # tiles each side of the centre tile: a 5×5 block per level
COARSER_BY = 4  # zoom levels between the detailed block and the wide one beneath it
MAX_ZOOM = 19


@dataclass(frozen=True)
class Tile:
    x: int
    y: int
    z: int

    def url(self, template: str) -> str:
        return template.replace("{z}", str(self.z)).replace("{x}", str(self.x)).replace("{y}", str(self.y))

    def bounds(self) -> list[float]:
        """[west, south, east, north] in degrees (Web Mercator tile scheme, y counted from the north)."""
        west, north = _corner(self.x, self.y, self.z)
        east, south = _corner(self.x + 1, self.y + 1, self.z)
        return [west, south, east, north]


def _corner(x: int, y: int, z: int) -> tuple[float, float]:
    n = 2**z
    lon = x / n * 360.0 - 180.0
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / n))))
    return lon, lat


def tile_at(lat: float, lon: float, zoom: int) -> Tile:
    n = 2**zoom
    lat = max(min(lat, 85.0511), -85.0511)
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return Tile(min(max(x, 0), n - 1), min(max(y, 0), n - 1), zoom)


def tiles_around(lat: float, lon: float, zoom: int, radius: int = TILE_RADIUS) -> list[Tile]:
    centre, n = tile_at(lat, lon, zoom), 2**zoom
    xs = sorted({(centre.x + dx) % n for dx in range(-radius, radius + 1)})  # wraps across 180°
    ys = [y for y in range(centre.y - radius, centre.y + radius + 1) if 0 <= y < n]
    return [Tile(x, y, zoom) for y in ys for x in xs]


def base_layers(template: str, lat: float, lon: float, zoom: float) -> list[pdk.Layer]:
    """Bitmap layers of the tiles around (lat, lon): the wide coarse block first, the view's on top."""
    detailed = min(max(int(round(zoom)), 0), MAX_ZOOM)
    levels = sorted({max(detailed - COARSER_BY, 0), detailed})
    return [pdk.Layer("BitmapLayer", id=f"base-{tile.z}-{tile.x}-{tile.y}", data=None, image=tile.url(template),
                      bounds=tile.bounds(), pickable=False)
            for level in levels for tile in tiles_around(lat, lon, level)]


def map_deck(points: list[dict[str, Any]], *, zoom: float, tile_url: str = "") -> pdk.Deck:
    """Points (dicts with lat, lon, label) centred in view; on the map service's tiles when one is set."""
    frame = pd.DataFrame(points)
    lat, lon = float(frame["lat"].mean()), float(frame["lon"].mean())
    dots = pdk.Layer("ScatterplotLayer", frame, id="points", get_position=["lon", "lat"], get_radius=60,
                     radius_min_pixels=5, radius_max_pixels=14, get_fill_color=[91, 44, 131, 200],
                     get_line_color=[255, 255, 255], stroked=True, line_width_min_pixels=1, pickable=True)
    base = base_layers(tile_url, lat, lon, zoom) if tile_url else []
    return pdk.Deck(layers=[*base, dots], initial_view_state=pdk.ViewState(latitude=lat, longitude=lon, zoom=zoom),
                    map_style=None, tooltip={"text": "{label}"})


def attribution(tile_url: str, text: str) -> str:
    """What to credit under a map on the service's tiles: its own wording, else its host name."""
    return text.strip() or urlsplit(tile_url).hostname or tile_url
