"""Reading embedded metadata back from a JPEG, written independently of tfdb_dam.media.embed."""

from __future__ import annotations

import io
import struct

import exifread
from lxml import etree

XMP_ID = b"http://ns.adobe.com/xap/1.0/\x00"
NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
}
LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def app_segments(jpeg: bytes) -> list[tuple[int, bytes]]:
    """(marker, payload) of each segment before the image data."""
    assert jpeg[:2] == b"\xff\xd8"
    found, pos = [], 2
    while True:
        marker = jpeg[pos + 1]
        if marker == 0xDA:
            return found
        (length,) = struct.unpack(">H", jpeg[pos + 2 : pos + 4])
        found.append((marker, jpeg[pos + 4 : pos + 2 + length]))
        pos += 2 + length


def image_data(jpeg: bytes) -> bytes:
    """Everything from the start of scan on: the compressed pixels, which embedding must not touch."""
    return jpeg[jpeg.index(b"\xff\xda") :]


def exif_tags(jpeg: bytes) -> dict[str, str]:
    tags = exifread.process_file(io.BytesIO(jpeg), details=False)
    return {k: str(v) for k, v in tags.items()}


def iptc_datasets(jpeg: bytes) -> dict[tuple[int, int], list[bytes]]:
    """IIM datasets from the Photoshop APP13 segment's 0x0404 resource."""
    photoshop = [
        body
        for marker, body in app_segments(jpeg)
        if marker == 0xED and body.startswith(b"Photoshop 3.0\x00")
    ]
    assert len(photoshop) == 1, "one Photoshop APP13 segment expected"
    body, pos, iim = photoshop[0], 14, None
    while pos < len(body) and body[pos : pos + 4] == b"8BIM":
        resource = int.from_bytes(body[pos + 4 : pos + 6], "big")
        name_len = body[pos + 6]
        pos += 6 + name_len + 1 + ((name_len + 1) % 2)
        size = int.from_bytes(body[pos : pos + 4], "big")
        data = body[pos + 4 : pos + 4 + size]
        pos += 4 + size + size % 2
        if resource == 0x0404:
            iim = data
    assert iim is not None, "no IPTC-NAA resource"
    datasets: dict[tuple[int, int], list[bytes]] = {}
    pos = 0
    while pos < len(iim):
        assert iim[pos] == 0x1C
        record, number, size = iim[pos + 1], iim[pos + 2], int.from_bytes(iim[pos + 3 : pos + 5], "big")
        datasets.setdefault((record, number), []).append(iim[pos + 5 : pos + 5 + size])
        pos += 5 + size
    return datasets


def iptc_text(jpeg: bytes) -> dict[str, object]:
    sets = iptc_datasets(jpeg)
    assert sets[(1, 90)] == [b"\x1b%G"], "IPTC must declare UTF-8"
    one = lambda n: sets[(2, n)][0].decode("utf-8") if (2, n) in sets else None  # noqa: E731
    return {
        "by_line": one(80),
        "credit": one(110),
        "source": one(115),
        "copyright": one(116),
        "caption": one(120),
        "object_name": one(5),
        "keywords": [k.decode("utf-8") for k in sets.get((2, 25), [])],
    }


def xmp_root(jpeg: bytes) -> etree._Element:
    packets = [
        body[len(XMP_ID) :]
        for marker, body in app_segments(jpeg)
        if marker == 0xE1 and body.startswith(XMP_ID)
    ]
    assert len(packets) == 1, "one XMP packet expected"
    text = packets[0].decode("utf-8")
    start, end = text.index("<x:xmpmeta"), text.index("</x:xmpmeta>") + len("</x:xmpmeta>")
    return etree.fromstring(text[start:end].encode("utf-8"))


def xmp_alt(root: etree._Element, path: str) -> dict[str, str]:
    return {li.get(LANG): li.text for li in root.findall(f".//{path}/rdf:Alt/rdf:li", NS)}


def xmp_text(root: etree._Element, path: str) -> str | None:
    node = root.find(f".//{path}", NS)
    return node.text if node is not None else None
