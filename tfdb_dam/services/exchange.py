"""Exporting a collection or a search result as an exchange ZIP: files, metadata CSV, Dublin Core + schema.

Layout of the ZIP::

    metadata.csv                 the import format (what `tfdb import --metadata` and import-zip read)
    dublin_core.xml              one Dublin Core record per file, valid against schemas/tfdb-exchange.xsd
    schemas/*.xsd                the XML Schema files
    files/<name>                 the files: originals where the exporter may have them, else the preview

The ZIP is read back by ``exchange_import``.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from tfdb_dam.db.models import Asset, CollectionItem, Download
from tfdb_dam.errors import StorageError, UsageError
from tfdb_dam.services import audit, catalog, search
from tfdb_dam.services.search_types import MAX_PER_PAGE as SEARCH_MAX_PER_PAGE
from tfdb_dam.services.search_types import SearchRequest
from tfdb_dam.services.actors import Actor
from tfdb_dam.services.collection_access import visible_collection
from tfdb_dam.services.context import Context
from tfdb_dam.services.downloads import ORIGINAL, default_rendition, may_download_original, prepare_file
from tfdb_dam.services.dublincore import DC_NS, append_dc, dc_elements
from tfdb_dam.services.exchange_schema import EXCHANGE_NS, EXCHANGE_XSD, SCHEMA_DIR, schema_files
from tfdb_dam.services.ingest_metadata import CSV_COLUMNS
from tfdb_dam.services.visibility import visible_to

METADATA_CSV = "metadata.csv"
DUBLIN_CORE_XML = "dublin_core.xml"
FILES_DIR = "files"
# Rights travel with the files: the import format's columns, then these two (ignored by plain CSV imports).
EXPORT_COLUMNS = (*CSV_COLUMNS, "usage_terms", "rights_expires_on")
MAX_EXPORT_ASSETS = 10_000
_ALREADY_COMPRESSED = {
    "jpg",
    "png",
    "gif",
    "webp",
    "heic",
    "heif",
    "avif",
    "mp4",
    "mov",
    "webm",
    "mkv",
    "mp3",
    "m4a",
    "aac",
    "ogg",
    "ogv",
    "docx",
    "xlsx",
    "pptx",
    "flv",
    "3gp",
    "wmv",
    "mts",
    "ts",
}
_XSI = "http://www.w3.org/2001/XMLSchema-instance"


@dataclass
class ExportReport:
    path: Path
    asset_ids: list[int] = field(default_factory=list)
    originals: int = 0
    previews: int = 0


def select_assets(
    session: Session, ctx: Context, actor: Actor, *, collection_id: int | None = None, query: str | None = None
) -> list[Asset]:
    """The assets to export: a collection's (by id) or a search's (in its ranking), only those
    ``actor`` may see."""
    if (collection_id is None) == (query is None):
        raise UsageError("exchange.source_choice")
    if collection_id is not None:
        _check_collection(session, actor, collection_id)
        chosen = select(Asset).where(
            visible_to(actor),
            exists().where(
                CollectionItem.collection_id == collection_id, CollectionItem.asset_id == Asset.id
            ),
        )
        assets = list(session.execute(chosen.order_by(Asset.id).limit(MAX_EXPORT_ASSETS + 1)).scalars())
    else:
        assets = _search_result(session, ctx, actor, query or "")
    if len(assets) > MAX_EXPORT_ASSETS:
        raise UsageError("exchange.too_many_assets", limit=MAX_EXPORT_ASSETS)
    return assets


def _search_result(session: Session, ctx: Context, actor: Actor, query: str) -> list[Asset]:
    # The same hybrid search as the app and the API, in its ranking, so "export this search"
    # exports exactly what the searcher was shown.
    request = SearchRequest(query=query, per_page=SEARCH_MAX_PER_PAGE, with_facets=False)
    ids: list[int] = []
    while True:
        result = search.search(session, ctx, actor, request)
        ids += [hit.asset_id for hit in result.hits]
        # Browsing stops counting at a cap (``total_exact`` False): then only a short page ends it.
        last = len(result.hits) < request.per_page or (result.total_exact and len(ids) >= result.total)
        if last or len(ids) > MAX_EXPORT_ASSETS:
            return catalog.load_in_order(session, ids)
        request.page += 1


def _check_collection(session: Session, actor: Actor, collection_id: int) -> None:
    visible_collection(session, actor, collection_id)  # the collections rule; NotFound otherwise


def export_zip(
    ctx: Context, actor: Actor, output: Path, *, collection_id: int | None = None, query: str | None = None
) -> ExportReport:
    """Write the exchange ZIP to ``output`` (via a temporary file beside it); logged per asset."""
    report = ExportReport(output)
    partial = output.with_name(output.name + ".part")
    try:
        with ctx.db.begin() as session, zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            assets = select_assets(session, ctx, actor, collection_id=collection_id, query=query)
            rows, records, names = [], [], set()
            for asset in assets:
                exported = _add_file(ctx, session, actor, archive, asset, names, report)
                rows.append(csv_row(asset, exported))
                records.append((asset, exported))
            archive.writestr(METADATA_CSV, metadata_csv(rows))
            archive.writestr(DUBLIN_CORE_XML, dublin_core_xml(records, len(records)))
            for name, text in schema_files().items():
                archive.writestr(name, text)
            audit.record(
                session,
                actor,
                "assets.export",
                object_type="export",
                object_id=output.name,
                details={"collection_id": collection_id, "query": query, "assets": report.asset_ids},
            )
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
    return report


@dataclass(frozen=True)
class ExportedFile:
    entry: str  # name inside the ZIP
    rendition: str  # "original", or the preview given to those who may not have originals
    sha256: str
    mime: str


def _add_file(
    ctx: Context,
    session: Session,
    actor: Actor,
    archive: zipfile.ZipFile,
    asset: Asset,
    names: set[str],
    report: ExportReport,
) -> ExportedFile:
    """Originals go as stored (their SHA-256 names them in every instance); previews carry the credit."""
    if may_download_original(actor):
        path = ctx.store.original_path(asset.sha256, asset.ext)
        if not path.is_file():
            raise StorageError("storage.original_missing_verify", asset_id=asset.id)
        exported = ExportedFile(
            f"{FILES_DIR}/{unique_name(asset, None, names)}", ORIGINAL, asset.sha256, asset.mime_type
        )
        archive.write(path, exported.entry, compress_type=_compression(exported.entry))
    else:
        found = prepare_file(ctx, session, actor, asset, default_rendition(asset))
        data = found.content()
        exported = ExportedFile(
            f"{FILES_DIR}/{unique_name(asset, found.filename, names)}",
            found.rendition,
            hashlib.sha256(data).hexdigest(),
            found.mime,
        )
        archive.writestr(exported.entry, data, compress_type=_compression(exported.entry))
    session.add(
        Download(
            asset_id=asset.id,
            user_id=actor.user_id,
            api_key_id=getattr(actor, "api_key_id", None),
            rendition=exported.rendition,
            purpose="other",
        )
    )
    report.asset_ids.append(asset.id)
    report.originals += exported.rendition == ORIGINAL
    report.previews += exported.rendition != ORIGINAL
    return exported


def _compression(entry: str) -> int:
    return (
        zipfile.ZIP_STORED
        if entry.rsplit(".", 1)[-1].lower() in _ALREADY_COMPRESSED
        else zipfile.ZIP_DEFLATED
    )


def safe_name(raw: str) -> str:
    """A file name with no folders, control characters or leading dots; Vietnamese letters kept."""
    name = unicodedata.normalize("NFC", re.split(r"[\\/]", raw or "")[-1])
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().lstrip(".")
    return name[-150:] or "file"


def unique_name(asset: Asset, preferred: str | None, used: set[str]) -> str:
    """The original file name when free (matching is by name, case-insensitive), else prefixed by the id."""
    name = safe_name(preferred or asset.original_filename)
    if name.casefold() in used:
        name = f"{asset.id}-{name}"
    used.add(name.casefold())
    return name


def capture_time_text(asset: Asset) -> str:
    """ISO 8601 as the camera recorded it: with its UTC offset when known, else the wall clock alone."""
    if asset.captured_at is None:
        return ""
    if asset.captured_tz_offset_min is None:
        return asset.captured_at.astimezone(dt.timezone.utc).replace(tzinfo=None).isoformat()
    zone = dt.timezone(dt.timedelta(minutes=asset.captured_tz_offset_min))
    return asset.captured_at.astimezone(zone).isoformat()


def csv_row(asset: Asset, exported: ExportedFile) -> list[str]:
    values = {
        "filename": exported.entry,
        "title_vi": asset.title_vi,
        "title_en": asset.title_en,
        "description_vi": asset.description_vi,
        "description_en": asset.description_en,
        "tags": ";".join(tag.name for tag in asset.tags),
        "category": asset.category.slug if asset.category else "",
        "source_unit": asset.source_unit,
        "credit": asset.credit,
        "license": asset.license,
        "captured_at": capture_time_text(asset),
        "usage_terms": asset.usage_terms,
        "rights_expires_on": asset.rights_expires_on.isoformat() if asset.rights_expires_on else "",
    }
    return [values[column] or "" for column in EXPORT_COLUMNS]


def metadata_csv(rows: list[list[str]]) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs show Vietnamese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def dublin_core_xml(records: list[tuple[Asset, ExportedFile]], count: int) -> bytes:
    root = etree.Element(f"{{{EXCHANGE_NS}}}export", nsmap={"tfdb": EXCHANGE_NS, "dc": DC_NS, "xsi": _XSI})
    root.set(f"{{{_XSI}}}schemaLocation", f"{EXCHANGE_NS} {SCHEMA_DIR}/{EXCHANGE_XSD}")
    root.set("created", dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
    root.set("count", str(count))
    root.set("source", "TFDB DAM")
    for asset, exported in records:
        record = etree.SubElement(
            root,
            f"{{{EXCHANGE_NS}}}record",
            file=exported.entry,
            sha256=exported.sha256,
            kind=asset.kind.value,
            rendition=exported.rendition,
        )
        if asset.rights_expires_on:
            record.set("rightsExpireAfter", asset.rights_expires_on.isoformat())
        identifiers = [exported.entry, f"urn:sha256:{exported.sha256}"]
        append_dc(record, dc_elements(asset, identifiers=identifiers, mime=exported.mime))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
