"""Owns reading the text, title and saved thumbnail of Word, Excel and PowerPoint (OOXML) files."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import openpyxl
import pptx
from lxml import etree
from PIL import Image

from tfdb_dam.errors import RejectedFile
from tfdb_dam.media.document_info import DocumentInfo
from tfdb_dam.media.imaging import DECODE_ERRORS, open_image, to_srgb
from tfdb_dam.media.text import TextBudget, clean_text

# Office saves a small picture of the first page here when asked to; it is the only preview
# we can have without running an office suite.
_THUMBNAILS = ("docProps/thumbnail.jpeg", "docProps/thumbnail.jpg", "docProps/thumbnail.png")
_THUMBNAIL_MAX_PIXELS = 25_000_000
# What python-docx, openpyxl and python-pptx raise on damaged packages.
_PACKAGE_ERRORS = (
    zipfile.BadZipFile,
    KeyError,
    ValueError,
    TypeError,
    AttributeError,
    IndexError,
    OSError,
    EOFError,
    etree.XMLSyntaxError,
    docx.opc.exceptions.PackageNotFoundError,
    pptx.exc.PackageNotFoundError,
)


def read_docx(path: Path, budget: TextBudget) -> DocumentInfo:
    try:
        document = docx.Document(str(path))
        for paragraph in _docx_paragraphs(document):
            if budget.exhausted:
                budget.cut = True
                break
            budget.add(paragraph)
        title = clean_text(document.core_properties.title)
    except _PACKAGE_ERRORS as exc:
        raise RejectedFile("file.docx_damaged") from exc
    return _info(budget, None, title, path)


def _docx_paragraphs(document) -> Iterator[str]:
    for paragraph in document.paragraphs:
        yield paragraph.text
    for table in document.tables:
        for row in table.rows:
            yield "\t".join(cell.text for cell in row.cells)


def read_xlsx(path: Path, budget: TextBudget) -> DocumentInfo:
    try:
        workbook = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    except _PACKAGE_ERRORS as exc:
        raise RejectedFile("file.xlsx_damaged") from exc
    try:
        for line in _xlsx_lines(workbook):
            if budget.exhausted:
                budget.cut = True
                break
            budget.add(line)
        title = clean_text(workbook.properties.title)
    except _PACKAGE_ERRORS as exc:
        raise RejectedFile("file.xlsx_damaged") from exc
    finally:
        workbook.close()  # read-only workbooks keep the file open until closed
    return _info(budget, None, title, path)


def _xlsx_lines(workbook) -> Iterator[str]:
    for sheet in workbook.worksheets:
        yield sheet.title
        for row in sheet.iter_rows(values_only=True):
            cells = [str(value) for value in row if value is not None and str(value).strip()]
            if cells:
                yield "\t".join(cells)


def read_pptx(path: Path, budget: TextBudget) -> DocumentInfo:
    try:
        presentation = pptx.Presentation(str(path))
        slides = list(presentation.slides)
        for text in _pptx_texts(slides):
            if budget.exhausted:
                budget.cut = True
                break
            budget.add(text)
        title = clean_text(presentation.core_properties.title)
    except _PACKAGE_ERRORS as exc:
        raise RejectedFile("file.pptx_damaged") from exc
    return _info(budget, len(slides), title, path)


def _pptx_texts(slides) -> Iterator[str]:
    for slide in slides:
        yield from _shape_texts(slide.shapes)
        if slide.has_notes_slide:
            yield slide.notes_slide.notes_text_frame.text if slide.notes_slide.notes_text_frame else ""


def _shape_texts(shapes) -> Iterator[str]:
    for shape in shapes:
        if shape.shape_type == pptx.enum.shapes.MSO_SHAPE_TYPE.GROUP:
            yield from _shape_texts(shape.shapes)
        elif getattr(shape, "has_text_frame", False) and shape.has_text_frame:
            yield shape.text_frame.text
        elif getattr(shape, "has_table", False) and shape.has_table:
            for row in shape.table.rows:
                yield "\t".join(cell.text for cell in row.cells)


def _info(budget: TextBudget, page_count: int | None, title: str | None, path: Path) -> DocumentInfo:
    return DocumentInfo(budget.text(), page_count, title, saved_thumbnail(path))


def saved_thumbnail(path: Path) -> Image.Image | None:
    """The first-page picture Office stored in the package, or None (absent, odd or damaged)."""
    try:
        with zipfile.ZipFile(path) as archive:
            name = next((n for n in _THUMBNAILS if n in archive.namelist()), None)
            if name is None or archive.getinfo(name).file_size > 16 * 1024 * 1024:
                return None
            data = archive.read(name)
        img = open_image(io.BytesIO(data), max_pixels=_THUMBNAIL_MAX_PIXELS)
        img.load()
        return to_srgb(img)
    except (RejectedFile, zipfile.BadZipFile, *DECODE_ERRORS):
        return None  # a missing preview is normal; a broken one is not worth refusing the file
