"""OAI-PMH 2.0 XML: the envelope, errors, headers, oai_dc records, datestamps and resumption tokens."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
from dataclasses import asdict, dataclass

from lxml import etree

from tfdb_dam.services.dublincore import DC_NS, DcElement, append_dc

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


class OaiError(Exception):
    """One OAI-PMH error condition (sent as <error code=…> with HTTP 200, as the protocol asks)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def utc_stamp(value: dt.datetime) -> str:
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class DateBound:
    at: dt.datetime
    day: bool  # given as YYYY-MM-DD


def parse_datestamp(raw: str, name: str) -> DateBound:
    try:
        if _DAY.match(raw):
            return DateBound(dt.datetime.strptime(raw, "%Y-%m-%d").replace(tzinfo=dt.timezone.utc), True)
        if _SECOND.match(raw):
            return DateBound(
                dt.datetime.strptime(raw, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc), False
            )
    except ValueError:
        pass
    raise OaiError(
        "badArgument", f"The {name} argument must be a date YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ (UTC)."
    )


def until_exclusive(bound: DateBound) -> dt.datetime:
    """`until` is inclusive at its own granularity: the whole day, or the whole second."""
    return bound.at + (dt.timedelta(days=1) if bound.day else dt.timedelta(seconds=1))


@dataclass(frozen=True)
class ListToken:
    """Where a list stopped and what it was asked for; harvesters send it back verbatim."""

    verb: str
    prefix: str
    set: str | None
    from_: str | None
    until: str | None
    after_stamp: str  # full-precision datestamp of the last record sent
    after_id: int
    cursor: int  # records sent before the next page

    def encode(self) -> str:
        raw = json.dumps(asdict(self), separators=(",", ":")).encode("utf-8")
        return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")

    @classmethod
    def decode(cls, token: str, verb: str) -> "ListToken":
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            data = json.loads(raw.decode("utf-8"))
            parsed = cls(**data)
            dt.datetime.fromisoformat(parsed.after_stamp)
            texts = (parsed.set, parsed.from_, parsed.until)
            valid = (
                isinstance(parsed.after_id, int)
                and isinstance(parsed.cursor, int)
                and parsed.cursor >= 0
                and parsed.verb == verb
                and isinstance(parsed.prefix, str)
                and all(t is None or isinstance(t, str) for t in texts)
            )
        except (ValueError, TypeError, binascii.Error, UnicodeDecodeError, json.JSONDecodeError):
            valid = False
        if not valid:
            raise OaiError(
                "badResumptionToken", "The resumptionToken is not one this repository issued for this verb."
            )
        return parsed


def envelope(base_url: str, args: dict[str, str] | None) -> etree._Element:
    """<OAI-PMH> with responseDate and request; ``args`` None leaves out the attributes (bad requests)."""
    root = etree.Element(f"{{{OAI_NS}}}OAI-PMH", nsmap={None: OAI_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_NS} {OAI_SCHEMA}")
    etree.SubElement(root, f"{{{OAI_NS}}}responseDate").text = utc_stamp(dt.datetime.now(dt.timezone.utc))
    request = etree.SubElement(root, f"{{{OAI_NS}}}request")
    request.text = base_url
    for name, value in (args or {}).items():
        request.set(name, value)
    return root


def add(parent: etree._Element, name: str, text: str | None = None, **attributes: str) -> etree._Element:
    node = etree.SubElement(parent, f"{{{OAI_NS}}}{name}", **attributes)
    if text is not None:
        node.text = text
    return node


def error(root: etree._Element, exc: OaiError) -> None:
    add(root, "error", str(exc), code=exc.code)


def header(
    parent: etree._Element, identifier: str, stamp: dt.datetime, specs: list[str], deleted: bool
) -> None:
    node = add(parent, "header", status="deleted") if deleted else add(parent, "header")
    add(node, "identifier", identifier)
    add(node, "datestamp", utc_stamp(stamp))
    for spec in specs:
        add(node, "setSpec", spec)


def oai_dc(parent: etree._Element, elements: list[DcElement]) -> None:
    metadata = add(parent, "metadata")
    dc = etree.SubElement(
        metadata, f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS}
    )
    dc.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} {OAI_DC_SCHEMA}")
    append_dc(dc, elements)


def to_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
