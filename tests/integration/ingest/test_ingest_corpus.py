"""Real files from other projects' test suites: each is imported or refused with a reason, none crashes."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import corpus_path
from tfdb_dam.db.models import Asset
from tfdb_dam.services.ingest import iter_files
from tfdb_dam.services.verify import verify_storage

from .conftest import import_now

REFUSED_TOOL_SAMPLES = {
    "EXE.exe", "EXE.elf", "ZIP.zip", "ISO.iso", "HTML.html", "XMP.svg", "Font.ttf",
    # Metadata-only samples with no decodable content at all (ExifTool keeps the headers only):
    "Matroska.mkv",  # the EBML header claims more data than the 507 bytes hold; FFmpeg cannot open it
    "QuickTime.heic",  # 623 bytes for a 1596×1064 HEVC picture: nothing to decode
}


def reference_gps(dump: Path) -> dict[str, tuple[float, float]]:
    """Decimal degrees, signed by hemisphere, from exifread's reference `dump` of the gps photos."""
    found: dict[str, dict[str, str]] = {}
    name = None
    for line in dump.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("Opening: "):
            name = line.split("jpg/gps/", 1)[1] if "jpg/gps/" in line else None
        elif name and line.startswith("GPS GPS"):
            tag, _, value = line.partition(": ")
            found.setdefault(name, {})[tag.split()[1].split(" (")[0]] = value.strip()
    return {n: (_degrees(t["GPSLatitude"], t["GPSLatitudeRef"]), _degrees(t["GPSLongitude"], t["GPSLongitudeRef"]))
            for n, t in found.items() if "GPSLatitude" in t}


def _degrees(dms: str, ref: str) -> float:
    d, m, s = (Fraction(part) for part in re.findall(r"[\d/]+", dms))
    value = float(d + m / 60 + s / 3600)
    return -value if ref in ("S", "W") else value


def test_the_whole_exif_corpus_goes_through_and_gps_matches_the_reference(ctx):
    root = corpus_path("exif-samples")
    files = list(iter_files([root]))
    outcomes = import_now(ctx, files)
    assert sorted(o.path for o in outcomes) == sorted(str(f) for f in files)
    for outcome in outcomes:
        assert outcome.status in ("imported", "rejected"), outcome
        if outcome.status == "rejected":
            assert outcome.error and outcome.error.endswith("."), outcome
    photos = [o for o in outcomes if Path(o.path).suffix.lower() in (".jpg", ".jpeg", ".tiff", ".heic", ".heif")]
    refused_photos = {Path(o.path).name for o in photos if o.status == "rejected"}
    assert refused_photos <= {"corrupted.jpg"}, refused_photos  # bad EXIF alone refuses nothing
    expected = reference_gps(root / "dump")
    assert len(expected) == 9
    by_file = {Path(o.path).name: o.asset_id for o in outcomes if "/gps/" in o.path}
    with ctx.db.begin() as session:
        for name, (lat, lon) in expected.items():
            asset = session.get(Asset, by_file[name])
            assert (asset.gps_lat, asset.gps_lon) == (pytest.approx(lat, abs=1e-7), pytest.approx(lon, abs=1e-7)), name
    assert verify_storage(ctx, check_hashes=False).ok


def test_exiftool_samples_refuse_the_hostile_and_import_the_media(ctx):
    files = list(iter_files([corpus_path("exiftool-samples", "images")]))
    outcomes = {Path(o.path).name: o for o in import_now(ctx, files)}
    assert {n for n, o in outcomes.items() if o.status == "rejected"} == REFUSED_TOOL_SAMPLES
    assert {n for n, o in outcomes.items() if o.status == "imported"} == {f.name for f in files} - REFUSED_TOOL_SAMPLES
    with ctx.db.begin() as session:
        mov = session.get(Asset, outcomes["QuickTime.mov"].asset_id)
        assert mov.duration_s == pytest.approx(4.97, abs=0.01) and mov.notes  # no frame decodes: said so
        gps = session.get(Asset, outcomes["GPS.jpg"].asset_id)
        assert (gps.gps_lat, gps.gps_lon) == (pytest.approx(54 + 59.38 / 60, abs=1e-4), pytest.approx(-(1 + 54.85 / 60), abs=1e-4))
        kinds = dict(session.execute(select(Asset.original_filename, Asset.kind)).all())
    assert kinds["OOXML.docx"].value == "document" and kinds["RIFF.avi"].value == "video"
