"""Validating OAI-PMH responses against the protocol's own schemas, offline."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import xmlschema
from lxml import etree

SCHEMAS = Path(__file__).resolve().parent / "schemas"
NS = {
    "oai": "http://www.openarchives.org/OAI/2.0/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@lru_cache(maxsize=1)
def oai_schema() -> xmlschema.XMLSchema:
    # oai_dc is loaded beside OAI-PMH so the strict wildcard in <metadata> checks the records too;
    # "sandbox" forbids reading anything outside this folder (no network, no stray files).
    return xmlschema.XMLSchema(
        [str(SCHEMAS / "OAI-PMH.xsd"), str(SCHEMAS / "oai_dc.xsd")], base_url=str(SCHEMAS), allow="sandbox"
    )


def valid_oai(body: bytes) -> etree._Element:
    """Parse a response, fail the test unless it validates against OAI-PMH.xsd + oai_dc.xsd."""
    root = etree.fromstring(body)
    oai_schema().validate(root, use_location_hints=False)
    return root


def errors_of(root: etree._Element) -> list[str]:
    return [e.get("code") for e in root.findall("oai:error", NS)]
