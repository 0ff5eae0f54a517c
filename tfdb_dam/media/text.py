"""Owns the cleaning of text read out of files: NULs, stray whitespace, legacy encodings, Unicode NFC."""

from __future__ import annotations

import codecs
import unicodedata

# Bytes that no cp1258 text contains: their presence means "not Vietnamese Windows text".
_CONTROL_BYTES = bytes(c for c in range(32) if chr(c) not in "\t\n\r\f\x1a")


def clean_text(value: object) -> str | None:
    """NFC text without NULs or surrounding whitespace; None when nothing readable is left.

    Vietnamese typed on macOS arrives decomposed (NFD); search and equality need NFC.
    """
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray)):
        value = decode_bytes(bytes(value))
    text = unicodedata.normalize("NFC", str(value).replace("\x00", "")).strip()
    return text or None


def decode_bytes(raw: bytes) -> str:
    """UTF-8 when the bytes are valid UTF-8, otherwise Windows-1252 (what old cameras write)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def decode_utf16_bom(raw: bytes) -> str | None:
    """The text of UTF-16 bytes that start with a byte-order mark, or None."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return raw.decode("utf-16", errors="replace")
    return None


def decode_plain_text(raw: bytes, *, complete: bool = True) -> str:
    """Decode a text file: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1258.

    ``complete=False`` says ``raw`` is only the start of the file, so a character cut at
    its end is dropped instead of making the whole text look like another encoding.
    """
    utf16 = decode_utf16_bom(raw)
    if utf16 is not None:
        return utf16
    try:
        return codecs.getincrementaldecoder("utf-8-sig")().decode(raw, final=complete)
    except UnicodeDecodeError:
        # Vietnamese documents from before Unicode were mostly saved as Windows-1258.
        return raw.decode("cp1258", errors="replace")


def looks_like_legacy_text(raw: bytes) -> bool:
    """True when the bytes hold no control characters a text file would not have."""
    return len(raw.translate(None, _CONTROL_BYTES)) == len(raw)


class TextBudget:
    """Collects pieces of text up to a character limit, so extraction can stop reading early."""

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self.cut = False  # True once some text had to be left out
        self._parts: list[str] = []
        self._size = 0

    @property
    def exhausted(self) -> bool:
        return self._size >= self.max_chars

    def add(self, piece: str | None) -> None:
        if not piece:
            return
        room = self.max_chars - self._size
        if len(piece) > room:
            piece, self.cut = piece[:room], True
        if piece:
            self._parts.append(piece)
            self._size += len(piece) + 1

    def text(self) -> str:
        return unicodedata.normalize("NFC", "\n".join(self._parts).replace("\x00", "")).strip()
