"""Reading the text, pages, title and preview of documents: corpus files and ones made here."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from pathlib import Path

import docx
import openpyxl
import pptx
import pypdf
import pytest
from PIL import Image

from tfdb_dam.errors import RejectedFile
from tfdb_dam.media.documents import MAX_TEXT_CHARS, read_document
from tfdb_dam.media.sniff import FILE_TYPES, sniff

CORPUS = Path(__file__).resolve().parents[3] / ".." / "shared" / "corpus"
HUE = "Lễ hội Huế"
HUE_NFD = unicodedata.normalize("NFD", HUE)


def _exact(message: str) -> str:
    """A pattern for pytest.raises(match=...) that matches this message and nothing else."""
    return f"^{re.escape(message)}$"


def _corpus(name: str) -> Path:
    path = CORPUS / "exiftool-samples" / "images" / name
    if not path.exists():
        pytest.skip(f"The shared test corpus is absent ({path}); see ../shared/corpus/README.md.")
    return path


def _read(path: Path):
    return read_document(path, sniff(path, max_bytes=10**9))


def _pdf(path: Path, pages: list[str], title_utf16: str | None = None) -> Path:
    """A small but valid PDF whose pages show the given ASCII lines in Helvetica."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(len(pages)))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    font = 3 + 2 * len(pages)
    for i, line in enumerate(pages):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + 2 * i} 0 R "
            f"/Resources << /Font << /F1 {font} 0 R >> >> >>".encode()
        )
        content = f"BT /F1 18 Tf 72 700 Td ({line}) Tj ET".encode()
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    info = ""
    if title_utf16:
        objects.append(f"<< /Title <FEFF{title_utf16.encode('utf-16-be').hex().upper()}> >>".encode())
        info = f" /Info {len(objects)} 0 R"
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R{info} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path


def test_a_pdf_gives_its_text_pages_title_and_a_first_page_preview(tmp_path) -> None:
    info = _read(
        _pdf(tmp_path / "report.pdf", ["Hue Festival 2024", "Press release", "Contacts"], "Báo cáo Huế")
    )
    assert info.page_count == 3
    assert info.text.splitlines() == ["Hue Festival 2024", "Press release", "Contacts"]
    assert info.title == "Báo cáo Huế"
    assert info.preview.mode == "RGB" and max(info.preview.size) == 1600
    assert abs(info.preview.width - 612 * 1600 / 792) <= 1  # letter-size page


def test_corpus_pdfs() -> None:
    first = _read(_corpus("PDF.pdf"))
    assert (first.page_count, first.title) == (1, "Test IPTC picture")  # the title lives in its XMP
    assert isinstance(first.preview, Image.Image)
    second = _read(_corpus("PDF2.pdf"))
    assert second.page_count == 1 and second.preview is not None


def _blank_pdf(path: Path, **encrypt_args) -> Path:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(200, 200)
    if encrypt_args:
        writer.encrypt(**encrypt_args)
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def test_a_password_protected_pdf_is_refused(tmp_path) -> None:
    path = _blank_pdf(
        tmp_path / "secret.pdf", user_password="secret", owner_password="owner", algorithm="AES-128"
    )
    with pytest.raises(
        RejectedFile, match=_exact("The PDF is protected by a password; upload a copy without one.")
    ):
        _read(path)


def test_a_pdf_with_only_an_owner_password_opens(tmp_path) -> None:
    path = _blank_pdf(
        tmp_path / "locked-editing.pdf", user_password="", owner_password="owner", algorithm="AES-128"
    )
    assert _read(path).page_count == 1


def test_a_damaged_pdf_is_refused(tmp_path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4)
    with pytest.raises(RejectedFile, match=_exact("The PDF is damaged and cannot be read.")):
        _read(path)


def test_corpus_word_document() -> None:
    info = _read(_corpus("OOXML.docx"))
    assert "Exiftool is astounding." in info.text
    assert info.title == "The document title"
    assert info.page_count is None


def test_a_word_document_round_trips_vietnamese_in_nfc(tmp_path) -> None:
    document = docx.Document()
    document.core_properties.title = unicodedata.normalize("NFD", "Thông cáo")
    document.add_paragraph(HUE_NFD)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Đại Nội", "Kinh thành"
    document.save(tmp_path / "vi.docx")
    info = _read(tmp_path / "vi.docx")
    assert info.text.splitlines() == [HUE, "Đại Nội\tKinh thành"]
    assert unicodedata.is_normalized("NFC", info.text)
    assert info.title == "Thông cáo"


def test_a_workbook_gives_its_cells(tmp_path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Sự kiện"
    sheet.append(["Tên", "Năm"])
    sheet.append([HUE_NFD, 2024])
    workbook.create_sheet("Trống")
    workbook.properties.title = "Lịch"
    workbook.save(tmp_path / "events.xlsx")
    info = _read(tmp_path / "events.xlsx")
    assert info.text.splitlines() == ["Sự kiện", "Tên\tNăm", f"{HUE}\t2024", "Trống"]
    assert (info.title, info.page_count) == ("Lịch", None)


def test_a_presentation_gives_its_slides_tables_and_notes(tmp_path) -> None:
    presentation = pptx.Presentation()
    layout = presentation.slide_layouts[1]  # title and content
    first = presentation.slides.add_slide(layout)
    first.shapes.title.text = HUE_NFD
    first.placeholders[1].text = "Khai mạc"
    first.notes_slide.notes_text_frame.text = "Ghi chú"
    second = presentation.slides.add_slide(presentation.slide_layouts[5])  # title only
    table = second.shapes.add_table(1, 2, 0, 0, 100, 100).table
    table.cell(0, 0).text, table.cell(0, 1).text = "Ngày", "Giờ"
    presentation.save(tmp_path / "talk.pptx")
    info = _read(tmp_path / "talk.pptx")
    assert info.page_count == 2
    for expected in (HUE, "Khai mạc", "Ghi chú", "Ngày\tGiờ"):
        assert expected in info.text


def test_a_damaged_office_file_is_refused(tmp_path) -> None:
    docx.Document().save(tmp_path / "whole.docx")
    with (
        zipfile.ZipFile(tmp_path / "whole.docx") as source,
        zipfile.ZipFile(tmp_path / "broken.docx", "w") as target,
    ):
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, b"<w:document>oops" if item.filename == "word/document.xml" else data)
    with pytest.raises(
        RejectedFile, match=_exact("The Word document is damaged and its text cannot be read.")
    ):
        _read(tmp_path / "broken.docx")


def test_an_office_thumbnail_becomes_the_preview(tmp_path) -> None:
    docx.Document().save(tmp_path / "plain.docx")
    thumbnail = tmp_path / "thumb.jpeg"
    Image.new("RGB", (120, 160), (200, 30, 30)).save(thumbnail, "JPEG")
    with (
        zipfile.ZipFile(tmp_path / "plain.docx") as source,
        zipfile.ZipFile(tmp_path / "shown.docx", "w") as target,
    ):
        for item in source.infolist():
            if item.filename != "docProps/thumbnail.jpeg":
                target.writestr(item, source.read(item))
        target.write(thumbnail, "docProps/thumbnail.jpeg")
    preview = _read(tmp_path / "shown.docx").preview
    assert preview.size == (120, 160)
    assert preview.getpixel((60, 80))[0] > 150


@pytest.mark.parametrize(
    "data",
    [
        HUE_NFD.encode("utf-8"),
        HUE.encode("utf-16"),
        "L\u00ea\u0303 h\u00f4\u0323i Hu\u00ea\u0301".encode("cp1258"),
    ],
    ids=["utf8-nfd", "utf16", "cp1258"],
)
def test_text_files_in_each_encoding_come_out_nfc(tmp_path, data: bytes) -> None:
    path = tmp_path / "note.txt"
    path.write_bytes(data)
    info = _read(path)
    assert info.text == HUE
    assert (info.page_count, info.title, info.preview) == (None, None, None)


def test_corpus_text_and_rtf() -> None:
    assert _read(_corpus("Text1.txt")).text == "this is plain ASCII"
    rtf = _read(_corpus("RTF.rtf"))
    assert "This is some text" in rtf.text
    assert rtf.title == "ExifTool RTF test (with spécîål çhars)"


def test_rtf_in_vietnamese(tmp_path) -> None:
    path = tmp_path / "vi.rtf"
    escaped = "".join(ch if ord(ch) < 128 else f"\\u{ord(ch)}?" for ch in HUE)
    path.write_bytes(
        ("{\\rtf1\\ansi\\ansicpg1258{\\info{\\title Th\\'f4ng c\\'e1o}}" + escaped + "\\par}").encode()
    )
    info = _read(path)
    assert info.text == HUE
    assert info.title == "Thông cáo"


def test_long_text_is_cut_with_a_warning(tmp_path) -> None:
    path = tmp_path / "long.txt"
    path.write_bytes(b"word " * (MAX_TEXT_CHARS // 4))
    info = _read(path)
    assert len(info.text) <= MAX_TEXT_CHARS
    assert info.warnings == [f"The text was cut after {MAX_TEXT_CHARS:,} characters."]


def test_a_long_vietnamese_text_read_in_part_stays_utf8(tmp_path) -> None:
    # Three bytes a character: reading stops inside one, which must not turn it all to cp1258.
    path = tmp_path / "long-vi.txt"
    path.write_bytes("ế".encode() * (MAX_TEXT_CHARS * 2))
    info = _read(path)
    assert set(info.text) == {"ế"} and len(info.text) == MAX_TEXT_CHARS


def test_a_type_that_is_no_document_is_refused(tmp_path) -> None:
    with pytest.raises(RejectedFile, match=r"^Documents of type \.jpg cannot be read\.$"):
        read_document(tmp_path / "x.jpg", FILE_TYPES["jpg"])
