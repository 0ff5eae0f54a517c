"""Owns opening images with Pillow under a pixel limit, and turning any image mode into 8-bit sRGB."""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from PIL import Image, ImageCms, UnidentifiedImageError
from pillow_heif import register_heif_opener

from tfdb_dam.errors import RejectedFile
from tfdb_dam.messages import Message, msg

register_heif_opener()

CORRUPT_MESSAGE = "file.image_corrupt"  # catalogue keys (tfdb_dam/messages/files.py)
NOT_AN_IMAGE_MESSAGE = "file.not_an_image"
# What Pillow and its plugins raise on damaged data.
DECODE_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    KeyError,
    TypeError,
    ZeroDivisionError,
    RuntimeError,
)

_SRGB = ImageCms.createProfile("sRGB")
_WHITE = (255, 255, 255)


def bomb_message(width: int, height: int, max_pixels: int) -> Message:
    return msg("file.image_bomb", width=width, height=height, limit=f"{max_pixels / 1e6:g}")


@contextmanager
def _pixel_limit(max_pixels: int | None) -> Iterator[None]:
    # Pillow's limit is a module global, so it is set for the duration of the open only;
    # workers are single-threaded processes, so no other open sees the temporary value.
    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # Pillow's notes on odd TIFF tags
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    finally:
        Image.MAX_IMAGE_PIXELS = saved


def open_image(fh: BinaryIO, *, max_pixels: int | None) -> Image.Image:
    """Open (not decode) an image; RejectedFile when it is not one or exceeds ``max_pixels``.

    ``max_pixels=None`` skips the limit, for reading headers only.
    """
    try:
        with _pixel_limit(max_pixels):
            img = Image.open(fh)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise RejectedFile(_bomb_message_from(fh, max_pixels)) from exc
    except UnidentifiedImageError as exc:
        raise RejectedFile(NOT_AN_IMAGE_MESSAGE) from exc
    except DECODE_ERRORS as exc:
        raise RejectedFile(CORRUPT_MESSAGE) from exc
    if max_pixels is not None and img.width * img.height > max_pixels:
        raise RejectedFile(bomb_message(img.width, img.height, max_pixels))
    return img


def _bomb_message_from(fh: BinaryIO, max_pixels: int | None) -> Message:
    # Pillow refused before handing us the image; reopen without a limit just to name its size.
    try:
        fh.seek(0)
        with _pixel_limit(None):
            width, height = Image.open(fh).size
        return bomb_message(width, height, max_pixels or 0)
    except Exception:
        limit = (max_pixels or 0) / 1e6
        return msg("file.image_bomb_unsized", limit=f"{limit:g}")


def to_srgb(img: Image.Image) -> Image.Image:
    """An 8-bit sRGB copy: alpha flattened on white, palettes expanded, 16-bit scaled, ICC applied."""
    icc = img.info.get("icc_profile")
    return finish_srgb(prepare_pixels(img, keep_cmyk=bool(icc)), icc)


def prepare_pixels(img: Image.Image, *, keep_cmyk: bool) -> Image.Image:
    """8-bit L, RGB (or CMYK, for its ICC profile to handle) pixels that resize correctly.

    Split from ``finish_srgb`` so the colour transform can run after shrinking, on far fewer pixels.
    """
    if img.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        img = _to_8bit_grey(img)
    if img.mode == "P":
        img = img.convert("RGBA" if "transparency" in img.info else "RGB")
    if img.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        img = _flatten(img.convert("RGBA"))
    if img.mode in ("L", "RGB") or (img.mode == "CMYK" and keep_cmyk):
        return img
    return img.convert("RGB")


def finish_srgb(img: Image.Image, icc: bytes | None) -> Image.Image:
    """RGB through the embedded ICC profile when there is one (Display P3 phones, CMYK prints)."""
    if icc and img.mode in ("RGB", "CMYK"):
        converted = _apply_icc(img, icc)
        if converted is not None:
            return converted
    return img if img.mode == "RGB" else img.convert("RGB")


def _to_8bit_grey(img: Image.Image) -> Image.Image:
    wide = img.convert("F") if img.mode == "F" else img.convert("I")
    low, high = wide.getextrema()
    if img.mode.startswith("I;16"):
        low, high = 0, 65535
    scale = 255.0 / (high - low) if high > low else 1.0
    return wide.point(lambda v: (v - low) * scale).convert("L")


def _flatten(img: Image.Image) -> Image.Image:
    background = Image.new("RGB", img.size, _WHITE)
    background.paste(img, mask=img.getchannel("A"))
    return background


def _apply_icc(img: Image.Image, icc: bytes) -> Image.Image | None:
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(img, source, _SRGB, outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None  # a broken profile: plain conversion is better than no image
