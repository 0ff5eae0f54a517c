"""Small helpers to drive the Streamlit app in Chromium: wait for a run to finish, sign in and
out, follow sidebar links, take screenshots for the README."""

from __future__ import annotations

import time
from pathlib import Path

from playwright.sync_api import Page

COOKIE = "tfdb_dam_auth"

SETTLED = """() => {
  // The app root says whether a script run is under way (the status widget shows it only late).
  const app = document.querySelector('[data-testid="stApp"]');
  const busy = !app || app.getAttribute('data-test-script-state') !== 'notRunning';
  const stale = document.querySelectorAll('[data-stale="true"]').length;
  const skeletons = document.querySelectorAll('[data-testid="stSkeleton"]').length;
  const images = [...document.querySelectorAll('img')];
  const charts = [...document.querySelectorAll('[data-testid="stVegaLiteChart"], [data-testid="stDeckGlJsonChart"]')];
  return !busy && stale === 0 && skeletons === 0 && document.querySelector('h1') !== null
    && images.every(i => i.complete && i.naturalWidth > 0)
    && charts.every(c => c.querySelector('canvas, svg') !== null);
}"""


def settle(page: Page, timeout: float = 60) -> None:
    """Until the script run is over and every image has loaded (then a beat for late deltas)."""
    time.sleep(0.4)
    page.wait_for_function(SETTLED, timeout=timeout * 1000)
    time.sleep(0.3)


def wait_for_grid(page: Page, at_least: int = 1, timeout: float = 60) -> None:
    """Until the thumbnail grid shows at least ``at_least`` cards, every thumb loaded and drawn."""
    page.wait_for_function("""(least) => {
      const cards = [...document.querySelectorAll('.tfdb-card')];
      const imgs = cards.flatMap(c => [...c.querySelectorAll('img')]);
      return cards.length >= least && !cards.some(c => c.closest('[data-stale="true"]'))
        && imgs.every(i => i.complete && i.naturalWidth > 0 && i.getBoundingClientRect().width > 0);
    }""", arg=at_least, timeout=timeout * 1000)
    settle(page)


def wait_for_charts(page: Page, charts: int = 0, maps: int = 0, timeout: float = 60) -> None:
    """Until ``charts`` Vega charts and ``maps`` deck.gl maps have drawn (a canvas or svg each)."""
    page.wait_for_function("""([charts, maps]) => {
      const drawn = (sel) => [...document.querySelectorAll(sel)].filter(c => c.querySelector('canvas, svg')).length;
      return drawn('[data-testid="stVegaLiteChart"]') >= charts && drawn('[data-testid="stDeckGlJsonChart"]') >= maps;
    }""", arg=[charts, maps], timeout=timeout * 1000)
    time.sleep(1.0)  # vega and deck.gl animate their first frame in
    settle(page)


def card_titles(page: Page) -> list[str]:
    """The titles of the grid's cards, in order (each card's tooltip holds its whole title)."""
    return page.locator(".tfdb-card").evaluate_all("els => els.map(e => e.title)")


def by_key(page: Page, key: str):  # noqa: ANN201 - a Locator
    """The element Streamlit rendered for the widget or container with this key."""
    return page.locator(f".st-key-{key}")


def sign_in(page: Page, url: str, username: str, password: str) -> None:
    page.goto(url + "/")
    settle(page)
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.keyboard.press("Enter")  # the form submits on Enter
    # .first: while Streamlit reruns, the page it is replacing can still hold the same heading.
    page.get_by_role("heading", name=f"Xin chào, {username}").first.wait_for(timeout=30_000)
    settle(page)


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Đăng xuất").first.click()
    page.get_by_role("heading", name="Kho tư liệu thông tin đối ngoại").first.wait_for(timeout=30_000)
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
