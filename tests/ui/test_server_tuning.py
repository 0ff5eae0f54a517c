"""The Streamlit server's connections get TCP_NODELAY (a thumbnail on a kept-alive connection
otherwise waits 40 ms for the browser's delayed ACK): those open now, and through their
listening socket, those accepted later."""

from __future__ import annotations

import os
import socket
import sys

import pytest

from tfdb_dam.ui.server_tuning import disable_nagle

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="found through /proc/self/fd")


def _no_delay(sock: socket.socket) -> bool:
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0


def test_open_and_later_connections_get_no_delay():
    # Made as Streamlit makes it: protocol 0, which asyncio's own TCP_NODELAY step skips.
    with socket.socket(socket.AF_INET) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        early_client = socket.create_connection(listener.getsockname())
        early, _ = listener.accept()
        assert not _no_delay(listener) and not _no_delay(early)
        assert disable_nagle() >= 3
        assert _no_delay(listener) and _no_delay(early)
        with socket.create_connection(listener.getsockname()) as client:
            later, _ = listener.accept()
            with later:
                assert _no_delay(later)
            assert client.fileno() >= 0
        early.close()
        early_client.close()


def test_files_and_unix_sockets_are_left_alone(tmp_path):
    left, right = socket.socketpair()
    with left, right, open(tmp_path / "f", "w") as handle:
        disable_nagle()
        assert handle.writable() and left.family == socket.AF_UNIX


def test_leaves_no_descriptor_behind():
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(20):
        disable_nagle()
    assert len(os.listdir("/proc/self/fd")) <= before
