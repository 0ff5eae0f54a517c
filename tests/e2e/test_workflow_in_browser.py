"""The whole round trip in a real Chromium against `tfdb serve`: a contributor uploads two photos
with metadata (plus a copy of one and a photo cut off in transfer, to show every per-file outcome) and submits
them; an approver approves and publishes one and rejects the other with a reason; the public
gallery shows the published one only, and its download carries the credit.

The demo library (tfdb_dam.demo, through the real ingest and workflow) is loaded first so that the
screenshots written to docs/screenshots/ for the README show a lived-in library; every screenshot
waits for what it is meant to show (the grid's thumbnails, the charts, the map)."""

from __future__ import annotations

import datetime as dt
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from tests.e2e.conftest import PASSWORD, SCREENSHOTS
from tests.e2e.driver import (by_key, card_titles, open_nav, screenshot, settle, sign_in, sign_out,
                              wait_for_charts, wait_for_grid)
from tfdb_dam.db.models import Asset, AssetStatus, ReviewEvent
from tfdb_dam.demo.scenes import jpeg_with_exif, paint
from tfdb_dam.services import ui_collections, users
from tfdb_dam.services.demo import load_demo

pytestmark = pytest.mark.e2e

KEEP_TITLE = "Hội thảo hợp tác du lịch Huế – Hàn Quốc"
DROP_TITLE = "Bến thuyền rồng sông Hương"
REASON = "Ảnh thiếu nét; xin gửi bản chụp rõ hơn."


def _photo(path, lat: float, lon: float) -> bytes:  # noqa: ANN001
    when = dt.datetime(2026, 3, 14, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    data = jpeg_with_exif(paint(path.name), when, lat, lon)
    path.write_bytes(data)
    return data


def _upload(page, url: str, tmp_path) -> None:  # noqa: ANN001
    first, second = tmp_path / "hoi-thao-du-lich.jpg", tmp_path / "ben-thuyen-rong.jpg"
    copy, broken = tmp_path / "hoi-thao-ban-sao.jpg", tmp_path / "anh-bi-cat.jpg"
    copy.write_bytes(_photo(first, 16.4637, 107.5909))
    broken.write_bytes(_photo(second, 16.4560, 107.5805)[:300])  # ends inside its headers
    sign_in(page, url, "contributor", PASSWORD)
    open_nav(page, "Tải lên")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        [str(first), str(second), str(copy), str(broken)])
    page.get_by_label("Tiêu đề (tiếng Việt)").fill(KEEP_TITLE)
    page.get_by_label("Tiêu đề (tiếng Anh)").fill("Huế–Korea tourism cooperation workshop")
    page.get_by_label("Ghi công (tác giả)").fill("Nguyễn Minh Châu")
    settle(page)
    screenshot(page, SCREENSHOTS, "02-upload-form")
    page.get_by_role("button", name="Tải lên 4 tệp").click()
    # Processing runs in the worker; the page polls and shows each file's outcome live.
    for name in ("hoi-thao-du-lich", "ben-thuyen-rong"):
        page.get_by_text(re.compile(rf"{name}\.jpg.*đã nhập thành tư liệu #\d+")).wait_for(timeout=120_000)
    page.get_by_text(re.compile(r"hoi-thao-ban-sao\.jpg.*trùng với tư liệu #\d+")).wait_for()
    page.get_by_text(re.compile(r"anh-bi-cat\.jpg.*bị từ chối")).wait_for()
    settle(page)
    screenshot(page, SCREENSHOTS, "03-upload-outcomes")


def _retitle_and_submit(page) -> None:  # noqa: ANN001
    # The second photo gets its own title on its asset page (labels show each field's source);
    # links inside the app keep the session, and with it the upload batch.
    by_key(page, "upl_row_1").get_by_role("link").click()
    page.get_by_label("Tiêu đề (tiếng Việt)").fill(DROP_TITLE)
    page.get_by_label("Tiêu đề (tiếng Anh)").fill("Dragon boat landing on the Perfume River")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text(re.compile(r"^Đã lưu: ")).wait_for(timeout=30_000)
    settle(page)
    open_nav(page, "Tải lên")
    page.get_by_role("button", name="Gửi duyệt 2 tư liệu đã nhập").click()
    page.get_by_text("Đã gửi duyệt 2 tư liệu").wait_for(timeout=30_000)
    sign_out(page)


def _review(page, url: str, keep: int, drop: int) -> None:  # noqa: ANN001
    sign_in(page, url, "approver", PASSWORD)
    open_nav(page, "Duyệt tư liệu")
    screenshot(page, SCREENSHOTS, "05-review-queue")
    by_key(page, f"rev_approve_{keep}").get_by_role("button").click()
    page.get_by_text("Đã duyệt 1 tư liệu").wait_for(timeout=30_000)
    settle(page)
    reason = by_key(page, f"rev_reason_{drop}").locator("input")
    reason.fill(REASON)
    reason.press("Enter")  # the reason form submits on Enter
    page.get_by_text("Đã từ chối 1 tư liệu").wait_for(timeout=30_000)
    settle(page)
    page.get_by_text(re.compile(r"^Chờ công bố")).click()
    by_key(page, f"rev_publish_{keep}").get_by_role("button").click()
    page.get_by_text("Đã công bố 1 tư liệu").wait_for(timeout=30_000)
    settle(page)


def _asset_page(page, url: str, keep: int) -> None:  # noqa: ANN001
    page.goto(f"{url}/asset?id={keep}")
    page.get_by_role("heading", name=KEEP_TITLE).first.wait_for(timeout=30_000)
    page.wait_for_function("() => [...document.querySelectorAll('.st-key-preview img')]"
                           ".some(i => i.complete && i.naturalWidth > 0)", timeout=30_000)
    settle(page)
    screenshot(page, SCREENSHOTS, "06-asset")
    for tab, name, wait in (("EXIF", "18-asset-exif", None), ("Bản đồ", "19-asset-map", 1)):
        label = page.get_by_role("tab", name=tab, exact=True)
        label.scroll_into_view_if_needed()
        label.click()
        if wait:
            wait_for_charts(page, maps=wait)
        settle(page)
        page.locator('[data-testid="stTabs"]').first.scroll_into_view_if_needed()
        screenshot(page, SCREENSHOTS, name)
        if tab == "EXIF":  # a table (drawn on a canvas: its cells are checked by the AppTest)
            assert page.locator('[data-testid="stTabs"] [data-testid="stDataFrame"]').first.is_visible()


def _public_checks(page, url: str, keep: int, drop: int) -> None:  # noqa: ANN001
    open_nav(page, "Thư viện công khai", heading="Thư viện ảnh Thừa Thiên Huế")
    wait_for_grid(page, at_least=10)
    titles = card_titles(page)
    assert KEEP_TITLE in titles and DROP_TITLE not in titles, titles
    screenshot(page, SCREENSHOTS, "08-public-gallery")
    page.goto(f"{url}/asset?id={drop}")
    page.get_by_text("Không tìm thấy.").wait_for(timeout=30_000)
    page.goto(f"{url}/asset?id={keep}")
    page.get_by_role("heading", name=KEEP_TITLE).first.wait_for(timeout=30_000)
    settle(page)
    screenshot(page, SCREENSHOTS, "09-public-asset")
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Tải về").click()
    data = open(download.value.path(), "rb").read()
    assert data[:2] == b"\xff\xd8" and "Nguyễn Minh Châu".encode() in data


def _make_collection(ctx) -> None:  # noqa: ANN001
    with ctx.db.begin() as session:
        admin = users.actor_for(session, "admin")
        box = ui_collections.create_collection(session, admin, name="Festival Huế 2024",
                                               description="Ảnh cho bài giới thiệu Festival gửi đối tác")
        published = session.execute(select(Asset.id).where(Asset.status == AssetStatus.published)
                                    .order_by(Asset.id)).scalars().all()
        ui_collections.add_assets(session, admin, box.id, published[:6])


def _library_tour(page) -> None:  # noqa: ANN001
    open_nav(page, "Kho tư liệu")
    wait_for_grid(page, at_least=18)
    screenshot(page, SCREENSHOTS, "04-library")
    page.get_by_text("Chọn nhiều tư liệu", exact=True).click()
    settle(page)
    page.get_by_role("button", name="Chọn cả trang").click()
    page.get_by_text(re.compile(r"^Thao tác với \d+ tư liệu đã chọn")).wait_for(timeout=30_000)
    settle(page)
    screenshot(page, SCREENSHOTS, "17-library-bulk")
    page.get_by_text("Chọn nhiều tư liệu", exact=True).click()
    wait_for_grid(page, at_least=18)


def _admin_tour(page, url: str, ctx) -> None:  # noqa: ANN001
    """Every other page, as an administrator, for the README."""
    _make_collection(ctx)
    sign_in(page, url, "admin", PASSWORD)
    wait_for_grid(page)
    screenshot(page, SCREENSHOTS, "10-home-whats-new")
    _library_tour(page)
    open_nav(page, "Thống kê")
    wait_for_charts(page, charts=3, maps=1)
    screenshot(page, SCREENSHOTS, "07-dashboard")
    open_nav(page, "Bộ sưu tập")
    wait_for_grid(page, at_least=6)
    screenshot(page, SCREENSHOTS, "11-collections")
    for label, name in (("Người dùng", "12-users"), ("Phân loại & từ điển", "13-taxonomy"),
                        ("Hệ thống", "14-system"), ("Nhật ký kiểm toán", "15-audit")):
        open_nav(page, label)
        screenshot(page, SCREENSHOTS, name)
        if name == "14-system":
            _reindex(page)
            screenshot(page, SCREENSHOTS, "20-system-jobs")
    page.get_by_text("English", exact=True).click()
    open_nav(page, "Library")
    wait_for_grid(page, at_least=18)
    screenshot(page, SCREENSHOTS, "16-library-english")


def _reindex(page) -> None:  # noqa: ANN001
    """Start a re-index from the Maintenance tab; the panel follows the worker live until done."""
    page.get_by_role("tab", name="Bảo trì").click()
    by_key(page, "sys_start_reindex").get_by_role("button").click()
    page.get_by_text(re.compile(r"^Đã lập chỉ mục \d+ tư liệu")).wait_for(timeout=120_000)
    settle(page)


def test_upload_review_publish_and_public_gallery(live_app, page, ctx, tmp_path):
    # The demo library goes in through the running app's worker while the browser works.
    with ThreadPoolExecutor(max_workers=1) as pool:
        demo = pool.submit(load_demo, ctx, workers=0)
        page.goto(live_app + "/")
        settle(page)
        screenshot(page, SCREENSHOTS, "01-home-sign-in")
        _upload(page, live_app, tmp_path)
        with ctx.db.begin() as session:
            ids = dict(session.execute(select(Asset.original_filename, Asset.id)).all())
        keep, drop = ids["hoi-thao-du-lich.jpg"], ids["ben-thuyen-rong.jpg"]
        assert "hoi-thao-ban-sao.jpg" not in ids and "anh-bi-cat.jpg" not in ids
        _retitle_and_submit(page)
        report = demo.result(timeout=300)
    assert report.imported == 18 and not report.problems, report.problems

    _review(page, live_app, keep, drop)
    with ctx.db.begin() as session:
        statuses = dict(session.execute(select(Asset.id, Asset.status).where(Asset.id.in_([keep, drop]))).all())
        why = session.execute(select(ReviewEvent.comment).where(ReviewEvent.action == "reject")).scalar_one()
    assert statuses == {keep: AssetStatus.published, drop: AssetStatus.rejected}
    assert why == REASON
    _asset_page(page, live_app, keep)
    sign_out(page)
    _public_checks(page, live_app, keep, drop)
    _admin_tour(page, live_app, ctx)
