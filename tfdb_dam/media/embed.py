"""Owns writing credit, licence and caption into a copy of a JPEG: EXIF, IPTC IIM and XMP, all UTF-8.

The image data is copied byte for byte (no re-encoding). Old EXIF is kept and its three text tags
replaced; the old XMP and IPTC are replaced whole, so no stale caption survives next to ours.
Other segments (JFIF, ICC profile, Photoshop resources other than IPTC) are kept.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from lxml import etree
from PIL import Image

from tfdb_dam.errors import RejectedFile
from tfdb_dam.media.imaging import DECODE_ERRORS

XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
XMP_EXTENSION_HEADER = b"http://ns.adobe.com/xmp/extension/\x00"
EXIF_HEADER = b"Exif\x00\x00"
PHOTOSHOP_HEADER = b"Photoshop 3.0\x00"
IIM_RESOURCE, IIM_DIGEST_RESOURCE = 0x0404, 0x0425
# A JPEG segment holds at most 65535 bytes including its 2-byte length.
MAX_SEGMENT_PAYLOAD = 65533
# Longer texts would not fit the one standard XMP segment three times over (x-default, vi, en);
# press captions are far shorter, and the full text stays in the library.
MAX_TEXT_CHARS = 4000

_NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_EXIF_DESCRIPTION, _EXIF_ARTIST, _EXIF_COPYRIGHT = 0x010E, 0x013B, 0x8298
_STANDALONE_MARKERS = {0x01, *range(0xD0, 0xD8)}
NOT_JPEG_MESSAGE = "file.jpeg_not_writable"  # a catalogue key (tfdb_dam/messages/files.py)


@dataclass(frozen=True)
class EmbeddedRights:
    """What a press-ready copy says about itself. Texts keyed by language ("vi", "en")."""

    creator: str | None = None  # EXIF Artist, IPTC By-line, dc:creator
    credit_line: str | None = None  # IPTC Credit, photoshop:Credit
    copyright: str | None = None  # EXIF Copyright, IPTC Copyright Notice, dc:rights
    source: str | None = None  # IPTC Source, photoshop:Source (the contributing unit)
    licence_url: str | None = None  # xmpRights:WebStatement
    usage_terms: str | None = None  # xmpRights:UsageTerms
    title: dict[str, str] = field(default_factory=dict)
    caption: dict[str, str] = field(default_factory=dict)
    keywords: tuple[str, ...] = ()

    def bilingual(self, texts: dict[str, str]) -> str | None:
        parts = [texts.get(lang, "").strip() for lang in ("vi", "en")]
        unique = list(dict.fromkeys(p[:MAX_TEXT_CHARS] for p in parts if p))
        return "\n".join(unique) or None


def embed_jpeg_metadata(jpeg: bytes, rights: EmbeddedRights) -> bytes:
    """A copy of ``jpeg`` carrying ``rights`` in EXIF, IPTC and XMP; the input is not changed."""
    segments, scan = split_jpeg(jpeg)
    old_exif = next(
        (body for marker, body in segments if marker == 0xE1 and body.startswith(EXIF_HEADER)), None
    )
    kept_resources = [
        r
        for marker, body in segments
        if marker == 0xED and body.startswith(PHOTOSHOP_HEADER)
        for r in _photoshop_resources(body)
        if r[0] not in (IIM_RESOURCE, IIM_DIGEST_RESOURCE)
    ]
    kept = [(m, b) for m, b in segments if not _replaced(m, b)]
    leading = kept[:1] if kept and kept[0][0] == 0xE0 else []  # JFIF must stay first
    ours = [
        (0xE1, _exif_payload(old_exif, rights)),
        (0xE1, XMP_HEADER + xmp_packet(rights)),
        (0xED, _photoshop_payload(kept_resources, iim_block(rights))),
    ]
    ordered = leading + ours + kept[len(leading) :]
    return b"\xff\xd8" + b"".join(_segment(m, b) for m, b in ordered) + scan


def split_jpeg(jpeg: bytes) -> tuple[list[tuple[int, bytes]], bytes]:
    """The marker segments before the first scan as (marker, payload), and the rest from SOS on."""
    if not jpeg.startswith(b"\xff\xd8"):
        raise RejectedFile(NOT_JPEG_MESSAGE)
    segments: list[tuple[int, bytes]] = []
    pos = 2
    while pos < len(jpeg):
        if jpeg[pos] != 0xFF:
            raise RejectedFile("file.jpeg_corrupt_header")
        start = pos
        while pos < len(jpeg) and jpeg[pos] == 0xFF:  # fill bytes may pad before a marker
            pos += 1
        if pos >= len(jpeg):
            break
        marker = jpeg[pos]
        pos += 1
        if marker == 0xDA:
            return segments, jpeg[start:]
        if marker in _STANDALONE_MARKERS:
            continue
        length = int.from_bytes(jpeg[pos : pos + 2], "big")
        if marker == 0xD9 or length < 2 or pos + length > len(jpeg):
            break
        segments.append((marker, jpeg[pos + 2 : pos + length]))
        pos += length
    raise RejectedFile("file.jpeg_no_image_data")


def _replaced(marker: int, body: bytes) -> bool:
    if marker == 0xE1:
        return body.startswith((EXIF_HEADER, XMP_HEADER, XMP_EXTENSION_HEADER))
    return marker == 0xED and body.startswith(PHOTOSHOP_HEADER)


def _segment(marker: int, payload: bytes) -> bytes:
    if len(payload) > MAX_SEGMENT_PAYLOAD:
        raise RejectedFile("file.metadata_too_long")
    return bytes((0xFF, marker)) + (len(payload) + 2).to_bytes(2, "big") + payload


# --- EXIF ---------------------------------------------------------------------------------
def _exif_payload(old: bytes | None, rights: EmbeddedRights) -> bytes:
    # The tags are typed ASCII, but UTF-8 there is what current cameras, ExifTool and exifread use.
    values = {
        _EXIF_ARTIST: rights.creator,
        _EXIF_COPYRIGHT: rights.copyright,
        _EXIF_DESCRIPTION: rights.bilingual(rights.caption),
    }
    for base in (old, None):
        exif = Image.Exif()
        try:
            if base:
                exif.load(base)
            for tag, value in values.items():
                if value:
                    exif[tag] = value.encode("utf-8")
                else:
                    exif.pop(tag, None)
            payload = exif.tobytes()
        except DECODE_ERRORS + (struct.error,):  # a damaged camera EXIF block: write ours alone
            continue
        if len(payload) <= MAX_SEGMENT_PAYLOAD:
            return payload
    raise RejectedFile("file.exif_not_writable")


# --- IPTC IIM -----------------------------------------------------------------------------
def _dataset(record: int, number: int, value: bytes) -> bytes:
    if len(value) > 0x7FFF:
        value = value[:0x7FFF].decode("utf-8", "ignore").encode("utf-8")
    return bytes((0x1C, record, number)) + len(value).to_bytes(2, "big") + value


def iim_block(rights: EmbeddedRights) -> bytes:
    """IIM datasets: record 1 declares UTF-8 (ESC % G), record 2 carries the texts."""
    title = rights.bilingual(rights.title)
    fields = (
        (5, title and title.replace("\n", " / ")),
        (80, rights.creator),
        (110, rights.credit_line),
        (115, rights.source),
        (116, rights.copyright),
        (120, rights.bilingual(rights.caption)),
    )
    block = _dataset(1, 90, b"\x1b%G") + _dataset(2, 0, (4).to_bytes(2, "big"))
    for keyword in rights.keywords:
        block += _dataset(2, 25, keyword.encode("utf-8"))
    for number, value in sorted(fields):
        if value:
            block += _dataset(2, number, value.encode("utf-8"))
    return block


def _photoshop_resources(body: bytes) -> list[tuple[int, bytes, bytes]]:
    """(id, name field, data) of each image resource; stops quietly at damage."""
    found, pos = [], len(PHOTOSHOP_HEADER)
    while pos + 12 <= len(body) and body[pos : pos + 4] == b"8BIM":
        resource_id = int.from_bytes(body[pos + 4 : pos + 6], "big")
        name_len = body[pos + 6]
        name_field = body[pos + 6 : pos + 6 + name_len + 1 + ((name_len + 1) % 2)]
        size_at = pos + 6 + len(name_field)
        size = int.from_bytes(body[size_at : size_at + 4], "big")
        data = body[size_at + 4 : size_at + 4 + size]
        if len(data) != size:
            break
        found.append((resource_id, name_field, data))
        pos = size_at + 4 + size + size % 2
    return found


def _resource(resource_id: int, name_field: bytes, data: bytes) -> bytes:
    return (
        b"8BIM"
        + resource_id.to_bytes(2, "big")
        + name_field
        + len(data).to_bytes(4, "big")
        + data
        + b"\x00" * (len(data) % 2)
    )


def _photoshop_payload(kept: list[tuple[int, bytes, bytes]], iim: bytes) -> bytes:
    ours = _resource(IIM_RESOURCE, b"\x00\x00", iim)
    others = b"".join(_resource(*r) for r in kept)
    if len(PHOTOSHOP_HEADER) + len(ours) + len(others) > MAX_SEGMENT_PAYLOAD:
        others = b""  # old resources (thumbnails, print settings) matter less than the credit
    return PHOTOSHOP_HEADER + ours + others


# --- XMP ----------------------------------------------------------------------------------
def _q(prefix: str, name: str) -> str:
    return f"{{{_NS[prefix]}}}{name}"


def _languages(texts: dict[str, str]) -> list[tuple[str, str]]:
    """x-default repeats the Vietnamese text (the library's first language), then vi and en."""
    ordered = [
        (lang, texts[lang].strip()[:MAX_TEXT_CHARS])
        for lang in ("vi", "en")
        if (texts.get(lang) or "").strip()
    ]
    return [("x-default", ordered[0][1]), *ordered] if ordered else []


def _alt(parent: etree._Element, name: str, entries: list[tuple[str, str]]) -> None:
    if not entries:
        return
    alt = etree.SubElement(etree.SubElement(parent, name), _q("rdf", "Alt"))
    for lang, text in entries:
        li = etree.SubElement(alt, _q("rdf", "li"))
        li.set(_XML_LANG, lang)
        li.text = text


def _simple(parent: etree._Element, name: str, value: str | None) -> None:
    if value:
        etree.SubElement(parent, name).text = value


def _array(parent: etree._Element, name: str, kind: str, values: list[str]) -> None:
    if values:
        container = etree.SubElement(etree.SubElement(parent, name), _q("rdf", kind))
        for value in values:
            etree.SubElement(container, _q("rdf", "li")).text = value


def xmp_packet(rights: EmbeddedRights) -> bytes:
    root = etree.Element(_q("x", "xmpmeta"), nsmap={"x": _NS["x"]})
    rdf = etree.SubElement(root, _q("rdf", "RDF"), nsmap={"rdf": _NS["rdf"]})
    desc = etree.SubElement(
        rdf, _q("rdf", "Description"), nsmap={k: _NS[k] for k in ("dc", "photoshop", "xmpRights")}
    )
    desc.set(_q("rdf", "about"), "")
    _array(desc, _q("dc", "creator"), "Seq", [rights.creator] if rights.creator else [])
    _alt(desc, _q("dc", "rights"), [("x-default", rights.copyright)] if rights.copyright else [])
    _alt(desc, _q("dc", "title"), _languages(rights.title))
    _alt(desc, _q("dc", "description"), _languages(rights.caption))
    _array(desc, _q("dc", "subject"), "Bag", list(rights.keywords))
    _simple(desc, _q("photoshop", "Credit"), rights.credit_line)
    _simple(desc, _q("photoshop", "Source"), rights.source)
    _simple(desc, _q("xmpRights", "Marked"), "True" if rights.copyright or rights.licence_url else None)
    _simple(desc, _q("xmpRights", "WebStatement"), rights.licence_url)
    _alt(
        desc, _q("xmpRights", "UsageTerms"), [("x-default", rights.usage_terms)] if rights.usage_terms else []
    )
    body = etree.tostring(root, encoding="utf-8")
    # Padding lets other tools edit the packet in place; dropped when space is short.
    padding = b"\n" + (b" " * 99 + b"\n") * 20
    if len(XMP_HEADER) + len(body) + len(padding) + 100 > MAX_SEGMENT_PAYLOAD:
        padding = b"\n"
    return (
        b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        + body
        + padding
        + b'<?xpacket end="w"?>'
    )
