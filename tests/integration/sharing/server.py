"""A real API server for tests: `uvicorn tfdb_dam.api.app:create_app --factory`, as `tfdb serve` starts it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from tests.conftest import REPO
from tfdb_dam.services.context import Context


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_api(ctx: Context, **settings: str) -> Iterator[str]:
    """Start the API on a free loopback port over ``ctx``'s database and store; yields its base URL."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TFDB_")}
    env.update({"DATABASE_URL": ctx.config.database_url, "TFDB_HOME": str(ctx.config.home), **settings})
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "tfdb_dam.api.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(proc, base)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_until_up(proc: subprocess.Popen, base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"The API server exited: {proc.stdout.read().decode(errors='replace')}")
        try:
            if httpx.get(f"{base}/api/v1/openapi.json", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError("The API server did not answer within a minute.")
