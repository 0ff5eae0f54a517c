"""Writing what processing learnt onto an asset row: facts, file metadata, renditions, near-duplicates."""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.orm import Session

from tfdb_dam.db.engine import after_commit
from tfdb_dam.db.models import Asset, ProcessingState, Rendition
from tfdb_dam.services import audit, provenance
from tfdb_dam.services.actors import SYSTEM
from tfdb_dam.services.ingest_analysis import Analysis
from tfdb_dam.services.ingest_metadata import add_note, apply_capture_time, set_tags
from tfdb_dam.services.ingest_renditions import RenditionFile
from tfdb_dam.storage import FileStore

# pHash bits two photos may differ in and still be flagged as possibly the same picture:
# re-saves, resizes and light edits stay within a few bits; different scenes differ in ~32.
NEAR_DUPLICATE_BITS = 6
# Serialises the near-duplicate check so two photos processed at once still see each other.
_NEAR_DUPLICATE_LOCK = 7_263_202
_PHASH = re.compile(r"^[0-9a-f]{16}$")


def apply_analysis(session: Session, store: FileStore, asset: Asset, analysis: Analysis,
                   renditions: list[RenditionFile]) -> list[str]:
    """Apply one asset's analysis in the caller's transaction; returns the metadata fields changed."""
    for name, value in analysis.facts.items():
        setattr(asset, name, value)
    changed = provenance.apply_fields(asset, analysis.fields, provenance.FILE)
    if analysis.captured_at is not None:
        changed += apply_capture_time(asset, analysis.captured_at, provenance.FILE)
    if set_tags(session, asset, analysis.tags, provenance.FILE):
        changed.append("tags")
    for note in analysis.notes:
        add_note(asset, note)
    replace_renditions(session, store, asset, renditions)
    asset.processing, asset.processing_error = ProcessingState.ready, None
    audit.record(session, SYSTEM, "asset.process", object_type="asset", object_id=asset.id,
                 details={"changed": changed, "renditions": [r.name for r in renditions]})
    return changed


def replace_renditions(session: Session, store: FileStore, asset: Asset, files: list[RenditionFile]) -> None:
    """Rows for exactly these renditions: updated in place, added, or dropped (file after commit)."""
    current = {r.name: r for r in asset.renditions}
    for made in files:
        row = current.pop(made.name, None)
        if row is None:
            row = Rendition(name=made.name)
            asset.renditions.append(row)
        row.width, row.height, row.size_bytes = made.width, made.height, made.size_bytes
        row.at_seconds = made.at_seconds
    for stale in current.values():
        asset.renditions.remove(stale)
        after_commit(session, lambda sha=asset.sha256, name=stale.name: store.delete_rendition(sha, name))


def _informative(phash: str | None) -> bool:
    """pHash sets a bit per frequency above the median, so about half are set; a hash with almost
    none (or all) set comes from a flat, featureless picture and says nothing about likeness."""
    if not phash or not _PHASH.match(phash):
        return False
    return 4 < int(phash, 16).bit_count() < 60


def set_phash(session: Session, asset: Asset, phash: str | None) -> None:
    """Store a photo's perceptual hash and flag it if a photo stored before it looks the same.

    Processing calls it last in a job's transaction, asset by asset: the near-duplicate lock is
    then held only until the commit that follows, and each photo is compared with the ones before
    it, never with one later in the same job.
    """
    asset.phash = phash
    flag_near_duplicate(session, asset)


def flag_near_duplicate(session: Session, asset: Asset) -> None:
    """Point a photo at the closest earlier-stored look-alike and leave the reviewer a note."""
    if not _informative(asset.phash) or asset.near_duplicate_of_id is not None:
        return
    session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _NEAR_DUPLICATE_LOCK})
    session.flush()
    match = session.execute(text(
        "SELECT id FROM (SELECT id, bit_count(('x' || phash)::bit(64) # ('x' || :h)::bit(64)) AS d"
        " FROM assets WHERE id <> :id AND phash ~ '^[0-9a-f]{16}$') AS near"
        " WHERE d <= :bits ORDER BY d, id LIMIT 1"),
        {"h": asset.phash, "id": asset.id, "bits": NEAR_DUPLICATE_BITS}).scalar()
    if match is not None:
        asset.near_duplicate_of_id = match
        add_note(asset, f"Possibly the same as asset {match}.")
