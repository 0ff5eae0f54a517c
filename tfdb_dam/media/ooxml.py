"""Owns telling Office Open XML documents (docx, xlsx, pptx) apart from other ZIP files, safely."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from tfdb_dam.errors import RejectedFile

# Declared sizes bound what zipfile will inflate, so this refuses zip bombs before any reading.
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
MAX_ENTRIES = 20_000
_CONTENT_TYPES_MAX_BYTES = 1024 * 1024

_MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "pptx",
}
_MACRO_PARTS = {
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
    "application/vnd.ms-powerpoint.slideshow.macroEnabled.main+xml",
}
_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def document_ext(path: Path) -> str | None:
    """ "docx", "xlsx" or "pptx" for an Office document, None for any other ZIP file.

    Refuses damaged ZIPs, documents with macros and ZIPs that would unpack to a huge size.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_unpacked_size(infos)
            names = {info.filename for info in infos}
            if "[Content_Types].xml" not in names:
                return None
            content_types = _content_types(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise RejectedFile("file.zip_damaged") from exc
    return _ext_from_content_types(content_types, names)


def _check_unpacked_size(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_ENTRIES:
        raise RejectedFile("file.zip_too_many_parts", count=len(infos))
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNPACKED_BYTES:
        megabytes = unpacked // (1024 * 1024)
        raise RejectedFile("file.zip_bomb", megabytes=megabytes)


def _content_types(archive: zipfile.ZipFile) -> set[str]:
    with archive.open("[Content_Types].xml") as fh:
        raw = fh.read(_CONTENT_TYPES_MAX_BYTES)
    try:
        root = etree.fromstring(raw, _SAFE_XML)
    except etree.XMLSyntaxError as exc:
        raise RejectedFile("file.office_parts_invalid") from exc
    return {value for value in root.xpath("//@ContentType") if isinstance(value, str)}


def _ext_from_content_types(content_types: set[str], names: set[str]) -> str:
    if content_types & _MACRO_PARTS or any(name.lower().endswith("vbaproject.bin") for name in names):
        raise RejectedFile("file.office_macros")
    for content_type, ext in _MAIN_PARTS.items():
        if content_type in content_types:
            return ext
    raise RejectedFile("file.office_other_format")
