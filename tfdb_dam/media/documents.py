"""Owns reading a document's text, page count, title and first-page preview, for search and display."""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Callable
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
from PIL import Image
from striprtf.striprtf import rtf_to_text

from tfdb_dam.errors import RejectedFile
from tfdb_dam.media import office
from tfdb_dam.media.document_info import DocumentInfo
from tfdb_dam.media.renditions import RENDITION_SPECS
from tfdb_dam.media.sniff import FileType
from tfdb_dam.media.text import TextBudget, clean_text, decode_plain_text
from tfdb_dam.media.xmp import read_xmp

# About 1 MB of text: enough for search, bounded for the database row.
MAX_TEXT_CHARS = 1_000_000
# RTF keeps pictures inline as hex: past this, striprtf's regular expressions grow slow and large.
RTF_MAX_BYTES = 64 * 1024 * 1024
_PREVIEW_BOX = RENDITION_SPECS["preview"].box
_RTF_CODEPAGE = re.compile(rb"\\ansicpg(\d+)")
_RTF_TITLE = re.compile(rb"\{\\title\s?((?:[^{}\\]|\\.)*)\}", re.DOTALL)

logger = logging.getLogger(__name__)


def read_document(path: Path, ftype: FileType) -> DocumentInfo:
    """Extract what search and display need; RejectedFile when the document is locked or damaged."""
    readers: dict[str, Callable[[Path, TextBudget], DocumentInfo]] = {
        "pdf": _read_pdf,
        "docx": office.read_docx,
        "xlsx": office.read_xlsx,
        "pptx": office.read_pptx,
        "txt": _read_txt,
        "rtf": _read_rtf,
    }
    reader = readers.get(ftype.ext)
    if reader is None:
        raise RejectedFile("file.document_type", ext=ftype.ext)
    budget = TextBudget(MAX_TEXT_CHARS)
    info = reader(path, budget)
    if budget.cut:
        info.warnings.append(f"The text was cut after {MAX_TEXT_CHARS:,} characters.")
    return info


def _read_pdf(path: Path, budget: TextBudget) -> DocumentInfo:
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise RejectedFile("file.pdf_password") from exc
        raise RejectedFile("file.pdf_damaged") from exc
    try:
        page_count = len(pdf)
        for index in range(page_count):
            if budget.exhausted:
                budget.cut = True
                break
            budget.add(_page_text(pdf, index))
        title = clean_text(pdf.get_metadata_dict().get("Title")) or _pdf_xmp_title(path)
        preview = _render_first_page(pdf) if page_count else None
    except pdfium.PdfiumError as exc:
        raise RejectedFile("file.pdf_damaged") from exc
    finally:
        pdf.close()
    return DocumentInfo(budget.text(), page_count, title, preview)


def _page_text(pdf: pdfium.PdfDocument, index: int) -> str:
    page = pdf[index]
    try:
        textpage = page.get_textpage()
        try:
            return textpage.get_text_bounded()
        finally:
            textpage.close()
    finally:
        page.close()


def _render_first_page(pdf: pdfium.PdfDocument) -> Image.Image | None:
    page = pdf[0]
    try:
        width, height = page.get_size()  # points, 1/72 inch
        if width <= 0 or height <= 0:
            return None
        scale = min(_PREVIEW_BOX[0] / width, _PREVIEW_BOX[1] / height)
        return page.render(scale=scale).to_pil().convert("RGB")
    finally:
        page.close()


def _pdf_xmp_title(path: Path) -> str | None:
    """dc:title of the PDF's XMP packet (pdfium does not expose it); None on any trouble."""
    pypdf_logger = logging.getLogger("pypdf")
    level = pypdf_logger.level
    pypdf_logger.setLevel(logging.ERROR)  # its notes on repaired cross-references are noise here
    try:
        metadata = pypdf.PdfReader(path, strict=False).trailer["/Root"].get("/Metadata")
        return read_xmp(metadata.get_object().get_data()).title if metadata is not None else None
    except Exception as exc:  # a title is a nicety: never fail a readable PDF over it
        logger.debug("PDF XMP unreadable: %r", exc)
        return None
    finally:
        pypdf_logger.setLevel(level)


def _read_txt(path: Path, budget: TextBudget) -> DocumentInfo:
    limit = MAX_TEXT_CHARS * 4 + 4  # UTF-8 takes at most four bytes a character
    with path.open("rb") as fh:
        raw = fh.read(limit + 1)
    budget.add(decode_plain_text(raw[:limit], complete=len(raw) <= limit))
    return DocumentInfo(budget.text(), None, None, None)


def _read_rtf(path: Path, budget: TextBudget) -> DocumentInfo:
    with path.open("rb") as fh:
        raw = fh.read(RTF_MAX_BYTES + 1)
    encoding = _rtf_encoding(raw)
    try:
        budget.add(rtf_to_text(raw[:RTF_MAX_BYTES].decode("latin-1"), encoding=encoding, errors="replace"))
    except (ValueError, IndexError, LookupError) as exc:
        raise RejectedFile("file.rtf_damaged") from exc
    info = DocumentInfo(budget.text(), None, _rtf_title(raw, encoding), None)
    if len(raw) > RTF_MAX_BYTES:
        info.warnings.append(f"Only the first {RTF_MAX_BYTES // (1024 * 1024)} MB of the RTF file were read.")
    return info


def _rtf_encoding(raw: bytes) -> str:
    """The code page the RTF declares for its \\'hh escapes (cp1258 for Vietnamese Windows)."""
    match = _RTF_CODEPAGE.search(raw[:4096])
    if match:
        candidate = f"cp{int(match.group(1))}"
        try:
            codecs.lookup(candidate)
            return candidate
        except LookupError:
            pass
    return "cp1252"


def _rtf_title(raw: bytes, encoding: str) -> str | None:
    match = _RTF_TITLE.search(raw[:65536])
    if not match:
        return None
    try:
        return clean_text(
            rtf_to_text(
                "{\\rtf1 " + match.group(1).decode("latin-1") + "}", encoding=encoding, errors="replace"
            )
        )
    except (ValueError, IndexError, LookupError):
        return None
