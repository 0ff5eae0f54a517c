"""The dashboard's map in a real browser, with TFDB_MAP_TILE_URL pointing at a map service on
loopback: the browser fetches that service's tiles and paints them under the point (a deck.gl
TileLayer sent through pydeck's JSON would fetch them and paint nothing)."""

from __future__ import annotations

import http.server
import io
import threading
from collections.abc import Iterator

import pytest
from PIL import Image

from tests.e2e.conftest import PASSWORD
from tests.e2e.driver import open_nav, sign_in, wait_for_charts
from tests.integration.ui_queries.factory import insert_asset
from tfdb_dam.services import users

TILE_COLOUR = (12, 200, 140)  # a colour nothing else on the page uses


@pytest.fixture
def tile_service() -> Iterator[tuple[str, list[str]]]:
    """A map service on loopback answering every tile with one flat PNG, allowing cross-origin reads."""
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), TILE_COLOUR).save(buffer, "PNG")
    png, asked = buffer.getvalue(), []

    class Tiles(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server hook
            asked.append(self.path)
            self.send_response(200)
            for name, value in (("Content-Type", "image/png"), ("Content-Length", str(len(png))),
                                ("Access-Control-Allow-Origin", "*")):
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(png)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/tiles/{{z}}/{{x}}/{{y}}.png", asked
    server.shutdown()


@pytest.fixture
def map_env(cli_env, tile_service) -> None:  # noqa: ANN001
    # Requested before live_app, so the app starts with these settings.
    cli_env["TFDB_MAP_TILE_URL"] = tile_service[0]
    cli_env["TFDB_MAP_TILE_ATTRIBUTION"] = "© Bản đồ thử nghiệm"


def test_dashboard_map_paints_the_service_tiles(map_env, live_app, page, ctx, tile_service):  # noqa: ANN001
    with ctx.db.begin() as session:
        owner = users.actor_for(session, "contributor")
    insert_asset(ctx, owner, "Ngọ Môn", "Noon Gate", status="published", gps=(16.4668, 107.5786))
    sign_in(page, live_app, "approver", PASSWORD)
    open_nav(page, "Thống kê")
    wait_for_charts(page, maps=1)
    page.get_by_text("Nền bản đồ: © Bản đồ thử nghiệm.", exact=False).wait_for(timeout=30_000)
    chart = page.locator('[data-testid="stDeckGlJsonChart"]')
    page.wait_for_timeout(3000)  # tiles arrive after the first frame
    shot = Image.open(io.BytesIO(chart.screenshot())).convert("RGB")
    colours = shot.getcolors(shot.width * shot.height) or []
    close = sum(n for n, colour in colours if all(abs(a - b) <= 6 for a, b in zip(colour, TILE_COLOUR)))
    painted = close / (shot.width * shot.height)
    assert any(path.startswith("/tiles/9/") for path in tile_service[1]), tile_service[1][:5]
    assert painted > 0.8, f"only {painted:.0%} of the map shows the service's tiles"
