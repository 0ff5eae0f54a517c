"""Owns reading the descriptive fields of an XMP packet (title, caption, keywords, credit, date, place)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from lxml import etree

from tfdb_dam.media.dates import parse_iso_datetime
from tfdb_dam.media.geo import GeoPoint, parse_xmp_coordinate, valid_point
from tfdb_dam.media.text import clean_text

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"
PHOTOSHOP = "http://ns.adobe.com/photoshop/1.0/"
XMP_BASIC = "http://ns.adobe.com/xap/1.0/"
EXIF_NS = "http://ns.adobe.com/exif/1.0/"
EXIF_EX = "http://cipa.jp/exif/1.0/"
AUX = "http://ns.adobe.com/exif/1.0/aux/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

MALFORMED_WARNING = "The XMP packet is not well-formed XML; only its readable part was used."
UNREADABLE_WARNING = "The XMP packet cannot be read as XML; it was ignored."

# Entities are never expanded and nothing is fetched: the packet comes from an untrusted file.
_STRICT = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_LENIENT = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=True
)
_PREFERRED_LANGUAGES = ("x-default", "vi", "en")


@dataclass
class XmpFields:
    title: str | None = None
    caption: str | None = None
    creator: str | None = None
    copyright: str | None = None
    keywords: list[str] = field(default_factory=list)
    captured_at: datetime | None = None
    lens: str | None = None
    gps: GeoPoint | None = None
    warnings: list[str] = field(default_factory=list)


def read_xmp(packet: bytes | str) -> XmpFields:
    """The fields of an XMP packet; a packet that is not XML gives empty fields and a warning."""
    root, warning = _parse(packet)
    fields = XmpFields(warnings=[warning] if warning else [])
    if root is None:
        return fields
    props = _Properties(root)
    fields.title = props.text(DC, "title") or props.text(PHOTOSHOP, "Headline")
    fields.caption = props.text(DC, "description")
    fields.creator = "; ".join(props.items(DC, "creator")) or None
    fields.copyright = props.text(DC, "rights")
    fields.keywords = _unique(props.items(DC, "subject"))
    fields.captured_at = _first_date(props)
    fields.lens = props.text(EXIF_EX, "LensModel") or props.text(AUX, "Lens")
    fields.gps = valid_point(
        parse_xmp_coordinate(props.text(EXIF_NS, "GPSLatitude")),
        parse_xmp_coordinate(props.text(EXIF_NS, "GPSLongitude")),
    )
    return fields


def _parse(packet: bytes | str) -> tuple[etree._Element | None, str | None]:
    text = _packet_text(packet)
    if not text:
        return None, None
    try:
        return etree.fromstring(text, _STRICT), None
    except etree.XMLSyntaxError:
        pass
    try:
        root = etree.fromstring(text, _LENIENT)
    except etree.XMLSyntaxError:
        root = None
    return (root, MALFORMED_WARNING) if root is not None else (None, UNREADABLE_WARNING)


def _packet_text(packet: bytes | str) -> str:
    """The packet as text, from the ``<x:xmpmeta>`` (or bare ``<rdf:RDF>``) element on."""
    text = packet if isinstance(packet, str) else _decode(packet)
    text = text.replace("\x00", "")
    starts = [i for i in (text.find("<x:xmpmeta"), text.find("<x:xapmeta"), text.find("<rdf:RDF")) if i >= 0]
    # Dropping the prologue drops any encoding declaration, which lxml refuses on str input.
    return text[min(starts) :].strip() if starts else ""


def _decode(raw: bytes) -> str:
    # XMP may be UTF-8, UTF-16 or UTF-32; UTF-16 shows as NULs beside the ASCII '<'.
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xfe\xff", "utf-16"), (b"\xff\xfe", "utf-16")):
        if raw.startswith(bom):
            return raw.decode(codec, errors="replace")
    if raw[:1] == b"\x00":
        return raw.decode("utf-16-be", errors="replace")
    if raw[1:2] == b"\x00":
        return raw.decode("utf-16-le", errors="replace")
    return raw.decode("utf-8", errors="replace")


def _first_date(props: _Properties) -> datetime | None:
    for namespace, name in (
        (EXIF_NS, "DateTimeOriginal"),
        (PHOTOSHOP, "DateCreated"),
        (XMP_BASIC, "CreateDate"),
    ):
        value = parse_iso_datetime(props.text(namespace, name))
        if value is not None:
            return value
    return None


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


class _Properties:
    """Properties of every rdf:Description, whether written as attributes or as elements."""

    def __init__(self, root: etree._Element) -> None:
        self._values: dict[str, list[etree._Element | str]] = {}
        for description in root.iter(f"{{{RDF}}}Description"):
            for name, value in description.attrib.items():
                self._values.setdefault(name, []).append(value)
            for child in description:
                if isinstance(child.tag, str):
                    self._values.setdefault(child.tag, []).append(child)

    def text(self, namespace: str, name: str) -> str | None:
        """A simple or language-alternative property as one string."""
        for value in self._values.get(f"{{{namespace}}}{name}", []):
            found = clean_text(value) if isinstance(value, str) else _element_text(value)
            if found:
                return found
        return None

    def items(self, namespace: str, name: str) -> list[str]:
        """A Bag or Seq property as a list; a simple value gives a list of one."""
        found: list[str] = []
        for value in self._values.get(f"{{{namespace}}}{name}", []):
            if isinstance(value, str):
                found.extend(_split_simple(value))
                continue
            items = value.findall(f"./*/{{{RDF}}}li")
            found.extend(
                filter(None, (_li_text(li) for li in items)) if items else _split_simple(_element_text(value))
            )
        return found


def _split_simple(text: str | None) -> list[str]:
    cleaned = clean_text(text)
    return [cleaned] if cleaned else []


def _element_text(element: etree._Element) -> str | None:
    items = element.findall(f"./{{{RDF}}}Alt/{{{RDF}}}li") or element.findall(f"./*/{{{RDF}}}li")
    if not items:
        return clean_text(element.get(f"{{{RDF}}}resource") or "".join(element.itertext()))
    by_language = {li.get(XML_LANG, "x-default").lower(): li for li in items}
    for language in _PREFERRED_LANGUAGES:
        if language in by_language:
            return _li_text(by_language[language])
    return _li_text(items[0])


def _li_text(li: etree._Element) -> str | None:
    return clean_text("".join(li.itertext()))
