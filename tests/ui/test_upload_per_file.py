"""Upload page: a file's own cell in the per-file table overrides the shared form for that file
only; the other files keep the shared values, and every written value counts as manual."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import select

from tfdb_dam.db.models import Asset


def _jpeg(colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def test_one_files_own_title_overrides_the_shared_form(open_page, ctx):
    at = open_page("pages/3_upload.py", "contributor")
    at.file_uploader[0].set_value([("dai-noi.jpg", _jpeg((200, 30, 30)), "image/jpeg"),
                                   ("ngo-mon.jpg", _jpeg((30, 30, 200)), "image/jpeg")]).run()
    assert not at.exception, at.exception
    [table] = at.data_editor
    assert list(table.value["filename"]) == ["dai-noi.jpg", "ngo-mon.jpg"]
    at.text_input(key="upl_title_vi").input("Đại Nội Huế")
    at.text_input(key="upl_title_en").input("Huế Imperial City")
    at.text_input(key="upl_credit").input("Lê Hoa")
    # The second file's row: its own Vietnamese and English titles (AppTest seeds a keyed editor's edits).
    at.session_state[table.key] = {"edited_rows": {1: {"title_vi": "  Cổng Ngọ Môn ", "title_en": "Noon Gate"}},
                                   "added_rows": [], "deleted_rows": []}
    at.button[0].click()  # the form's submit button comes first in the form
    at.run()
    assert not at.exception, at.exception
    with ctx.db.begin() as session:
        assets = session.execute(select(Asset).order_by(Asset.original_filename)).scalars().all()
        saved = [(a.original_filename, a.title_vi, a.title_en, a.credit) for a in assets]
        sources = [a.field_sources.get("title_vi") for a in assets]
    assert saved == [("dai-noi.jpg", "Đại Nội Huế", "Huế Imperial City", "Lê Hoa"),
                     ("ngo-mon.jpg", "Cổng Ngọ Môn", "Noon Gate", "Lê Hoa")]
    assert sources == ["manual", "manual"]
