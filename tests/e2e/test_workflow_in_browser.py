"""The whole round trip in a real Chromium against `tfdb serve`: a contributor uploads two photos
with metadata and submits them; an approver approves and publishes one and rejects the other with
a reason; the public gallery shows the published one only, and its download carries the credit.

The demo library (tfdb_dam.demo, through the real ingest and workflow) is loaded first so that the
screenshots written to docs/screenshots/ for the README show a lived-in library."""

from __future__ import annotations

import datetime as dt
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from tests.e2e.conftest import PASSWORD, SCREENSHOTS
from tests.e2e.driver import by_key, open_nav, screenshot, settle, sign_in, sign_out
from tfdb_dam.db.models import Asset, AssetStatus, ReviewEvent
from tfdb_dam.demo.scenes import jpeg_with_exif, paint
from tfdb_dam.services import ui_collections, users
from tfdb_dam.services.demo import load_demo

pytestmark = pytest.mark.e2e

KEEP_TITLE = "Hội thảo hợp tác du lịch Huế – Hàn Quốc"
DROP_TITLE = "Bến thuyền rồng sông Hương"


def _photo(path, lat: float, lon: float) -> None:  # noqa: ANN001
    when = dt.datetime(2026, 3, 14, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    path.write_bytes(jpeg_with_exif(paint(path.name), when, lat, lon))


def _upload_and_submit(page, url: str, ctx, tmp_path) -> tuple[int, int]:  # noqa: ANN001
    first, second = tmp_path / "hoi-thao-du-lich.jpg", tmp_path / "ben-thuyen-rong.jpg"
    _photo(first, 16.4637, 107.5909)
    _photo(second, 16.4560, 107.5805)
    sign_in(page, url, "contributor", PASSWORD)
    open_nav(page, "Tải lên")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files([str(first), str(second)])
    page.get_by_label("Tiêu đề (tiếng Việt)").fill(KEEP_TITLE)
    page.get_by_label("Tiêu đề (tiếng Anh)").fill("Huế–Korea tourism cooperation workshop")
    page.get_by_label("Ghi công (tác giả)").fill("Nguyễn Minh Châu")
    settle(page)
    screenshot(page, SCREENSHOTS, "02-upload-form")
    page.get_by_role("button", name="Tải lên 2 tệp").click()
    # Processing runs in the worker; the page polls and shows each file's outcome live.
    for name in ("hoi-thao-du-lich", "ben-thuyen-rong"):
        page.get_by_text(re.compile(rf"{name}\.jpg.*đã nhập thành tư liệu #\d+")).wait_for(timeout=120_000)
    settle(page)
    screenshot(page, SCREENSHOTS, "03-upload-outcomes")
    with ctx.db.begin() as session:
        ids = dict(session.execute(select(Asset.original_filename, Asset.id)).all())
    keep, drop = ids["hoi-thao-du-lich.jpg"], ids["ben-thuyen-rong.jpg"]
    # The second photo gets its own title on its asset page (labels show each field's source);
    # links inside the app keep the session, and with it the upload batch.
    by_key(page, "upl_row_1").get_by_role("link").click()
    page.get_by_label("Tiêu đề (tiếng Việt)").fill(DROP_TITLE)
    page.get_by_label("Tiêu đề (tiếng Anh)").fill("Dragon boat landing on the Perfume River")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đã lưu: title_vi, title_en.").wait_for(timeout=30_000)
    settle(page)
    open_nav(page, "Tải lên")
    page.get_by_role("button", name="Gửi duyệt 2 tư liệu đã nhập").click()
    page.get_by_text("Đã gửi duyệt 2 tư liệu").wait_for(timeout=30_000)
    sign_out(page)
    return keep, drop


def _review(page, url: str, keep: int, drop: int) -> None:  # noqa: ANN001
    sign_in(page, url, "approver", PASSWORD)
    open_nav(page, "Duyệt tư liệu")
    screenshot(page, SCREENSHOTS, "05-review-queue")
    by_key(page, f"rev_approve_{keep}").get_by_role("button").click()
    page.get_by_text("Đã duyệt 1 tư liệu").wait_for(timeout=30_000)
    settle(page)
    reason = by_key(page, f"rev_reason_{drop}").locator("input")
    reason.fill("Ảnh thiếu nét; xin gửi bản chụp rõ hơn.")
    reason.press("Enter")  # the reason form submits on Enter
    page.get_by_text("Đã từ chối 1 tư liệu").wait_for(timeout=30_000)
    settle(page)
    page.get_by_text(re.compile(r"^Chờ công bố")).click()
    by_key(page, f"rev_publish_{keep}").get_by_role("button").click()
    page.get_by_text("Đã công bố 1 tư liệu").wait_for(timeout=30_000)
    settle(page)
    page.goto(f"{url}/asset?id={keep}")
    page.get_by_role("heading", name=KEEP_TITLE).wait_for(timeout=30_000)
    settle(page)
    screenshot(page, SCREENSHOTS, "06-asset")
    sign_out(page)


def _public_checks(page, url: str, keep: int, drop: int) -> None:  # noqa: ANN001
    open_nav(page, "Thư viện công khai", heading="Thư viện ảnh Thừa Thiên Huế")
    titles = [t.splitlines()[-1] for t in page.locator('[data-testid="stPageLink"]').all_inner_texts()]
    assert KEEP_TITLE in titles and DROP_TITLE not in titles
    screenshot(page, SCREENSHOTS, "08-public-gallery")
    page.goto(f"{url}/asset?id={drop}")
    page.get_by_text("Không tìm thấy.").wait_for(timeout=30_000)
    page.goto(f"{url}/asset?id={keep}")
    settle(page)
    screenshot(page, SCREENSHOTS, "09-public-asset")
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Tải về").click()
    data = open(download.value.path(), "rb").read()
    assert data[:2] == b"\xff\xd8" and "Nguyễn Minh Châu".encode() in data


def _tour(page, url: str, ctx) -> None:  # noqa: ANN001
    """Every other page, as an administrator, for the README."""
    with ctx.db.begin() as session:
        admin = users.actor_for(session, "admin")
        box = ui_collections.create_collection(session, admin, name="Festival Huế 2024",
                                               description="Ảnh cho bài giới thiệu Festival gửi đối tác")
        published = session.execute(select(Asset.id).where(Asset.status == AssetStatus.published)).scalars().all()
        ui_collections.add_assets(session, admin, box.id, published[:6])
    sign_in(page, url, "admin", PASSWORD)
    screenshot(page, SCREENSHOTS, "10-home-whats-new")
    for label, name in (("Kho tư liệu", "04-library"), ("Thống kê", "07-dashboard"),
                        ("Bộ sưu tập", "11-collections"), ("Người dùng", "12-users"),
                        ("Phân loại & từ điển", "13-taxonomy"), ("Hệ thống", "14-system"),
                        ("Nhật ký kiểm toán", "15-audit")):
        open_nav(page, label)
        screenshot(page, SCREENSHOTS, name)
    page.get_by_text("English", exact=True).click()
    open_nav(page, "Library")
    screenshot(page, SCREENSHOTS, "16-library-english")


def test_upload_review_publish_and_public_gallery(live_app, page, ctx, tmp_path):
    # The demo library goes in through the running app's worker while the browser works.
    with ThreadPoolExecutor(max_workers=1) as pool:
        demo = pool.submit(load_demo, ctx, workers=0)
        page.goto(live_app + "/")
        settle(page)
        screenshot(page, SCREENSHOTS, "01-home-sign-in")
        keep, drop = _upload_and_submit(page, live_app, ctx, tmp_path)
        report = demo.result(timeout=300)
    assert report.imported == 18 and not report.problems, report.problems

    _review(page, live_app, keep, drop)
    with ctx.db.begin() as session:
        statuses = dict(session.execute(select(Asset.id, Asset.status).where(Asset.id.in_([keep, drop]))).all())
        why = session.execute(select(ReviewEvent.comment).where(ReviewEvent.action == "reject")).scalar_one()
    assert statuses == {keep: AssetStatus.published, drop: AssetStatus.rejected}
    assert why == "Ảnh thiếu nét; xin gửi bản chụp rõ hơn."
    _public_checks(page, live_app, keep, drop)
    _tour(page, live_app, ctx)
