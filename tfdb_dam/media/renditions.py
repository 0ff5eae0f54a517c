"""Owns the table of rendition sizes and the making of JPEG renditions from photos and frames."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

from tfdb_dam.errors import RejectedFile
from tfdb_dam.media.imaging import (
    CORRUPT_MESSAGE,
    DECODE_ERRORS,
    finish_srgb,
    open_image,
    prepare_pixels,
    to_srgb,
)
from tfdb_dam.media.jpeg_scale import draft_to_cover

# Bicubic, as Image.thumbnail uses: Lanczos costs half as much again for no visible gain
# when shrinking. Reduce by whole factors first when shrinking a lot: as good, much faster.
_RESAMPLE = Image.Resampling.BICUBIC
_REDUCING_GAP = 2.0
# Between renditions (the thumb from the preview, about 3x) a whole-factor box reduce first
# halves the cost; measured against Lanczos from the full decode the thumb stays at 38-48 dB,
# the level of its own JPEG encoding at quality 82.
_CASCADE_REDUCING_GAP = 1.0


@dataclass(frozen=True)
class RenditionSpec:
    """A named rendition: the image is shrunk (never enlarged) to fit the box, then saved as JPEG.

    ``min_edge`` lets a JPEG decoded at reduced scale stand as it is when its long edge falls
    between ``min_edge`` and the box: no resampling pass (which would cost a third of the decode
    again) and nothing lost to it. 0 means the rendition always fills its box.
    """

    name: str
    max_width: int
    max_height: int
    quality: int
    min_edge: int = 0

    def __post_init__(self) -> None:
        if self.max_width < 1 or self.max_height < 1:
            raise ValueError(f"Rendition {self.name!r} needs a box of at least 1×1 pixels.")
        if not 1 <= self.quality <= 95:
            raise ValueError(f"Rendition {self.name!r} needs a JPEG quality between 1 and 95.")
        if not 0 <= self.min_edge <= min(self.max_width, self.max_height):
            raise ValueError(f"Rendition {self.name!r} needs a smallest edge that fits its box.")

    @property
    def box(self) -> tuple[int, int]:
        return self.max_width, self.max_height

    def target_size(self, size: tuple[int, int]) -> tuple[int, int]:
        return fit_within(size, self.box)


RENDITION_SPECS: dict[str, RenditionSpec] = {
    spec.name: spec
    for spec in (
        RenditionSpec("thumb", 512, 512, 82),  # grid of search results
        RenditionSpec("preview", 1600, 1600, 85, min_edge=1280),  # detail page, review (12 MP: 1500 px)
        RenditionSpec("poster", 1280, 1280, 85),  # still of a video before it plays
        RenditionSpec("keyframe", 320, 320, 80),  # strip of frames along a video
    )
}


def fit_within(size: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    """The largest size with the aspect ratio of ``size`` inside ``box``; never larger than ``size``."""
    width, height = size
    if width < 1 or height < 1:
        raise ValueError(f"An image of {width}×{height} pixels has no area.")
    scale = min(box[0] / width, box[1] / height, 1.0)
    return max(1, round(width * scale)), max(1, round(height * scale))


def spec_for(name: str) -> RenditionSpec:
    try:
        return RENDITION_SPECS[name]
    except KeyError:
        raise ValueError(
            f"There is no rendition named {name!r}; known: {', '.join(RENDITION_SPECS)}."
        ) from None


def make_photo_renditions(path: Path, spec_names: list[str], *, max_pixels: int) -> dict[str, bytes]:
    """JPEG bytes per requested spec, from one decode of the photo with its orientation applied.

    RejectedFile when the image is above ``max_pixels`` or cannot be decoded.
    """
    specs = sorted((spec_for(name) for name in dict.fromkeys(spec_names)), key=lambda s: s.box, reverse=True)
    if not specs:
        return {}
    with path.open("rb") as fh:
        img = open_image(fh, max_pixels=max_pixels)
        icc = img.info.get("icc_profile")
        base = _decode(img, specs[0], keep_cmyk=bool(icc))
    return _render_all(base, icc, specs)


def render_image(img: Image.Image, spec_name: str) -> bytes:
    """JPEG bytes of one rendition of an already decoded image (a video frame, a PDF page)."""
    spec = spec_for(spec_name)
    return _encode(_resized(to_srgb(img), spec), spec)


def _decode(img: Image.Image, largest: RenditionSpec, *, keep_cmyk: bool) -> Image.Image:
    """Decode at the smallest scale that still covers the largest rendition, upright, 8-bit."""
    try:
        if img.format in ("JPEG", "MPO"):
            _draft(img, largest)
        img.load()
        ImageOps.exif_transpose(img, in_place=True)  # no copy of the decoded pixels when upright
        return prepare_pixels(img, keep_cmyk=keep_cmyk)
    except MemoryError as exc:
        raise RejectedFile("file.image_too_large_for_memory") from exc
    except DECODE_ERRORS as exc:
        raise RejectedFile(CORRUPT_MESSAGE) from exc


def _draft(img: Image.Image, largest: RenditionSpec) -> None:
    # JPEG decodes at k/8 scale for a fraction of the work; ask for the smallest size the
    # largest rendition accepts (in stored orientation), so no rendition is upscaled.
    width, height = img.size
    turned = _orientation(img) in (5, 6, 7, 8)
    box = largest.box[::-1] if turned else largest.box
    needed = fit_within((width, height), box)
    if largest.min_edge and max(needed) > largest.min_edge:
        needed = fit_within((width, height), (largest.min_edge, largest.min_edge))
    draft_to_cover(img, needed)


def _orientation(img: Image.Image) -> int:
    try:
        return int(img.getexif().get(0x0112, 1))
    except DECODE_ERRORS:
        return 1


def _render_all(base: Image.Image, icc: bytes | None, specs: list[RenditionSpec]) -> dict[str, bytes]:
    # Largest first, each made from the one before: shrinking 1500 px to 512 px is cheaper
    # than shrinking the full decode again, and looks the same. Colour is converted once,
    # on the largest rendition rather than on the full decode.
    renditions: dict[str, bytes] = {}
    source = finish_srgb(_resized(base, specs[0]), icc)
    for index, spec in enumerate(specs):
        source = _resized(source, spec, _CASCADE_REDUCING_GAP if index else _REDUCING_GAP)
        renditions[spec.name] = _encode(source, spec)
    return renditions


def _resized(img: Image.Image, spec: RenditionSpec, reducing_gap: float = _REDUCING_GAP) -> Image.Image:
    target = spec.target_size(img.size)
    if target == img.size:
        return img
    return img.resize(target, _RESAMPLE, reducing_gap=reducing_gap)


def _encode(img: Image.Image, spec: RenditionSpec) -> bytes:
    # No EXIF is copied: renditions are published, and must not leak GPS or camera serials.
    out = io.BytesIO()
    img.save(out, "JPEG", quality=spec.quality, optimize=False)
    return out.getvalue()
