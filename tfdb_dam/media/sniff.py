"""Owns the decision of what an incoming file really is, from its content, and the refusal of the rest."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, NoReturn

from tfdb_dam.errors import RejectedFile
from tfdb_dam.media import ooxml
from tfdb_dam.media.signatures import HEAD_SIZE, forbidden_label, media_ext
from tfdb_dam.media.text import decode_utf16_bom, looks_like_legacy_text
from tfdb_dam.messages import Message, msg, word

# A plain text file is recognised from this much of its start.
TEXT_SAMPLE_BYTES = 1024 * 1024
_JPEG_CUT = "file.jpeg_cut"


@dataclass(frozen=True)
class FileType:
    kind: str  # photo, video, document or audio
    mime: str
    ext: str  # canonical lower-case extension the original is stored with


_OOXML = "application/vnd.openxmlformats-officedocument."
FILE_TYPES: dict[str, FileType] = {
    ext: FileType(kind, mime, ext)
    for kind, ext, mime in (
        ("photo", "jpg", "image/jpeg"),
        ("photo", "png", "image/png"),
        ("photo", "gif", "image/gif"),
        ("photo", "tif", "image/tiff"),
        ("photo", "webp", "image/webp"),
        ("photo", "heic", "image/heic"),
        ("photo", "heif", "image/heif"),
        ("photo", "avif", "image/avif"),
        ("photo", "bmp", "image/bmp"),
        ("video", "mp4", "video/mp4"),
        ("video", "mov", "video/quicktime"),
        ("video", "webm", "video/webm"),
        ("video", "avi", "video/x-msvideo"),
        ("video", "mkv", "video/x-matroska"),
        ("video", "mts", "video/mp2t"),
        ("video", "ts", "video/mp2t"),
        ("video", "mpg", "video/mpeg"),
        ("video", "wmv", "video/x-ms-wmv"),
        ("video", "flv", "video/x-flv"),
        ("video", "3gp", "video/3gpp"),
        ("video", "ogv", "video/ogg"),
        ("document", "pdf", "application/pdf"),
        ("document", "rtf", "application/rtf"),
        ("document", "txt", "text/plain"),
        ("document", "docx", _OOXML + "wordprocessingml.document"),
        ("document", "xlsx", _OOXML + "spreadsheetml.sheet"),
        ("document", "pptx", _OOXML + "presentationml.presentation"),
        ("audio", "mp3", "audio/mpeg"),
        ("audio", "wav", "audio/wav"),
        ("audio", "m4a", "audio/mp4"),
        ("audio", "flac", "audio/flac"),
        ("audio", "ogg", "audio/ogg"),
        ("audio", "aac", "audio/aac"),
    )
}

# family -> extensions it normally carries. Its name ("word.family.<family>") and the advice
# ("file.forbidden.<family>") are in the message catalogue, in both languages.
REFUSED_FAMILIES: dict[str, tuple[str, ...]] = {
    "program": ("exe", "dll", "elf", "bin", "so", "dylib", "class", "wasm", "msi"),
    "script": ("sh", "py", "pl", "rb"),
    "shortcut": ("lnk",),
    "archive": ("zip", "gz", "tgz", "tar", "7z", "rar", "bz2", "xz", "zst", "cab", "deb", "jar", "apk"),
    "disc": ("iso", "img", "udf"),
    "font": ("ttf", "otf", "ttc", "woff", "woff2"),
    "ole": ("doc", "xls", "ppt", "msg"),
    "html": ("html", "htm", "xhtml"),
    "svg": ("svg", "svgz"),
}


def sniff(path: Path, *, max_bytes: int) -> FileType:
    """What ``path`` really is, decided from its bytes; RejectedFile for anything not accepted."""
    size = _size_checked(path, max_bytes)
    claimed = path.suffix.lower().lstrip(".")
    with path.open("rb") as fh:
        head = fh.read(HEAD_SIZE)
        ext = media_ext(head)
        if ext == "jpg":
            _require_jpeg_image_data(fh)
    if ext == "zip":
        ext = ooxml.document_ext(path)
        if ext is None:
            _refuse("archive", claimed)
    if ext is None:
        _refuse_forbidden(head, claimed)
        ext = _text_ext(path, head, claimed, size)
    if ext is None:
        raise RejectedFile("file.not_accepted")
    return FILE_TYPES[ext]


def _size_checked(path: Path, max_bytes: int) -> int:
    try:
        stat = path.stat()
    except OSError as exc:
        raise RejectedFile("file.unreadable") from exc
    if not path.is_file():
        raise RejectedFile("file.not_regular")
    if stat.st_size == 0:
        raise RejectedFile("file.empty")
    if stat.st_size > max_bytes:
        raise RejectedFile("file.too_large", size=_readable_size(stat.st_size),
                           limit=_readable_size(max_bytes))
    return stat.st_size


def _readable_size(size: int) -> Message:
    megabytes = size / (1024 * 1024)
    if megabytes >= 1:
        return msg("word.size_mb", size=f"{megabytes:.1f}")
    return msg("word.size_bytes", count=f"{size:,}")


def _refuse(family: str, claimed: str) -> NoReturn:
    if claimed and claimed not in REFUSED_FAMILIES[family]:
        raise RejectedFile("file.claims_other_type", claimed=claimed, label=word(f"word.family.{family}"))
    raise RejectedFile(f"file.forbidden.{family}")


def _refuse_forbidden(head: bytes, claimed: str) -> None:
    family = forbidden_label(head) or _markup_family(head)
    if family:
        _refuse(family, claimed)


def _markup_family(head: bytes) -> str | None:
    """'html' or 'svg' when the start of a text file is web markup a browser would run."""
    text = (decode_utf16_bom(head[:4096]) or head[:4096].decode("utf-8", errors="ignore")).lower()
    if "<svg" in text or "<!doctype svg" in text:
        return "svg"
    if any(tag in text for tag in ("<html", "<!doctype html", "<head", "<body", "<script", "<iframe")):
        return "html"
    return None


def _text_ext(path: Path, head: bytes, claimed: str, size: int) -> str | None:
    # Plain text has no signature, so the name is the only claim; the bytes must bear it out.
    if claimed != "txt":
        return None
    sample = head if size <= len(head) else _read_start(path, TEXT_SAMPLE_BYTES)
    return "txt" if _is_plain_text(sample, complete=size <= len(sample)) else None


def _read_start(path: Path, count: int) -> bytes:
    with path.open("rb") as fh:
        return fh.read(count)


def _is_plain_text(sample: bytes, *, complete: bool) -> bool:
    utf16 = decode_utf16_bom(sample)
    if utf16 is not None:
        return "\x00" not in utf16
    if b"\x00" in sample:
        return False
    try:
        # Incremental, so a character cut at the end of the sample does not count as invalid.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
        return True
    except UnicodeDecodeError:
        return looks_like_legacy_text(sample)


def _require_jpeg_image_data(fh: BinaryIO) -> None:
    """Refuse a JPEG that ends before its image data starts (cut off during upload or copy)."""
    fh.seek(2)
    for _ in range(1000):  # more segments than any real JPEG header holds
        marker = fh.read(2)
        if len(marker) < 2:
            raise RejectedFile(_JPEG_CUT)
        if marker[0] != 0xFF:
            return  # malformed but perhaps decodable; the decoder has the last word
        code = marker[1]
        if code == 0xDA:
            return
        if code == 0xD9:
            raise RejectedFile(_JPEG_CUT)
        if code == 0xFF or 0xD0 <= code <= 0xD7 or code == 0x01:
            fh.seek(-1 if code == 0xFF else 0, 1)  # fill byte or marker without a length
            continue
        length = int.from_bytes(fh.read(2), "big")
        if length < 2:
            raise RejectedFile(_JPEG_CUT)
        fh.seek(length - 2, 1)
