"""Library page benchmark: how long until a real browser has painted 60 thumbnails, on a library of
10 000 assets (500 with --quick; 120 and one round with --smoke, which CI runs).

A new embedded library is made in a temporary folder (`tfdb init`), filled by COPY with synthetic
bilingual assets (bench/search_synthetic.py, with their full-text documents) and one small JPEG
thumbnail each, written through the FileStore; then `tfdb serve --no-api --no-worker` is started
and a headless Chromium (Playwright) signs in and measures, over several runs:

  open    following the sidebar link to the library from the dashboard (the app already loaded, as
          staff work all day)
  search  submitting a new query in the search box
  reload  a fresh load of /library in the same browser (its HTTP cache warm: Streamlit's bundle and
          the thumbs seen before, which the app lets browsers keep; a new app session, signed in
          again from the cookie)
  cold    /library in a new browser context with an empty cache, given the sign-in cookie

Each is timed inside the page, on the browser's clock: from the click (open, search) or from
navigation start (reload, cold) until all 60 thumbnails are painted — every <img> of the grid
from this run (none left over from the previous one), decoded and laid out, then two animation
frames (the frame that shows them). The first round after the server starts is not counted (it
loads the embedding model and warms caches); it is printed as "first".

    python bench/bench_library_page.py [--assets N] [--runs N] [--quick | --smoke] [--keep DIR]

Prints p50 / p95 (and min / max) per measure. Chromium: /usr/bin/chromium (apt-get install chromium).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from search_synthetic import CATEGORY_LABELS, Generator  # noqa: E402

PASSWORD = "benchmark password"
CHROMIUM = os.environ.get("TFDB_CHROMIUM", "/usr/bin/chromium")
GRID = 60
COLUMNS = ("id", "kind", "status", "processing", "sha256", "size_bytes", "mime_type", "ext", "original_filename",
           "title_vi", "title_en", "description_vi", "description_en", "category_id", "source_unit", "credit",
           "captured_at", "gps_lat", "gps_lon", "search_folded", "search_exact")
# "Painted": the grid holds min(60, results) thumbnails, none of them left over from the previous
# script run (Streamlit marks those data-stale until replaced), each decoded (complete, natural
# width) and laid out (a box on the page), and they are not the set shown before the action (the
# result count is read from the page: "1.234 kết quả"). Checked after each burst of DOM changes
# and image loads (no polling loop competing with the page for the CPU); the paint is the second
# animation frame after that.
WATCHER = """
window.__tfdbPainted = (count, before) => new Promise(resolve => {
  const ready = () => {
    const line = [...document.querySelectorAll('[data-testid=stMarkdownContainer] p')]
      .map(p => p.innerText).find(t => /^[\\d.]+ kết quả$/.test(t));
    if (!line) return false;
    const wanted = Math.min(count, parseInt(line.replace(/\\D/g, ''), 10));
    const imgs = [...document.querySelectorAll('.st-key-thumbgrid img')];
    if (wanted === 0 || imgs.length !== wanted) return false;
    if (imgs.some(i => i.closest('[data-stale=true]'))) return false;
    return imgs.map(i => i.src).join('|') !== before
      && imgs.every(i => i.complete && i.naturalWidth > 0 && i.getBoundingClientRect().width > 0);
  };
  let queued = false, over = false;
  const check = () => {
    if (queued || over) return;
    queued = true;
    setTimeout(() => {
      queued = false;
      if (over || !ready()) return;
      over = true; seen.disconnect(); document.removeEventListener('load', check, true);
      requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now())));
    }, 0);
  };
  const seen = new MutationObserver(check);
  seen.observe(document.documentElement, {subtree: true, childList: true, attributes: true,
                                          attributeFilter: ['data-stale', 'src']});
  document.addEventListener('load', check, true);  // <img> load events reach capturing listeners
  check();
});
window.__tfdbDone = null;
window.__tfdbWatch = (count, before) => {
  window.__tfdbDone = null;
  window.__tfdbPainted(count, before).then(t => { window.__tfdbDone = t; });
};
document.addEventListener('click', () => { window.__tfdbClickAt = performance.now(); }, true);
// A load of /library is watched from the start (the page's DOM exists once it is parsed).
if (location.pathname.endsWith('/library') && window === window.top)
  document.addEventListener('DOMContentLoaded', () => window.__tfdbWatch(%d, ''));
""" % GRID
CURRENT_SRCS = "() => [...document.querySelectorAll('.st-key-thumbgrid img')].map(i => i.src).join('|')"


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def tfdb(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    done = subprocess.run([sys.executable, "-m", "tfdb_dam", *args], env=env, input=stdin, text=True,
                          capture_output=True, cwd=REPO, check=False)
    if done.returncode != 0:
        raise SystemExit(f"tfdb {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def thumbnails(count: int = 48) -> list[bytes]:
    """Thumbnails like the real ones (512 px JPEG, quality 82) from a few painted scenes."""
    from tfdb_dam.demo.scenes import paint

    out = []
    for n in range(count):
        image = paint(f"bench-{n}")
        image.thumbnail((512, 512))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=82)
        out.append(buffer.getvalue())
    return out


def fill(env: dict[str, str], size: int) -> None:
    """COPY ``size`` synthetic assets with a thumb rendition each; thumbs written by the FileStore."""
    from tfdb_dam.config import load_config
    from tfdb_dam.services.context import open_context

    ctx = open_context(load_config(env=env))
    pool, generator = thumbnails(), Generator(size)
    started = time.perf_counter()
    with ctx.db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        raw.autocommit = True
        categories = [r[0] for r in raw.execute("SELECT id FROM categories ORDER BY id").fetchall()]
        with raw.cursor() as cur:
            with cur.copy(f"COPY assets ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in generator.rows(1, size + 1, categories[: len(CATEGORY_LABELS)]):
                    copy.write_row([row[c] for c in COLUMNS])
                    # Each file unique (as real thumbnails are): bytes after the JPEG end marker.
                    data = pool[row["id"] % len(pool)] + str(row["id"]).encode()
                    ctx.store.write_rendition(row["sha256"], "thumb", data)
            with cur.copy("COPY renditions (asset_id, name, width, height, size_bytes) FROM STDIN") as copy:
                for asset_id in range(1, size + 1):
                    copy.write_row((asset_id, "thumb", 512, 384, 40_000))
        raw.execute("SELECT setval(pg_get_serial_sequence('assets', 'id'), %s)", (size,))
        raw.execute("INSERT INTO search_terms (term) SELECT DISTINCT word FROM assets a, "
                    "unnest(tsvector_to_array(a.search_folded)) AS word WHERE length(word) BETWEEN 3 AND 100 "
                    "AND word !~ '^[0-9]+$' ON CONFLICT DO NOTHING")
        raw.execute("VACUUM ANALYZE assets")
        raw.execute("VACUUM ANALYZE renditions")
        raw.execute("VACUUM ANALYZE search_terms")
    ctx.close()
    say(f"filled {size:,} assets and thumbnails in {time.perf_counter() - started:.0f} s")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(env: dict[str, str], log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "tfdb_dam", "serve", "--no-api", "--no-worker", "--port",
                             str(port)], env=env, cwd=REPO, stdout=log.open("w"), stderr=subprocess.STDOUT,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return proc, url
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"`tfdb serve` stopped; see {log}")
            time.sleep(0.5)
    raise SystemExit(f"The app did not come up; see {log}")


def settle(page) -> None:  # noqa: ANN001
    """Until the script run is over (the app root says so) and a beat more, between measures."""
    page.wait_for_function("() => document.querySelector('[data-testid=stApp]')"
                           "?.getAttribute('data-test-script-state') === 'notRunning'", polling=100)
    time.sleep(0.5)


def _sign_in(page, url: str) -> None:  # noqa: ANN001
    page.goto(url + "/")
    page.get_by_label("Tên đăng nhập").fill("admin")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_function("document.cookie.includes('tfdb_dam_auth=')", timeout=60_000)
    page.get_by_role("heading", name="Xin chào, admin").wait_for(timeout=60_000)


def _painted(page, started_at: str) -> float:  # noqa: ANN001
    """Seconds from ``started_at`` (a JS expression on the page's clock) until the watcher saw the
    thumbnails painted."""
    try:
        # The first search loads the embedding model into the app (seconds); hence the long limit.
        page.wait_for_function("() => window.__tfdbDone !== null && window.__tfdbDone !== undefined",
                               timeout=120_000, polling=100)
    except Exception:
        shot = Path(tempfile.gettempdir()) / "bench-library-timeout.png"
        page.screenshot(path=str(shot))
        say(f"the thumbnails did not paint; the screen is in {shot}")
        raise
    return page.evaluate(f"() => (window.__tfdbDone - ({started_at})) / 1000")


def _after_click(page, click, before: str) -> float:  # noqa: ANN001
    page.evaluate("([count, before]) => window.__tfdbWatch(count, before)", [GRID, before])
    click()
    return _painted(page, "window.__tfdbClickAt")


def _cold(browser, url: str, cookies: list) -> float:  # noqa: ANN001
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    context.add_cookies(cookies)
    context.add_init_script(WATCHER)
    page = context.new_page()
    page.goto(url + "/library")
    took = _painted(page, "0")  # performance.now() counts from navigation start
    context.close()
    return took


def _round(page, url: str, query: str) -> dict[str, float]:  # noqa: ANN001
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_role("link", name="Thống kê", exact=True).click()
    page.get_by_role("heading", name="Thống kê").wait_for()
    settle(page)
    found = {"open": _after_click(page, sidebar.get_by_role("link", name="Kho tư liệu", exact=True).click, "")}
    settle(page)
    page.get_by_placeholder("Tìm theo nội dung", exact=False).fill(query)
    found["search"] = _after_click(page, page.get_by_role("button", name="Tìm", exact=True).click,
                                   page.evaluate(CURRENT_SRCS))
    settle(page)
    page.goto(url + "/library")  # the init script watches every load of /library
    found["reload"] = _painted(page, "0")
    settle(page)
    return found


def measure(url: str, runs: int, queries: list[str]) -> dict[str, list[float]]:
    """``runs`` rounds of open, search and reload in one signed-in browser, each followed by a
    cold load in a new context; the first round only warms up (printed as "first")."""
    from playwright.sync_api import sync_playwright

    results: dict[str, list[float]] = {"open": [], "search": [], "reload": [], "cold": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        context = browser.new_context(viewport={"width": 1440, "height": 1000})
        context.add_init_script(WATCHER)
        page = context.new_page()
        _sign_in(page, url)
        for run in range(runs + 1):
            found = _round(page, url, queries[run % len(queries)])
            found["cold"] = _cold(browser, url, context.cookies())
            if run == 0:
                say("first round (not counted): " + ", ".join(f"{k} {v:.2f} s" for k, v in found.items()))
                continue
            for name, value in found.items():
                results[name].append(value)
        browser.close()
    return results


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def report(size: int, results: dict[str, list[float]]) -> None:
    load = os.getloadavg()[0]
    print(f"\nLibrary page, {size:,} assets, {GRID} thumbnails, Chromium (headless); "
          f"machine load average {load:.1f} on {os.cpu_count()} cores:")
    for name, values in results.items():
        print(f"  {name:<7} p50 {statistics.median(values):.2f} s   p95 {percentile(values, 0.95):.2f} s   "
              f"min {min(values):.2f} s   max {max(values):.2f} s   ({len(values)} runs)")
    print(json.dumps({k: [round(v, 3) for v in vs] for k, vs in results.items()}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--assets", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--quick", action="store_true", help="500 assets, 4 runs")
    parser.add_argument("--smoke", action="store_true", help="120 assets, 1 run: that it works (CI)")
    parser.add_argument("--keep", type=Path, help="use (and keep) this folder as the data root; a library "
                        "filled there before at the same size is reused")
    args = parser.parse_args()
    size, runs = (120, 1) if args.smoke else (500, 4) if args.quick else (args.assets, args.runs)
    home = args.keep or Path(tempfile.mkdtemp(prefix="tfdb-bench-library-"))
    home.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TFDB_") and k != "DATABASE_URL"}
    env.update(TFDB_HOME=str(home), HF_HUB_OFFLINE="1", PYTHONUNBUFFERED="1",
               XDG_RUNTIME_DIR=env.get("XDG_RUNTIME_DIR") or str(home / "run"))
    Path(env["XDG_RUNTIME_DIR"]).mkdir(parents=True, exist_ok=True, mode=0o700)
    say(f"library in {home}")
    filled = home / f"bench-filled-{size}"
    tfdb(env, "init", "--json")
    if not filled.exists():  # else a library kept (--keep) from an earlier run of the same size
        tfdb(env, "user", "passwd", "admin", "--password-stdin", stdin=PASSWORD + "\n")
        fill(env, size)
        filled.touch()
    proc, url = serve(env, home / "serve.log")
    try:
        # Places of the synthetic library, typed with and without accents.
        queries = ["Thuận An", "lang co", "Kim Long", "dong ba", "Thiên Mụ", "tam giang", "Bạch Mã",
                   "chan may", "Phú Vang", "a luoi"]
        report(size, measure(url, runs, queries))
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
