"""Images from Streamlit's media endpoint (the grid's thumbs) may be kept by the browser: its own
media route, found in the process and wrapped, answers images with a private, immutable
Cache-Control; downloads, partial responses and unknown files are left as Streamlit sends them."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from starlette.applications import Starlette
from starlette.testclient import TestClient
from streamlit.runtime.media_file_storage import MediaFileKind
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.web.server.starlette.starlette_routes import create_media_routes

from tfdb_dam.ui.server_tuning import CachedImages, cache_media_images


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (91, 44, 131)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def media():
    """Streamlit's own media storage and routes in a Starlette app, as its server builds them."""
    storage = MemoryMediaFileStorage("/media")
    app = Starlette(routes=create_media_routes(storage, None))
    with TestClient(app) as client:
        yield storage, client, app


def test_images_become_cacheable_and_the_rest_is_left_alone(media):
    storage, client, app = media
    image = storage.get_url(storage.load_and_get_id(_jpeg(), "image/jpeg", MediaFileKind.MEDIA))
    download = storage.get_url(storage.load_and_get_id(b"a,b\n", "text/csv", MediaFileKind.DOWNLOADABLE,
                                                       filename="list.csv"))
    assert "cache-control" not in client.get(image).headers  # what Streamlit sends by itself

    assert cache_media_images(max_age=600) >= 1
    answer = client.get(image)
    assert answer.status_code == 200 and answer.content == _jpeg()
    assert answer.headers["cache-control"] == "private, max-age=600, immutable"
    assert "cache-control" not in client.get(download).headers
    assert "cache-control" not in client.get(image, headers={"Range": "bytes=0-9"}).headers
    assert client.get("/media/0123456789abcdef.jpg").status_code == 404


def test_wrapping_twice_adds_one_header(media):
    _storage, _client, app = media
    cache_media_images()
    cache_media_images()
    route = next(r for r in app.routes if getattr(r, "path", "").endswith("/media/{file_id:path}")
                 and "GET" in (r.methods or ()))
    assert isinstance(route.app, CachedImages) and not isinstance(route.app.app, CachedImages)
