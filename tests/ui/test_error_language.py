"""Issue #6: a refusal reads in the reader's language. The upload page's per-file reasons and a
form's validation error come out in Vietnamese for a Vietnamese reader and in English for an
English one (the same errors, one catalogue key each), with no English left in the Vietnamese text."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image

from tfdb_dam.jobs.worker import run_worker
from tfdb_dam.ui.messages import MESSAGES as UI

HOSTILE = b"<!DOCTYPE html><html><head><script>alert(1)</script></head><body>hi</body></html>"

REASONS = {
    "vi": {"trang-chu.jpg": "Tệp mang đuôi .jpg nhưng nội dung thực chất là một trang HTML.",
           "rong.jpg": "Tệp không có nội dung."},
    "en": {"trang-chu.jpg": "The file says .jpg but its content is an HTML page.",
           "rong.jpg": "The file is empty."},
}
REFUSED = {"vi": "bị từ chối", "en": "refused"}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_upload_refusals_read_in_the_readers_language(open_page, lang):
    at = open_page("pages/3_upload.py", "contributor", lang=lang)
    assert not at.exception, at.exception
    at.file_uploader[0].set_value([("trang-chu.jpg", HOSTILE, "image/jpeg"),
                                   ("rong.jpg", b"", "image/jpeg")]).run()
    at.button[0].click()  # the form's submit button comes first in the form
    at.run()
    assert not at.exception, at.exception
    lines = [m.value for m in at.markdown]
    for name, reason in REASONS[lang].items():
        assert f"**{name}** — {REFUSED[lang]}: {reason}" in lines, lines
    other = "en" if lang == "vi" else "vi"
    assert not any(reason in line for reason in REASONS[other].values() for line in lines)


def _cut_jpeg() -> bytes:
    """A JPEG cut a third of the way into its image data: it passes the upload check and is
    refused by the background worker, which keeps its reason (in English) in the database."""
    noise = random.Random(6)
    image = Image.frombytes("RGB", (320, 240), bytes(noise.getrandbits(8) for _ in range(320 * 240 * 3)))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()[: len(buffer.getvalue()) // 3]


@pytest.mark.parametrize("lang, reason", [
    ("vi", "bị từ chối: Ảnh bị cắt cụt hoặc hư hỏng nên không giải mã được."),
    ("en", "refused: The image is truncated or corrupt and cannot be decoded."),
])
def test_a_refusal_kept_by_the_worker_reads_in_the_readers_language(open_page, ctx, lang, reason):
    at = open_page("pages/3_upload.py", "contributor", lang=lang)
    at.file_uploader[0].set_value([("cat-doi.jpg", _cut_jpeg(), "image/jpeg")]).run()
    at.button[0].click()
    at.run()
    assert not at.exception, at.exception
    run_worker(ctx, wait=False)
    at.run()
    assert not at.exception, at.exception
    assert f"**cat-doi.jpg** — {reason}" in [m.value for m in at.markdown]


@pytest.mark.parametrize("lang, expected", [
    ("vi", "**Dữ liệu chưa hợp lệ.** Mật khẩu cần có ít nhất 10 ký tự."),
    ("en", "**Please check the form.** A password needs at least 10 characters."),
])
def test_a_form_validation_error_reads_in_the_readers_language(open_page, lang, expected):
    at = open_page("pages/7_users.py", "admin", lang=lang)
    at.text_input(key="usr_new_name").input("hoa.le")
    at.text_input(key="usr_new_password").input("ngắn")
    label = UI["users.create"][0 if lang == "vi" else 1]
    [b for b in at.button if b.label == label][0].click()
    at.run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [expected]
