"""Owns perceptual hashes of images, for spotting near-duplicate photos and frames."""

from __future__ import annotations

from pathlib import Path

import imagehash
from PIL import Image, ImageOps

from tfdb_dam.errors import RejectedFile
from tfdb_dam.media.imaging import CORRUPT_MESSAGE, DECODE_ERRORS, open_image, to_srgb
from tfdb_dam.media.renditions import fit_within

# The default of TFDB_MAX_IMAGE_PIXELS; callers with a configuration pass theirs.
DEFAULT_MAX_PIXELS = 120_000_000
# pHash looks at a 32×32 grey image; decoding more than this is wasted work.
_WORKING_BOX = (256, 256)


def perceptual_hash(source: Image.Image | Path | str, *, max_pixels: int = DEFAULT_MAX_PIXELS) -> str:
    """The 64-bit pHash as 16 hex digits; near-identical pictures differ in few bits.

    A path is decoded at reduced scale (JPEG draft) and turned upright first, so a rotated
    copy and its original hash alike. An image is hashed as given.
    """
    img = _small_upright(Path(source), max_pixels) if isinstance(source, (str, Path)) else _small(source)
    return str(imagehash.phash(img))


def hash_distance(a: str, b: str) -> int:
    """How many of the bits of two hashes differ (0 = same picture to the eye)."""
    if len(a) != len(b):
        raise ValueError("Perceptual hashes of different lengths cannot be compared.")
    return (int(a, 16) ^ int(b, 16)).bit_count()


def _small_upright(path: Path, max_pixels: int) -> Image.Image:
    with path.open("rb") as fh:
        img = open_image(fh, max_pixels=max_pixels)
        try:
            if img.format in ("JPEG", "MPO"):
                img.draft("RGB", fit_within(img.size, _WORKING_BOX))
            img.load()
            ImageOps.exif_transpose(img, in_place=True)
            return _small(img)
        except DECODE_ERRORS as exc:
            raise RejectedFile(CORRUPT_MESSAGE) from exc


def _small(img: Image.Image) -> Image.Image:
    if img.mode not in ("RGB", "L"):
        img = to_srgb(img)
    target = fit_within(img.size, _WORKING_BOX)
    return img if target == img.size else img.resize(target, Image.Resampling.BILINEAR, reducing_gap=2.0)
