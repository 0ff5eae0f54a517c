"""Deciding what a file is from its content, and refusing what must not come in."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from tfdb_dam.errors import RejectedFile
from tfdb_dam.media.signatures import forbidden_label, media_ext
from tfdb_dam.media.sniff import sniff

CORPUS = Path(__file__).resolve().parents[3] / ".." / "shared" / "corpus"
MAX = 50 * 1024 * 1024


def _exact(message: str) -> str:
    """A pattern for pytest.raises(match=...) that matches this message and nothing else."""
    return f"^{re.escape(message)}$"


def _samples() -> Path:
    images = CORPUS / "exiftool-samples" / "images"
    if not images.is_dir():
        pytest.skip(f"The shared test corpus is absent ({images}); see ../shared/corpus/README.md.")
    return images


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _image_bytes(fmt: str, mode: str = "RGB", size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "teal" if mode == "RGB" else 1).save(out, fmt)
    return out.getvalue()


def _assert_one_sentence(message: str) -> None:
    assert message.endswith(".") and "\n" not in message
    assert ". " not in message, message


ACCEPTED = {
    "ExifTool.jpg": ("photo", "jpg"),
    "GPS.jpg": ("photo", "jpg"),
    "IPTC.jpg": ("photo", "jpg"),
    "XMP.jpg": ("photo", "jpg"),
    "Writer.jpg": ("photo", "jpg"),
    "PNG.png": ("photo", "png"),
    "GIF.gif": ("photo", "gif"),
    "ExifTool.tif": ("photo", "tif"),
    "RIFF.webp": ("photo", "webp"),
    "QuickTime.heic": ("photo", "heic"),
    "QuickTime.mov": ("video", "mov"),
    "RIFF.avi": ("video", "avi"),
    "Matroska.mkv": ("video", "mkv"),
    "M2TS.mts": ("video", "mts"),
    "PDF.pdf": ("document", "pdf"),
    "PDF2.pdf": ("document", "pdf"),
    "OOXML.docx": ("document", "docx"),
    "RTF.rtf": ("document", "rtf"),
    "Text1.txt": ("document", "txt"),
}
REFUSED = {
    "EXE.exe": "The file is a program; programs are never accepted.",
    "EXE.elf": "The file is a program; programs are never accepted.",
    "ZIP.zip": "The file is an archive; unpack it and upload the files inside instead.",
    "ISO.iso": "The file is a disc image; copy the photos, videos or documents off it and upload those.",
    "HTML.html": "The file is an HTML page; web pages can carry scripts, so save it as PDF instead.",
    "XMP.svg": "The file is an SVG drawing; SVG can carry scripts, so export it as PNG or PDF instead.",
    "Font.ttf": "The file is a font; fonts are not assets this library keeps.",
}


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_corpus_media_are_recognised_by_content(name: str) -> None:
    found = sniff(_samples() / name, max_bytes=MAX)
    assert (found.kind, found.ext) == ACCEPTED[name]
    assert "/" in found.mime


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_corpus_hostile_files_are_refused(name: str) -> None:
    with pytest.raises(RejectedFile) as refused:
        sniff(_samples() / name, max_bytes=MAX)
    assert str(refused.value) == REFUSED[name]
    _assert_one_sentence(str(refused.value))


@pytest.mark.parametrize(
    ("source", "disguise", "expected"),
    [
        ("HTML.html", "holiday.jpg", "The file says .jpg but its content is an HTML page."),
        ("EXE.exe", "invoice.pdf", "The file says .pdf but its content is a program."),
        ("XMP.svg", "logo.png", "The file says .png but its content is an SVG drawing."),
        ("ZIP.zip", "report.docx", "The file says .docx but its content is an archive."),
    ],
)
def test_a_forbidden_type_is_refused_whatever_its_name(tmp_path, source, disguise, expected) -> None:
    disguised = _write(tmp_path, disguise, (_samples() / source).read_bytes())
    with pytest.raises(RejectedFile, match=_exact(expected)):
        sniff(disguised, max_bytes=MAX)


@pytest.mark.parametrize(
    ("fmt", "mode", "ext"),
    [
        ("JPEG", "RGB", "jpg"),
        ("PNG", "RGB", "png"),
        ("GIF", "P", "gif"),
        ("TIFF", "RGB", "tif"),
        ("WEBP", "RGB", "webp"),
        ("BMP", "RGB", "bmp"),
        ("HEIF", "RGB", "heic"),
        ("AVIF", "RGB", "avif"),
    ],
)
def test_images_made_by_pillow_are_recognised(tmp_path, fmt, mode, ext) -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()
    path = _write(tmp_path, "upload.bin", _image_bytes(fmt, mode))
    assert sniff(path, max_bytes=MAX).ext == ext


def test_a_photo_named_as_another_photo_type_is_kept_under_its_real_type(tmp_path) -> None:
    path = _write(tmp_path, "scan.jpg", _image_bytes("PNG"))
    found = sniff(path, max_bytes=MAX)
    assert (found.kind, found.mime, found.ext) == ("photo", "image/png", "png")


def test_an_empty_file_is_refused(tmp_path) -> None:
    with pytest.raises(RejectedFile, match=_exact("The file is empty.")):
        sniff(_write(tmp_path, "empty.jpg", b""), max_bytes=MAX)


def test_a_file_over_the_size_limit_is_refused(tmp_path) -> None:
    path = _write(tmp_path, "big.jpg", _image_bytes("JPEG"))
    size = path.stat().st_size
    with pytest.raises(RejectedFile, match=rf"^The file is {size:,} bytes, above the limit of 100 bytes\.$"):
        sniff(path, max_bytes=100)
    with pytest.raises(RejectedFile, match=r"^The file is 2\.0 MB, above the limit of 1\.0 MB\.$"):
        sniff(_write(tmp_path, "big.txt", b"a" * 2 * 1024 * 1024), max_bytes=1024 * 1024)


def test_a_jpeg_cut_before_its_image_data_is_refused(tmp_path) -> None:
    cut = _image_bytes("JPEG", size=(640, 480))[:120]  # inside the quantisation tables
    with pytest.raises(RejectedFile, match="truncated or corrupt"):
        sniff(_write(tmp_path, "cut.jpg", cut), max_bytes=MAX)


def test_a_jpeg_cut_inside_its_image_data_passes_sniffing(tmp_path) -> None:
    # Only a full decode can tell; make_photo_renditions refuses it (see its tests).
    whole = _image_bytes("JPEG", size=(640, 480))
    assert sniff(_write(tmp_path, "cut.jpg", whole[: len(whole) // 2]), max_bytes=MAX).ext == "jpg"


def test_unknown_binary_content_is_refused(tmp_path) -> None:
    with pytest.raises(RejectedFile, match=r"^The file's content is not a photo, video, document or audio"):
        sniff(_write(tmp_path, "data.jpg", bytes(range(256)) * 8), max_bytes=MAX)


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _content_types(main: str) -> bytes:
    return (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Override PartName="/main.xml" ContentType="{main}"/></Types>'
    ).encode()


def test_office_documents_made_by_their_libraries_are_recognised(tmp_path) -> None:
    import docx
    import openpyxl
    import pptx

    docx.Document().save(tmp_path / "a.docx")
    openpyxl.Workbook().save(tmp_path / "a.xlsx")
    pptx.Presentation().save(tmp_path / "a.pptx")
    found = {name: sniff(tmp_path / name, max_bytes=MAX) for name in ("a.docx", "a.xlsx", "a.pptx")}
    assert [f.ext for f in found.values()] == ["docx", "xlsx", "pptx"]
    assert {f.kind for f in found.values()} == {"document"}


def test_a_macro_enabled_office_file_is_refused(tmp_path) -> None:
    macro = "application/vnd.ms-word.document.macroEnabled.main+xml"
    path = _zip(
        tmp_path / "letter.docx", {"[Content_Types].xml": _content_types(macro), "word/vbaProject.bin": b"x"}
    )
    with pytest.raises(RejectedFile, match="contains macros"):
        sniff(path, max_bytes=MAX)


def test_a_zip_of_photos_is_refused_as_an_archive(tmp_path) -> None:
    path = _zip(tmp_path / "photos.zip", {"a.jpg": _image_bytes("JPEG")})
    with pytest.raises(RejectedFile, match=r"^The file is an archive;"):
        sniff(path, max_bytes=MAX)


def test_a_zip_bomb_is_refused_from_its_declared_sizes(tmp_path) -> None:
    path = _zip(
        tmp_path / "bomb.docx",
        {"[Content_Types].xml": _content_types("x"), "word/document.xml": b"\0" * 1000},
    )
    # Declare 4 GB unpacked in the central directory, as a bomb's highly compressed entry would.
    data = bytearray(path.read_bytes())
    entry = data.rindex(b"PK\x01\x02")
    data[entry + 24 : entry + 28] = (0xFFFFFFF0).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(RejectedFile, match="possible zip bomb"):
        sniff(path, max_bytes=MAX)


@pytest.mark.parametrize(
    "data",
    [
        "Lễ hội Huế 2024\nThông cáo báo chí\n".encode(),
        "\ufeffLễ hội Huế".encode("utf-8"),
        "Lễ hội Huế".encode("utf-16"),
        "Hu\u00ea\u0301 - Th\u01b0\u0301a Thi\u00ean".encode("cp1258"),
    ],
    ids=["utf8", "utf8-bom", "utf16", "cp1258"],
)
def test_plain_text_named_txt_is_accepted(tmp_path, data: bytes) -> None:
    found = sniff(_write(tmp_path, "notes.TXT", data), max_bytes=MAX)
    assert (found.kind, found.mime, found.ext) == ("document", "text/plain", "txt")


def test_text_is_only_recognised_under_a_txt_name(tmp_path) -> None:
    with pytest.raises(RejectedFile):
        sniff(_write(tmp_path, "notes.md", b"# Notes\n"), max_bytes=MAX)


def test_binary_data_named_txt_is_refused(tmp_path) -> None:
    with pytest.raises(RejectedFile):
        sniff(_write(tmp_path, "notes.txt", b"abc\x00\x01\x02def"), max_bytes=MAX)


def test_a_txt_holding_a_script_tag_is_refused_as_html(tmp_path) -> None:
    with pytest.raises(RejectedFile, match=_exact("The file says .txt but its content is an HTML page.")):
        sniff(_write(tmp_path, "notes.txt", b"hello <script>alert(1)</script>"), max_bytes=MAX)


def test_signatures_from_first_bytes() -> None:
    def ftyp(major: bytes, *compatible: bytes) -> bytes:
        body = major + b"\0\0\0\0" + b"".join(compatible)
        return (8 + len(body)).to_bytes(4, "big") + b"ftyp" + body

    assert media_ext(ftyp(b"mif1", b"mif1", b"heic")) == "heic"
    assert media_ext(ftyp(b"mif1", b"mif1", b"avif")) == "avif"
    assert media_ext(ftyp(b"qt  ", b"qt  ")) == "mov"
    assert media_ext(ftyp(b"M4A ", b"isom")) == "m4a"
    assert media_ext(ftyp(b"abcd", b"isom")) == "mp4"
    assert media_ext(b"\x00\x00\x00\x08wide\x00\x00\x00\x10mdat") == "mov"
    assert media_ext((b"\0\0\0\0G" + b"\0" * 187) * 6) == "mts"
    assert media_ext((b"G" + b"\0" * 187) * 6) == "ts"
    assert media_ext(b"\x1aE\xdf\xa3\x9fB\x86\x81\x01B\x82\x84webm") == "webm"
    assert media_ext(b"RIFF\0\0\0\0WAVEfmt ") == "wav"
    assert media_ext(b"\xff\xfb\x90\x64" + b"\0" * 100) == "mp3"
    assert media_ext(b"PK\x03\x04rest") == "zip"
    assert forbidden_label(b"\0" * 0x8001 + b"CD001") == "disc"
    assert forbidden_label(b"\0" * 257 + b"ustar\x0000") == "archive"
    assert forbidden_label(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") == "ole"
