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


# For each photo of a job (in order): the closest look-alike among the photos stored before the
# job and those earlier in it, within NEAR_DUPLICATE_BITS. The stored candidates come from the
# band index (migration 0008: a look-alike within 6 bits shares a band, give or take one bit,
# with the new hash), so the check costs the same at a million photos as at a hundred.
_NEAREST = text(
    "WITH job AS (SELECT id, CAST('x' || h AS bit(64)) AS b, n FROM unnest("
    "  CAST(:ids AS bigint[]), CAST(:hashes AS text[])) WITH ORDINALITY AS t(id, h, n)),"
    " stored AS MATERIALIZED (SELECT id, CAST('x' || phash AS bit(64)) AS b, 0 AS n FROM assets"
    "  WHERE tfdb_phash_bands(phash) && CAST(:keys AS integer[]) AND NOT id = ANY(CAST(:ids AS bigint[]))),"
    " pool AS (SELECT * FROM stored UNION ALL SELECT * FROM job)"
    " SELECT job.id, best.id FROM job CROSS JOIN LATERAL ("
    "  SELECT pool.id, bit_count(pool.b # job.b) AS d FROM pool WHERE pool.n < job.n"
    "  ORDER BY d, pool.id LIMIT 1) AS best WHERE best.d <= :bits"
)
_BANDS, _BAND_BITS = 4, 16


def band_keys(phash: str) -> list[int]:
    """The index keys a look-alike of ``phash`` holds at least one of: per band (as
    ``tfdb_phash_bands`` numbers them), the band's value and its one-bit neighbours."""
    keys = []
    for band in range(_BANDS):
        value = int(phash[band * 4:band * 4 + 4], 16)
        base = band << _BAND_BITS
        keys += [base + value] + [base + (value ^ (1 << bit)) for bit in range(_BAND_BITS)]
    return keys


def set_phashes(session: Session, photos: list[tuple[Asset, str | None]]) -> None:
    """Store a job's perceptual hashes and flag each photo that looks like one stored before it.

    Processing calls it last in a job's transaction: the near-duplicate lock is then held only
    until the commit that follows, and each photo is compared with the ones before it (earlier
    in the same job included), never with one later in the job.
    """
    hashed = [(asset, phash) for asset, phash in photos if phash and _PHASH.match(phash)]
    for asset, phash in photos:
        asset.phash = phash
    if not any(_unflagged(asset) for asset, _ in hashed):
        return
    session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _NEAR_DUPLICATE_LOCK})
    keys = sorted({key for _, phash in hashed for key in band_keys(phash)})
    found = dict(session.execute(_NEAREST, {
        "ids": [asset.id for asset, _ in hashed], "hashes": [phash for _, phash in hashed],
        "keys": keys, "bits": NEAR_DUPLICATE_BITS}).all())
    for asset, _ in hashed:
        if _unflagged(asset) and found.get(asset.id) is not None:
            asset.near_duplicate_of_id = found[asset.id]
            add_note(asset, f"Possibly the same as asset {found[asset.id]}.")


def _unflagged(asset: Asset) -> bool:
    return _informative(asset.phash) and asset.near_duplicate_of_id is None
