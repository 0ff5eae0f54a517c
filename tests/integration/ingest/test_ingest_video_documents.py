"""Videos get their facts, a poster and keyframes; documents their text, pages and a first-page preview."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.conftest import corpus_path
from tfdb_dam.db.models import Asset, Embedding
from tfdb_dam.services.ingest_renditions import ensure_rendition
from tfdb_dam.services.verify import verify_storage

from .conftest import by_name, import_now, make_video

KEYS = ("-g", "2")  # a keyframe every other frame, so eight can be found in two seconds
VIDEOS = {
    "clip.mp4": ("h264", "aac", ("-c:v", "libx264", "-preset", "ultrafast", *KEYS, "-c:a", "aac", "-shortest")),
    "clip.mov": ("h264", None, ("-c:v", "libx264", "-preset", "ultrafast", *KEYS,
                                "-metadata", "creation_time=2024-05-18T07:30:00Z",
                                "-metadata", "location=+16.4637+107.5909/")),
    "clip.webm": ("vp8", "vorbis", ("-c:v", "libvpx", "-deadline", "realtime", *KEYS, "-c:a", "libvorbis", "-shortest")),
    "clip.avi": ("mpeg4", None, ("-c:v", "mpeg4", *KEYS)),
    "clip.mkv": ("ffv1", None, ("-c:v", "ffv1", *KEYS)),
}


def test_every_video_container_gives_facts_poster_and_keyframes(ctx, media_dir):
    paths = [make_video(media_dir / name, audio=audio is not None, args=args)
             for name, (_, audio, args) in VIDEOS.items()]
    outcomes = by_name(import_now(ctx, paths))
    with ctx.db.begin() as session:
        for name, (codec, audio, _) in VIDEOS.items():
            assert outcomes[name].status == "imported", outcomes[name]
            asset = session.get(Asset, outcomes[name].asset_id)
            assert asset.kind.value == "video" and asset.processing.value == "ready"
            assert asset.duration_s == pytest.approx(2.0, abs=0.15), name
            assert (asset.width, asset.height, asset.frame_rate) == (160, 120, 10.0), name
            assert (asset.video_codec, asset.audio_codec) == (codec, audio), name
            renditions = {r.name: r for r in asset.renditions}
            keyframes = [renditions[f"keyframe-{i:02d}"] for i in range(8)]
            assert {"poster", "thumb", "preview"} <= set(renditions) and len(renditions) == 11, name
            times = [k.at_seconds for k in keyframes]
            assert times == sorted(times) and len(set(times)) == 8 and 0 <= times[0] < times[-1] <= 2.0
            assert session.execute(select(Embedding).where(Embedding.asset_id == asset.id)).first()
        mov = session.get(Asset, outcomes["clip.mov"].asset_id)
        assert mov.captured_at == dt.datetime(2024, 5, 18, 7, 30, tzinfo=dt.timezone.utc)
        assert (mov.gps_lat, mov.gps_lon) == (pytest.approx(16.4637), pytest.approx(107.5909))
        sha = mov.sha256
    ctx.store.rendition_path(sha, "keyframe-03").unlink()
    assert [f.kind for f in verify_storage(ctx).findings] == ["missing_rendition"]
    assert ensure_rendition(ctx, outcomes["clip.mov"].asset_id, "keyframe-03").is_file()
    assert verify_storage(ctx).ok


def _office_files(folder):
    import docx
    import openpyxl
    import pptx

    document = docx.Document()
    document.core_properties.title = "Kế hoạch thông tin đối ngoại"
    document.add_paragraph("Lễ hội Festival Huế thu hút du khách quốc tế.")
    document.save(folder / "plan.docx")
    book = openpyxl.Workbook()
    book.active["A1"], book.active["B2"] = "Danh sách phóng viên", "Reuters Hà Nội"
    book.save(folder / "press.xlsx")
    deck = pptx.Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = "Đầu tư vào Thừa Thiên Huế"
    deck.save(folder / "invest.pptx")
    (folder / "notes.txt").write_text("Đoàn công tác Lào thăm Cố đô Huế.\n", encoding="utf-8")
    (folder / "letter.rtf").write_text(r"{\rtf1\ansi{\info{\title Thu moi}}Invitation to the Hue Festival\par}",
                                       encoding="ascii")


def test_every_document_type_gives_text_and_pdfs_a_first_page_preview(ctx, media_dir):
    _office_files(media_dir)
    pdf = corpus_path("exiftool-samples", "images", "PDF.pdf")
    outcomes = by_name(import_now(ctx, [*sorted(media_dir.iterdir()), pdf]))
    expected = {"plan.docx": "Festival Huế", "press.xlsx": "Reuters Hà Nội", "invest.pptx": "Đầu tư vào",
                "notes.txt": "Cố đô Huế", "letter.rtf": "Invitation to the Hue Festival"}
    with ctx.db.begin() as session:
        for name, words in expected.items():
            asset = session.get(Asset, outcomes[name].asset_id)
            assert asset.kind.value == "document" and words in asset.extracted_text, name
        assert session.get(Asset, outcomes["plan.docx"].asset_id).title_vi == "Kế hoạch thông tin đối ngoại"
        assert session.get(Asset, outcomes["invest.pptx"].asset_id).page_count == 1
        pdf_asset = session.get(Asset, outcomes["PDF.pdf"].asset_id)
        assert pdf_asset.page_count == 1 and pdf_asset.mime_type == "application/pdf"
        assert {r.name for r in pdf_asset.renditions} == {"thumb", "preview"}
        assert ctx.store.rendition_path(pdf_asset.sha256, "preview").is_file()
    assert verify_storage(ctx).ok
