"""Owns the byte signatures that tell file formats apart from the first bytes of a file (pure, no I/O)."""

from __future__ import annotations

# (offset, magic, ext) for formats a fixed signature identifies on its own.
_SIMPLE_MEDIA: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\xff\xd8\xff", "jpg"),
    (0, b"\x89PNG\r\n\x1a\n", "png"),
    (0, b"GIF87a", "gif"),
    (0, b"GIF89a", "gif"),
    (0, b"II*\x00", "tif"),
    (0, b"MM\x00*", "tif"),
    (0, b"II+\x00", "tif"),
    (0, b"MM\x00+", "tif"),
    (0, b"{\\rtf", "rtf"),
    (0, b"fLaC", "flac"),
    (0, b"ID3", "mp3"),
    (0, b"FLV\x01", "flv"),
    (0, b"\x00\x00\x01\xba", "mpg"),
    (0, b"\x00\x00\x01\xb3", "mpg"),
    (0, bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c"), "wmv"),
)

_RIFF_FORMS = {b"WEBP": "webp", b"AVI ": "avi", b"WAVE": "wav"}

_FTYP_BRANDS = {
    **dict.fromkeys(["heic", "heix", "heim", "heis", "hevc", "hevx"], "heic"),
    **dict.fromkeys(["avif", "avis"], "avif"),
    **dict.fromkeys(["mif1", "msf1"], "heif"),
    "qt  ": "mov",
    **dict.fromkeys(["M4A ", "M4B ", "F4A "], "m4a"),
    **dict.fromkeys(["3gp4", "3gp5", "3gp6", "3gp7", "3g2a", "3g2b", "3g2c", "3ge6", "3gg6"], "3gp"),
    **dict.fromkeys(
        [
            "isom",
            "iso2",
            "iso4",
            "iso5",
            "iso6",
            "mp41",
            "mp42",
            "avc1",
            "dash",
            "mmp4",
            "M4V ",
            "M4VH",
            "M4VP",
            "MSNV",
            "NDAS",
            "XAVC",
            "f4v ",
            "hvc1",
        ],
        "mp4",
    ),
}

# Atoms that open an old QuickTime file written before the ftyp box existed.
_QUICKTIME_ATOMS = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}

# (offset, magic, family) of formats refused whatever the file is called.
_FORBIDDEN: tuple[tuple[int, bytes, str], ...] = (
    (0, b"MZ", "program"),
    (0, b"\x7fELF", "program"),
    (0, b"\xfe\xed\xfa\xce", "program"),
    (0, b"\xfe\xed\xfa\xcf", "program"),
    (0, b"\xce\xfa\xed\xfe", "program"),
    (0, b"\xcf\xfa\xed\xfe", "program"),
    (0, b"\xca\xfe\xba\xbe", "program"),
    (0, b"\x00asm", "program"),
    (0, b"#!", "script"),
    (0, b"L\x00\x00\x00\x01\x14\x02\x00", "shortcut"),
    (0, b"\x1f\x8b", "archive"),
    (0, b"7z\xbc\xaf\x27\x1c", "archive"),
    (0, b"Rar!\x1a\x07", "archive"),
    (0, b"BZh", "archive"),
    (0, b"\xfd7zXZ\x00", "archive"),
    (0, b"\x28\xb5\x2f\xfd", "archive"),
    (0, b"MSCF", "archive"),
    (0, b"!<arch>", "archive"),
    (257, b"ustar", "archive"),
    (0x8001, b"CD001", "disc"),
    (0x8801, b"CD001", "disc"),
    (0x9001, b"CD001", "disc"),
    (0x8001, b"BEA01", "disc"),
    (0, b"\x00\x01\x00\x00\x00", "font"),
    (0, b"true\x00", "font"),
    (0, b"typ1\x00", "font"),
    (0, b"OTTO", "font"),
    (0, b"ttcf", "font"),
    (0, b"wOFF", "font"),
    (0, b"wOF2", "font"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
)

ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")

# How many bytes of the file the functions below need to see.
HEAD_SIZE = 0x9010


def media_ext(head: bytes) -> str | None:
    """The canonical extension of a photo, video, audio or PDF the first bytes prove, or None.

    ZIP files come back as "zip": only their directory tells an OOXML document apart.
    """
    for offset, magic, ext in _SIMPLE_MEDIA:
        if head.startswith(magic, offset):
            return ext
    for detector in (_riff, _iso_bmff, _ebml, _transport_stream, _ogg, _mpeg_audio, _bmp, _pdf):
        ext = detector(head)
        if ext:
            return ext
    return "zip" if head.startswith(ZIP_MAGICS) else None


def forbidden_label(head: bytes) -> str | None:
    """Which refused family (program, archive, font, ...) the first bytes prove, or None."""
    for offset, magic, label in _FORBIDDEN:
        if head.startswith(magic, offset):
            return label
    return None


def _riff(head: bytes) -> str | None:
    return _RIFF_FORMS.get(head[8:12]) if head.startswith(b"RIFF") else None


def _iso_bmff(head: bytes) -> str | None:
    if head[4:8] == b"ftyp":
        return _ftyp_ext(head)
    if head[4:8] in _QUICKTIME_ATOMS and int.from_bytes(head[:4], "big") >= 8:
        return "mov"
    return None


def _ftyp_ext(head: bytes) -> str | None:
    box_size = min(int.from_bytes(head[:4], "big"), 512)
    major = head[8:12].decode("latin-1")
    compatible = {head[i : i + 4].decode("latin-1") for i in range(16, max(box_size, 16), 4)}
    # A generic HEIF brand (mif1) says only "still image"; the compatible brands say which codec.
    if major in ("mif1", "msf1"):
        for brand in ("heic", "heix", "avif"):
            if brand in compatible:
                return _FTYP_BRANDS[brand]
    if major in _FTYP_BRANDS:
        return _FTYP_BRANDS[major]
    return "mp4" if compatible & {"isom", "iso2", "mp41", "mp42"} else None


def _ebml(head: bytes) -> str | None:
    if not head.startswith(b"\x1a\x45\xdf\xa3"):
        return None
    return "webm" if b"webm" in head[:64] else "mkv"


def _transport_stream(head: bytes) -> str | None:
    # MPEG-TS packets are 188 bytes, each starting with 0x47; Blu-ray/AVCHD (.mts/.m2ts)
    # prefixes each packet with a 4-byte timestamp, giving 192-byte packets.
    # Five sync bytes in a row make a chance match in other data negligible.
    if len(head) >= 192 * 5 and all(head[4 + 192 * i] == 0x47 for i in range(5)):
        return "mts"
    if len(head) >= 188 * 5 and all(head[188 * i] == 0x47 for i in range(5)):
        return "ts"
    return None


def _ogg(head: bytes) -> str | None:
    if not head.startswith(b"OggS"):
        return None
    return "ogv" if b"\x80theora" in head[:512] else "ogg"


def _mpeg_audio(head: bytes) -> str | None:
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return None
    layer = (head[1] >> 1) & 0b11
    if layer == 0:
        return "aac" if head[1] & 0xF6 == 0xF0 else None
    bitrate_index, rate_index = head[2] >> 4, (head[2] >> 2) & 0b11
    return "mp3" if bitrate_index not in (0, 15) and rate_index != 3 else None


def _bmp(head: bytes) -> str | None:
    header_size = int.from_bytes(head[14:18], "little")
    return "bmp" if head.startswith(b"BM") and header_size in (12, 40, 52, 56, 64, 108, 124) else None


def _pdf(head: bytes) -> str | None:
    # The PDF reference lets the header sit anywhere in the first 1024 bytes.
    return "pdf" if b"%PDF-" in head[:1024] else None
