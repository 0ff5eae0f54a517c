"""Small helpers to drive the Streamlit app in Chromium: wait for a run to finish, sign in and
out, follow sidebar links, take screenshots for the README."""

from __future__ import annotations

import time
from pathlib import Path

from playwright.sync_api import Page

COOKIE = "tfdb_dam_auth"

SETTLED = """() => {
  const running = document.querySelector('[data-testid="stStatusWidget"]');
  const busy = running && /Running|Đang chạy/i.test(running.innerText || '');
  const skeletons = document.querySelectorAll('[data-testid="stSkeleton"]').length;
  const images = [...document.querySelectorAll('img')];
  const charts = [...document.querySelectorAll('[data-testid="stVegaLiteChart"], [data-testid="stDeckGlJsonChart"]')];
  return !busy && skeletons === 0 && document.querySelector('h1') !== null
    && images.every(i => i.complete && i.naturalWidth > 0)
    && charts.every(c => c.querySelector('canvas, svg') !== null);
}"""


def settle(page: Page, timeout: float = 60) -> None:
    """Until the script run is over and every image has loaded (then a beat for late deltas)."""
    time.sleep(0.4)
    page.wait_for_function(SETTLED, timeout=timeout * 1000)
    time.sleep(0.3)


def by_key(page: Page, key: str):  # noqa: ANN201 - a Locator
    """The element Streamlit rendered for the widget or container with this key."""
    return page.locator(f".st-key-{key}")


def sign_in(page: Page, url: str, username: str, password: str) -> None:
    page.goto(url + "/")
    settle(page)
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.keyboard.press("Enter")  # the form submits on Enter
    page.get_by_role("heading", name=f"Xin chào, {username}").wait_for(timeout=30_000)
    settle(page)


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Đăng xuất").first.click()
    page.get_by_role("heading", name="Kho tư liệu thông tin đối ngoại").wait_for(timeout=30_000)
    page.wait_for_function(f"!document.cookie.includes('{COOKIE}=')", timeout=15_000)
    settle(page)


def open_nav(page: Page, label: str, heading: str | None = None) -> None:
    """Follow a sidebar link (client-side: the session and its sign-in stay)."""
    page.locator('[data-testid="stSidebar"]').get_by_role("link", name=label, exact=True).click()
    page.get_by_role("heading", name=heading or label).first.wait_for(timeout=30_000)
    settle(page)


def screenshot(page: Page, folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path))
    return path
