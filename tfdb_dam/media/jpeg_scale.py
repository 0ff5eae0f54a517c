"""Owns decoding a JPEG at one of libjpeg's reduced scales (k/8 of its size): the cheapest smaller image.

libjpeg scales while it decodes (the inverse DCT runs on fewer coefficients), so a 12-MP photo
decoded at 3/8 costs about what it costs at 1/2 and needs no resampling pass afterwards; that pass
would cost a third of the decode again. Pillow's ``draft()`` asks only for 1/2, 1/4 and 1/8; its
decoder hands any denominator d to libjpeg as the scale 1/d, which libjpeg-turbo rounds up to the
next k/8 it implements (k = ceil(8/d)), so d = 3 decodes at 3/8. That route goes through Pillow's
loader state, so it is probed once per process and skipped (costing speed, never a photo) if a
Pillow version no longer honours it.
"""

from __future__ import annotations

import functools
import io

from PIL import Image

# Eighths of the stored size libjpeg can be asked for through Pillow, smallest first, with the
# denominator Pillow passes on. 5/8, 6/8 and 7/8 exist in libjpeg-turbo but need a numerator.
_DENOMINATOR = {1: 8, 2: 4, 3: 3, 4: 2, 8: 1}


def scaled_size(size: tuple[int, int], eighths: int) -> tuple[int, int]:
    """The size libjpeg decodes ``size`` to at ``eighths``/8 (it rounds up)."""
    width, height = size
    return -(-width * eighths // 8), -(-height * eighths // 8)


def draft_to_cover(img: Image.Image, cover: tuple[int, int]) -> tuple[int, int]:
    """Make ``img`` (an opened, not yet loaded JPEG) decode at the smallest scale at least ``cover``.

    Returns the size ``img`` will have once loaded. The mode is left as stored (RGB, L, CMYK).
    """
    usable = [k for k in _DENOMINATOR if k != 3 or _three_eighths_works()]
    eighths = next((k for k in usable if _covers(scaled_size(img.size, k), cover)), 8)
    if eighths == 8:
        return img.size
    if eighths == 3:
        return _draft_three_eighths(img)
    denominator = _DENOMINATOR[eighths]
    img.draft(None, (max(1, img.width // denominator), max(1, img.height // denominator)))
    return img.size


def _covers(size: tuple[int, int], cover: tuple[int, int]) -> bool:
    return size[0] >= cover[0] and size[1] >= cover[1]


def _draft_three_eighths(img: Image.Image) -> tuple[int, int]:
    # Let draft() set up a half-scale decode, then narrow its denominator and the tile to the
    # 3/8 size libjpeg will deliver (a mismatch makes Pillow raise, never crop).
    target = scaled_size(img.size, 3)
    img.draft(None, (img.width // 2, img.height // 2))
    if getattr(img, "decoderconfig", None) != (2, 0) or len(img.tile) != 1:
        return img.size  # not the loader state this relies on: the half-scale decode stands
    img.tile = [img.tile[0]._replace(extents=(0, 0, *target))]
    img._size = target
    img.decoderconfig = (3, 0)
    return target


@functools.cache
def _three_eighths_works() -> bool:
    """Whether this Pillow decodes a small JPEG at 3/8 through ``_draft_three_eighths``."""
    sample = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(sample, "JPEG")
    try:
        with Image.open(sample) as img:
            size = _draft_three_eighths(img)
            img.load()
            return size == (24, 18) and img.size == size and img.getpixel((12, 9))[0] > 150
    except Exception:  # any failure means the route is closed: fall back, never break decoding
        return False
