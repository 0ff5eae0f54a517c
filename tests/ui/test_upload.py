"""Upload page: refused to viewers and the public; two generated JPEGs go in through the real
file uploader, come out queued, are processed by a real worker, and are submitted for review."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import select

from tfdb_dam.db.models import Asset, AssetStatus
from tfdb_dam.jobs.worker import run_worker


def _jpeg(colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def test_viewer_is_refused_with_nothing_else(open_page):
    at = open_page("pages/3_upload.py", "viewer")
    assert not at.exception
    assert "không được dùng trang này" in at.error[0].value
    assert not at.file_uploader and not at.title


def test_public_is_asked_to_sign_in(open_page):
    at = open_page("pages/3_upload.py")
    assert "đăng nhập" in at.warning[0].value.lower()
    assert not at.file_uploader


def test_contributor_uploads_two_photos_with_metadata(open_page, ctx):
    at = open_page("pages/3_upload.py", "contributor")
    assert not at.exception, at.exception
    at.file_uploader[0].set_value([("hue-1.jpg", _jpeg((200, 30, 30)), "image/jpeg"),
                                   ("hue-2.jpg", _jpeg((30, 30, 200)), "image/jpeg")]).run()
    assert not at.exception, at.exception
    at.text_input(key="upl_title_vi").input("Đại Nội Huế")
    at.text_input(key="upl_title_en").input("Huế Imperial City")
    at.text_input(key="upl_credit").input("Lê Hoa")
    at.button[0].click()  # the form's submit button comes first in the form
    at.run()
    assert not at.exception, at.exception
    with ctx.db.begin() as session:
        assets = session.execute(select(Asset).order_by(Asset.id)).scalars().all()
        assert [a.original_filename for a in assets] == ["hue-1.jpg", "hue-2.jpg"]
        assert {a.title_vi for a in assets} == {"Đại Nội Huế"} and {a.credit for a in assets} == {"Lê Hoa"}
        assert assets[0].field_sources.get("title_vi") == "manual"
    assert "Đang xử lý" in at.markdown[-1].value or any("đang xử lý" in m.value for m in at.markdown)

    run_worker(ctx, wait=False)  # the background worker `tfdb serve` runs, until the queue is empty
    at.run()
    assert not at.exception, at.exception
    lines = [m.value for m in at.markdown]
    assert any("hue-1.jpg" in line and "đã nhập thành tư liệu" in line for line in lines), lines
    at.button(key="upl_submit_all").click().run()
    assert not at.exception, at.exception
    assert "Đã gửi duyệt 2 tư liệu" in at.success[0].value
    with ctx.db.begin() as session:
        statuses = set(session.execute(select(Asset.status)).scalars())
    assert statuses == {AssetStatus.submitted}


def test_each_file_gets_its_own_outcome(open_page, ctx):
    photo = _jpeg((40, 160, 90))
    at = open_page("pages/3_upload.py", "contributor")
    at.file_uploader[0].set_value([("thuyen-rong.jpg", photo, "image/jpeg"),
                                   ("thuyen-rong-ban-sao.jpg", photo, "image/jpeg"),
                                   ("anh-bi-cat.jpg", photo[:300], "image/jpeg")]).run()
    at.text_input(key="upl_title_vi").input("Thuyền rồng sông Hương")
    at.button[0].click()
    at.run()
    assert not at.exception, at.exception
    with ctx.db.begin() as session:
        [(asset_id, name)] = session.execute(select(Asset.id, Asset.original_filename)).all()
    assert name == "thuyen-rong.jpg"
    lines = [m.value for m in at.markdown]
    assert f"**thuyen-rong-ban-sao.jpg** — trùng với tư liệu #{asset_id} đã có" in lines, lines
    refused = next(line for line in lines if line.startswith("**anh-bi-cat.jpg**"))
    assert refused == ("**anh-bi-cat.jpg** — bị từ chối: "
                       "Tệp JPEG kết thúc trước phần dữ liệu ảnh; tệp bị cắt cụt hoặc hư hỏng.")

    run_worker(ctx, wait=False)
    at.run()
    lines = [m.value for m in at.markdown]
    assert f"**thuyen-rong.jpg** — đã nhập thành tư liệu #{asset_id}" in lines
    assert any("Đã nhập: 1" in line and "Trùng lặp: 1" in line and "Bị từ chối: 1" in line for line in lines)
    assert at.button(key="upl_submit_all").label == "Gửi duyệt 1 tư liệu đã nhập"
