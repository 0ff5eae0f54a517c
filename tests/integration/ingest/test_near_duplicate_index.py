"""The near-duplicate check finds look-alikes through the band index, as a full comparison would."""

from __future__ import annotations

import random

from sqlalchemy import text

from tfdb_dam.db.models import Asset, AssetKind, AssetStatus, ProcessingState
from tfdb_dam.services.ingest_apply import NEAR_DUPLICATE_BITS, band_keys, set_phashes


def _flip(phash: str, bits: list[int]) -> str:
    value = int(phash, 16)
    for bit in bits:
        value ^= 1 << bit
    return f"{value:016x}"


def _stored(session, phashes: list[str]) -> None:  # noqa: ANN001
    """Photos with these hashes, bulk-inserted: a library of thousands in a second."""
    session.execute(text(
        "INSERT INTO assets (kind, status, processing, sha256, ext, size_bytes, mime_type, field_sources,"
        " notes, exif, exposure, phash, version, original_filename) SELECT 'photo', 'draft', 'ready', md5(h) || md5(h), 'jpg', 1,"
        " 'image/jpeg', '{}', '[]', '{}', '{}', h, 1, h || '.jpg' FROM unnest(CAST(:h AS text[])) AS h"), {"h": phashes})


def _new_photo(session, _phash: str) -> Asset:  # noqa: ANN001
    asset = Asset(kind=AssetKind.photo, status=AssetStatus.draft, processing=ProcessingState.ready,
                  sha256=f"{random.getrandbits(256):064x}", ext="jpg", size_bytes=1, mime_type="image/jpeg",
                  original_filename="new.jpg",
                  field_sources={}, notes=[], exif={}, exposure={})
    session.add(asset)
    session.flush()
    return asset


def test_the_bands_hold_every_look_alike_within_the_threshold():
    rng = random.Random(7)
    assert NEAR_DUPLICATE_BITS < 2 * 4  # the pigeonhole the index relies on: 4 bands, <= 1 bit in one
    for _ in range(2000):
        phash = f"{rng.getrandbits(64):016x}"
        near = _flip(phash, rng.sample(range(64), rng.randint(0, NEAR_DUPLICATE_BITS)))
        own = {(band << 16) + int(near[band * 4:band * 4 + 4], 16) for band in range(4)}
        assert own & set(band_keys(phash)), (phash, near)


def test_python_and_the_database_number_the_bands_alike(ctx):
    with ctx.db.begin() as session:
        phash = "0123456789abcdef"
        bands = session.execute(text("SELECT tfdb_phash_bands(:h)"), {"h": phash}).scalar_one()
        assert bands == [0x0123, 65536 + 0x4567, 131072 + 0x89AB, 196608 + 0xCDEF]
        assert set(bands) <= set(band_keys(phash))
        assert session.execute(text("SELECT tfdb_phash_bands('not a hash')")).scalar_one() is None


def test_a_look_alike_is_found_among_thousands_and_the_closest_wins(ctx):
    rng = random.Random(11)
    library = [f"{rng.getrandbits(64):016x}" for _ in range(5000)]
    target = library[1234]
    with ctx.db.begin() as session:
        _stored(session, library)
        ids = dict(session.execute(text("SELECT phash, id FROM assets")).all())
        hashes = [_flip(target, [3, 17]), _flip(target, [3, 17, 40]), "ffff0000ffff0000"]  # 2, 3 bits; far
        photos = [_new_photo(session, phash) for phash in hashes]
        set_phashes(session, list(zip(photos, hashes)))
        assert photos[0].near_duplicate_of_id == ids[target]
        assert photos[1].near_duplicate_of_id == photos[0].id  # 1 bit from the one before it in the job
        assert photos[2].near_duplicate_of_id is None
        assert f"Possibly the same as asset {ids[target]}." in photos[0].notes


def test_the_lookup_uses_the_band_index(ctx):
    with ctx.db.begin() as session:
        session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(session.execute(text(
            "EXPLAIN SELECT id FROM assets WHERE tfdb_phash_bands(phash) && CAST(:k AS integer[])"),
            {"k": band_keys("0123456789abcdef")}).scalars())
    assert "sx_assets_phash_bands" in plan, plan
