"""End-to-end fixtures: the real app (`tfdb serve`: Streamlit plus a background worker) on a free
localhost port against this test's database, and a real headless Chromium driven by Playwright."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tfdb_dam.db.models import Role, User
from tfdb_dam.services import users

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "docs" / "screenshots"
CHROMIUM = os.environ.get("TFDB_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "correct horse battery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"`tfdb serve` exited with {proc.returncode} before the app came up.")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"The app did not answer at {url} within {timeout:.0f} s.")


@pytest.fixture
def people(ctx) -> dict[str, str]:  # noqa: ANN001
    """One account per role, created through the users service (user name = role name)."""
    with ctx.db.begin() as session:
        hashed = users.hash_password(PASSWORD)
        for role in Role:
            session.add(User(username=role.value, role=role, password_hash=hashed, display_name=role.value.title(),
                             source_unit="Sở Ngoại vụ Thừa Thiên Huế"))
    return {role.value: PASSWORD for role in Role}


@pytest.fixture
def live_app(cli_env: dict[str, str], people, tmp_path: Path) -> Iterator[str]:  # noqa: ANN001
    """`tfdb serve --no-api` (the app and one worker) on a free port; yields its base URL."""
    port = free_port()
    env = {**cli_env, "TFDB_WORKERS": "1", "TFDB_PUBLIC_URL": f"http://127.0.0.1:{port}"}
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "tfdb_dam", "serve", "--no-api", "--port", str(port)],
                            env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, proc)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the whole group: serve, streamlit and the worker
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


@pytest.fixture
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium).")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield chromium
        chromium.close()


ARTIFACTS = REPO / "tests" / "artifacts"


@pytest.fixture
def page(browser, request):  # noqa: ANN001, ANN201
    """A fresh page; on failure its last screen goes to tests/artifacts/ (kept out of git)."""
    tab = browser.new_page(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    yield tab
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"))
    tab.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):  # noqa: ANN001, ANN201
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
