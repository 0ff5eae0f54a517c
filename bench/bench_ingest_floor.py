"""The plain floor of the ingest benchmark: the least work one process can do per photo.

For each JPEG it only reads the file, hashes it with SHA-256, reads EXIF with exifread and writes
one 512-px thumbnail with Pillow in draft mode. The real ingest does more (sniffing, XMP, IPTC,
two renditions, a perceptual hash, database rows), so its rate per process sits below this.

    python bench/bench_ingest_floor.py [--count N] [--quick] [--cache-dir DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import logging
import sys
import tempfile
import time
from pathlib import Path

import exifread
import numpy as np
from PIL import Image
from PIL.TiffImagePlugin import IFDRational

DEFAULT_CACHE = Path(tempfile.gettempdir()) / "tfdb-bench-photos"
PHOTO_SIZE = (4000, 3000)  # 12 megapixels, a common camera and phone size
THUMB_BOX = (512, 512)
QUICK_COUNT = 4


def floor_rate(paths: list[Path]) -> float:
    """Files per second (wall clock) for read + SHA-256 + exifread + one draft-mode 512-px thumbnail."""
    wall, _ = _timed_run(paths)
    return len(paths) / wall


def _timed_run(paths: list[Path]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) for one pass over ``paths``."""
    if not paths:
        raise ValueError("floor_rate needs at least one photo.")
    logging.getLogger("exifread").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="tfdb-floor-") as out_dir:
        wall, cpu = time.perf_counter(), time.process_time()
        for index, path in enumerate(paths):
            _ingest_one(path, Path(out_dir) / f"{index}.jpg")
        return time.perf_counter() - wall, time.process_time() - cpu


def _ingest_one(path: Path, thumb_path: Path) -> None:
    data = path.read_bytes()
    hashlib.sha256(data).hexdigest()
    exifread.process_file(io.BytesIO(data), details=False)
    with Image.open(io.BytesIO(data)) as img:
        img.draft("RGB", THUMB_BOX)  # decode at 1/2..1/8 scale: most of the floor's saving
        img.thumbnail(THUMB_BOX)
        img.save(thumb_path, "JPEG", quality=82)


def ensure_photos(cache_dir: Path, count: int) -> list[Path]:
    """``count`` realistic 12-MP JPEGs in ``cache_dir``, generating the ones not there yet."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    paths = [cache_dir / f"photo_{index:04d}.jpg" for index in range(count)]
    for index, path in enumerate(paths):
        if not path.exists():
            _write_photo(path, seed=index)
    return paths


def _write_photo(path: Path, *, seed: int) -> None:
    # Gradients give the smooth areas of a real scene, noise the texture that makes a real
    # photo weigh 3-5 MB; a flat test card would compress to a few hundred kB and flatter us.
    rng = np.random.default_rng(seed)
    width, height = PHOTO_SIZE
    y = np.linspace(0, 1, height, dtype=np.float32)[:, None]
    x = np.linspace(0, 1, width, dtype=np.float32)[None, :]
    phase = float(rng.uniform(0, 6.28))
    red = 200 * y + 40 * np.sin(x * 9 + phase)
    green = 150 * x + 60 * np.cos(y * 7 + phase)
    blue = 120 * (1 - x * y) + 50 * np.sin((x + y) * 13)
    base = np.stack([red, green, blue], axis=-1)
    noise = rng.standard_normal((height, width, 3), dtype=np.float32) * 16
    pixels = np.clip(base + noise, 0, 255).astype(np.uint8)
    tmp = path.with_suffix(".tmp")
    Image.fromarray(pixels, "RGB").save(tmp, "JPEG", quality=88, exif=_exif(seed).tobytes())
    tmp.replace(path)  # a half-written file must never be taken for a cached photo


def _exif(seed: int) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "TFDB Bench"  # Make
    exif[0x0110] = "Floor 12MP"  # Model
    exif[0x0132] = "2024:03:01 08:30:00"  # DateTime
    exif_ifd = exif.get_ifd(0x8769)
    exif_ifd[0x9003] = f"2024:03:01 08:{seed % 60:02d}:00"  # DateTimeOriginal
    exif_ifd[0x829A] = IFDRational(1, 250)  # ExposureTime
    exif_ifd[0x8827] = 200  # ISO
    return exif


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=32, help="how many photos to ingest (default 32)")
    parser.add_argument("--quick", action="store_true", help=f"only {QUICK_COUNT} photos, for a smoke run")
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=DEFAULT_CACHE,
        help=f"where photos are kept (default {DEFAULT_CACHE})",
    )
    args = parser.parse_args(argv)
    count = QUICK_COUNT if args.quick else args.count
    if count < 1:
        parser.error("--count must be at least 1")
    started = time.perf_counter()
    paths = ensure_photos(args.cache_dir, count)
    print(f"photos ready in {args.cache_dir} ({time.perf_counter() - started:.1f} s)")
    megabytes = sum(p.stat().st_size for p in paths) / 1e6
    floor_rate(paths[:1])  # warm the page cache and the libraries' first-call costs
    wall, cpu = _timed_run(paths)
    print(f"files: {len(paths)}  size: {megabytes / len(paths):.2f} MB each")
    print(f"floor: {len(paths) / wall:.2f} files/s in one process ({megabytes / wall:.1f} MB/s)")
    # CPU time hardly moves when other programs share the machine; wall time does.
    print(
        f"cpu:   {cpu / len(paths) * 1000:.0f} ms per file, so {len(paths) / cpu:.2f} files/s on an idle core"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
