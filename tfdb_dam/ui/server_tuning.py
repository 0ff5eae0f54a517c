"""Process-wide fixes to the Streamlit server: no Nagle delay on its HTTP connections, and images
from its media endpoint that browsers may keep.

Streamlit (1.5x-1.6x, Starlette server) creates its listening socket as ``socket.socket(family)``,
with protocol 0, so asyncio's ``_set_nodelay`` (which checks ``proto == IPPROTO_TCP``) leaves
Nagle's algorithm on for every accepted connection. A response is written as headers, then body;
on a kept-alive connection the body waits for the browser's delayed ACK: 40 ms per thumbnail,
0.4 s for a grid of 60 fetched over the browser's six connections. On Linux an accepted socket
inherits TCP_NODELAY from its listening socket, so setting it there once (and on the connections
already open, e.g. those that loaded the page before the first script run) fixes every connection.

Streamlit serves ``st.image`` files and our grid's thumbs at ``/media/<hash of the bytes>.jpg``
with no Cache-Control and no validator, so a browser fetches all 60 thumbs again on every load of
the library (0.4-0.5 s of a reload). The URL names its bytes, so an image there never changes:
``cache_media_images`` lets the browser keep it (``private``: never a shared cache). Who may see
a thumb is still decided where it was: a page puts a media URL in its output only after the
service layer returned that asset to this actor, and the endpoint serves only files registered
by a live session; a cached copy shows only what the user was already shown.
"""

from __future__ import annotations

import gc
import os
import socket
from pathlib import Path
from typing import Any

_FDS = Path("/proc/self/fd")
MEDIA_ROUTE_SUFFIX = "/media/{file_id:path}"   # Streamlit's media route (1.5x-1.6x, Starlette)
IMAGE_MAX_AGE = 24 * 3600


def disable_nagle() -> int:
    """Set TCP_NODELAY on this process's TCP sockets, listening and connected; returns how many."""
    if not _FDS.is_dir():  # not Linux: nothing to find this way (and no inheritance to rely on)
        return 0
    tuned = 0
    for entry in _FDS.iterdir():
        try:
            # A duplicate of the descriptor: closing it leaves the server's own socket open.
            copy = os.dup(int(entry.name))
        except (OSError, ValueError):
            continue  # already closed
        try:
            sock = socket.socket(fileno=copy)
        except OSError:
            os.close(copy)  # not a socket
            continue
        with sock:
            tuned += _tune(sock)
    return tuned


def _tune(sock: socket.socket) -> int:
    try:
        if sock.type != socket.SOCK_STREAM or sock.family not in (socket.AF_INET, socket.AF_INET6):
            return 0
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except OSError:
        return 0
    return 1


def cache_media_images(max_age: int = IMAGE_MAX_AGE) -> int:
    """Make Streamlit's media route answer images with ``Cache-Control: private, max-age, immutable``;
    returns how many media routes now do (0 when this Streamlit has none to find)."""
    from starlette.routing import Route

    wrapped = 0
    # The server keeps its Starlette app to itself: its routes are found among live objects
    # (once per process; a fraction of a second before the embedding model is loaded).
    for route in gc.get_objects():
        if type(route) is Route and route.path.endswith(MEDIA_ROUTE_SUFFIX):
            if not isinstance(route.app, CachedImages):
                route.app = CachedImages(route.app, max_age)
            wrapped += 1
    return wrapped


class CachedImages:
    """ASGI wrapper: a whole (200) image response without Cache-Control gets one."""

    def __init__(self, app: Any, max_age: int) -> None:
        self.app = app
        self.header = f"private, max-age={int(max_age)}, immutable".encode()

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        async def send_cached(message: dict) -> None:
            if message["type"] == "http.response.start" and message.get("status") == 200:
                message = self._with_cache_control(message)
            await send(message)

        await self.app(scope, receive, send_cached)

    def _with_cache_control(self, message: dict) -> dict:
        headers = list(message.get("headers") or ())
        names = {name.lower() for name, _value in headers}
        is_image = any(name.lower() == b"content-type" and value.startswith(b"image/")
                       for name, value in headers)
        # Downloads (Content-Disposition) and anything already saying how to cache are left alone.
        if not is_image or b"cache-control" in names or b"content-disposition" in names:
            return message
        return {**message, "headers": [*headers, (b"cache-control", self.header)]}
