"""An asset as simple Dublin Core: the element list that OAI-PMH (oai_dc) and the ZIP export both write."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from tfdb_dam.db.models import Asset, AssetKind, Category
from tfdb_dam.services.downloads import credit_line
from tfdb_dam.services.licences import licence_for

DC_NS = "http://purl.org/dc/elements/1.1/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# DCMI Type Vocabulary terms for each kind of asset.
DCMI_TYPES = {
    AssetKind.photo: "StillImage",
    AssetKind.video: "MovingImage",
    AssetKind.document: "Text",
    AssetKind.audio: "Sound",
}


@dataclass(frozen=True)
class DcElement:
    name: str  # one of the fifteen simple DC elements
    value: str
    lang: str | None = None


def _both(name: str, vi: str | None, en: str | None) -> list[DcElement]:
    return [
        DcElement(name, text.strip(), lang)
        for lang, text in (("vi", vi), ("en", en))
        if text and text.strip()
    ]


def dc_elements(
    asset: Asset, *, identifiers: list[str], categories: list[Category] | None = None, mime: str | None = None
) -> list[DcElement]:
    """Titles, descriptions, subjects and rights in both languages (xml:lang), then the facts.

    ``categories`` is the asset's category path from the top (labels become subjects); ``mime``
    the format of the file actually handed over when it is not the original.
    """
    elements = _both("title", asset.title_vi, asset.title_en)
    if asset.credit:
        elements.append(DcElement("creator", asset.credit))
    elements += [DcElement("subject", tag.name) for tag in asset.tags]
    for category in categories or ([asset.category] if asset.category else []):
        elements += _both("subject", category.label_vi, category.label_en)
    elements += _both("description", asset.description_vi, asset.description_en)
    if asset.source_unit:
        elements.append(DcElement("publisher", asset.source_unit))
    if asset.captured_at:
        elements.append(DcElement("date", asset.captured_at.date().isoformat()))
    elements.append(DcElement("type", DCMI_TYPES.get(asset.kind, "Image")))
    elements.append(DcElement("format", mime or asset.mime_type))
    elements += [DcElement("identifier", identifier) for identifier in identifiers]
    elements += rights_elements(asset)
    return elements


def rights_elements(asset: Asset) -> list[DcElement]:
    licence = licence_for(asset.license)
    found = []
    if licence:
        found += _both("rights", licence.label_vi, licence.label_en)
        if licence.url:
            found.append(DcElement("rights", licence.url))
    if asset.usage_terms:
        found.append(DcElement("rights", asset.usage_terms))
    line = credit_line(asset)
    if line:
        found.append(DcElement("rights", line))
    if asset.rights_expires_on:
        found.append(
            DcElement(
                "rights",
                f"Hết quyền sử dụng sau ngày / Rights end after {asset.rights_expires_on.isoformat()}",
            )
        )
    return found


def append_dc(parent: etree._Element, elements: list[DcElement]) -> None:
    """Write the elements as dc:* children of ``parent`` (which declares the dc namespace)."""
    for element in elements:
        node = etree.SubElement(parent, f"{{{DC_NS}}}{element.name}")
        node.text = _xml_safe(element.value)
        if element.lang:
            node.set(XML_LANG, element.lang)


def _xml_safe(text: str) -> str:
    # XML 1.0 cannot carry most control characters; a pasted caption sometimes does.
    return "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 0x20 and ch not in "\ufffe\uffff")
