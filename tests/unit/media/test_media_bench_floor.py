"""The ingest floor benchmark stays runnable: its photos look like photos, and it measures a rate."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import exifread
from PIL import Image

BENCH = Path(__file__).resolve().parents[3] / "bench" / "bench_ingest_floor.py"


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench_ingest_floor", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_photos_are_12_megapixel_jpegs_of_photo_weight(tmp_path) -> None:
    bench = _bench_module()
    (path,) = bench.ensure_photos(tmp_path, 1)
    with Image.open(path) as img:
        assert (img.format, img.size) == ("JPEG", (4000, 3000))
    assert 3_000_000 <= path.stat().st_size <= 5_500_000
    with path.open("rb") as fh:
        assert str(exifread.process_file(fh, details=False)["Image Make"]) == "TFDB Bench"
    assert bench.ensure_photos(tmp_path, 1) == [path]  # cached, not made again


def test_floor_rate_measures_files_per_second(tmp_path) -> None:
    paths = []
    for index in range(3):
        paths.append(tmp_path / f"{index}.jpg")
        Image.new("RGB", (1200, 900), (index * 60, 100, 150)).save(paths[-1], "JPEG")
    rate = _bench_module().floor_rate(paths)
    assert rate > 0
