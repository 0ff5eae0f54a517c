"""Rendition sizes (pure geometry), JPEG renditions of real and made images, perceptual hashes."""

from __future__ import annotations

import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from tfdb_dam.errors import RejectedFile
from tfdb_dam.media.renditions import (
    RENDITION_SPECS,
    RenditionSpec,
    fit_within,
    make_photo_renditions,
    render_image,
)
from tfdb_dam.media.similarity import hash_distance, perceptual_hash

CORPUS = Path(__file__).resolve().parents[3] / ".." / "shared" / "corpus"
LIMIT = 120_000_000
RED, BLUE = (220, 20, 20), (20, 20, 220)


def _exact(message: str) -> str:
    """A pattern for pytest.raises(match=...) that matches this message and nothing else."""
    return f"^{re.escape(message)}$"


def _corpus(*parts: str) -> Path:
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"The shared test corpus is absent ({path}); see ../shared/corpus/README.md.")
    return path


def _decoded(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    assert img.format == "JPEG"
    img.load()
    return img


def _png_header_only(path: Path, width: int, height: int) -> Path:
    """A PNG that declares a size but holds no pixels: what a decompression bomb looks like at first."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b""))
    return path


# --- geometry, pure ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "box", "expected"),
    [
        ((4000, 3000), (512, 512), (512, 384)),
        ((3000, 4000), (512, 512), (384, 512)),
        ((4000, 3000), (1600, 1600), (1600, 1200)),
        ((300, 200), (512, 512), (300, 200)),  # never enlarged
        ((10000, 10), (320, 320), (320, 1)),  # a sliver keeps at least one pixel
        ((1920, 1080), (1280, 1280), (1280, 720)),
        ((1000, 1000), (400, 200), (200, 200)),
    ],
)
def test_fit_within(size, box, expected) -> None:
    assert fit_within(size, box) == expected


def test_an_image_without_area_has_no_fit() -> None:
    with pytest.raises(ValueError):
        fit_within((0, 10), (512, 512))


def test_the_rendition_table() -> None:
    assert {name: (s.box, s.quality) for name, s in RENDITION_SPECS.items()} == {
        "thumb": ((512, 512), 82),
        "preview": ((1600, 1600), 85),
        "poster": ((1280, 1280), 85),
        "keyframe": ((320, 320), 80),
    }
    assert RENDITION_SPECS["thumb"].target_size((4000, 3000)) == (512, 384)


@pytest.mark.parametrize(
    ("width", "height", "quality"), [(0, 10, 80), (10, 0, 80), (10, 10, 0), (10, 10, 96)]
)
def test_a_spec_checks_its_arguments_when_made(width, height, quality) -> None:
    with pytest.raises(ValueError):
        RenditionSpec("bad", width, height, quality)


# --- photo renditions -------------------------------------------------------------------------


def _quadrants(size: tuple[int, int]) -> Image.Image:
    """Red top-left quarter on blue: shows where the top-left corner ends up."""
    img = Image.new("RGB", size, BLUE)
    ImageDraw.Draw(img).rectangle((0, 0, size[0] // 2, size[1] // 2), fill=RED)
    return img


def _near(pixel, colour, slack: int = 40) -> bool:
    return all(abs(a - b) <= slack for a, b in zip(pixel, colour, strict=True))


def test_a_12_megapixel_jpeg_gives_both_sizes(tmp_path) -> None:
    path = tmp_path / "big.jpg"
    _quadrants((4000, 3000)).save(path, "JPEG", quality=90)
    renditions = make_photo_renditions(path, ["thumb", "preview"], max_pixels=LIMIT)
    assert {name: _decoded(data).size for name, data in renditions.items()} == {
        "thumb": (512, 384),
        "preview": (1500, 1125),  # libjpeg's 3/8 scale, within the preview's 1280-1600 px: no resize
    }
    assert _near(_decoded(renditions["thumb"]).getpixel((10, 10)), RED)


def test_exif_orientation_is_applied_to_every_rendition(tmp_path) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # stored turned; a viewer turns it 90° clockwise
    path = tmp_path / "turned.jpg"
    _quadrants((2400, 1800)).save(path, "JPEG", exif=exif.tobytes())
    renditions = make_photo_renditions(path, ["thumb", "preview"], max_pixels=LIMIT)
    for data in renditions.values():
        img = _decoded(data)
        assert img.width < img.height  # portrait once upright
        # The stored top-left corner is now at the top right.
        assert _near(img.getpixel((img.width - 5, 5)), RED)
        assert _near(img.getpixel((5, 5)), BLUE)


@pytest.mark.parametrize("n", range(1, 9))
def test_corpus_orientations_all_come_out_landscape(n: int) -> None:
    thumb = _decoded(
        make_photo_renditions(
            _corpus("exif-samples", "jpg", "orientation", f"landscape_{n}.jpg"), ["thumb"], max_pixels=LIMIT
        )["thumb"]
    )
    assert thumb.size == (512, 384)


def _save(img: Image.Image, path: Path, fmt: str, **args) -> Path:
    img.save(path, fmt, **args)
    return path


def test_every_pixel_mode_becomes_rgb_jpeg(tmp_path) -> None:
    transparent = Image.new("RGBA", (40, 30), (0, 0, 0, 0))
    palette = Image.new("P", (40, 30), 3)
    cases = {
        "rgba.png": _save(transparent, tmp_path / "rgba.png", "PNG"),
        "la.png": _save(Image.new("LA", (40, 30), (0, 0)), tmp_path / "la.png", "PNG"),
        "palette.gif": _save(palette, tmp_path / "palette.gif", "GIF", transparency=3),
        "cmyk.jpg": _save(Image.new("CMYK", (40, 30), (0, 255, 255, 0)), tmp_path / "cmyk.jpg", "JPEG"),
        "grey16.png": _save(Image.new("I;16", (40, 30), 65535), tmp_path / "grey16.png", "PNG"),
        "bilevel.tif": _save(Image.new("1", (40, 30), 1), tmp_path / "bilevel.tif", "TIFF"),
    }
    for name, path in cases.items():
        img = _decoded(make_photo_renditions(path, ["thumb"], max_pixels=LIMIT)["thumb"])
        assert (img.mode, img.size) == ("RGB", (40, 30)), name
        if name in ("rgba.png", "la.png", "palette.gif", "grey16.png", "bilevel.tif"):
            assert _near(img.getpixel((20, 15)), (255, 255, 255), 8), name  # transparent -> white
    cmyk = _decoded(make_photo_renditions(cases["cmyk.jpg"], ["thumb"], max_pixels=LIMIT)["thumb"])
    assert _near(cmyk.getpixel((20, 15)), (255, 0, 0), 60)


def test_heif_renders(tmp_path) -> None:
    thumb = _decoded(
        make_photo_renditions(
            _corpus("exif-samples", "heic", "samplefilehub.heif"), ["thumb"], max_pixels=LIMIT
        )["thumb"]
    )
    assert thumb.size == (512, 341)


def test_a_decompression_bomb_is_refused_before_decoding(tmp_path) -> None:
    bomb = _png_header_only(tmp_path / "bomb.png", 30000, 30000)
    with pytest.raises(RejectedFile) as refused:
        make_photo_renditions(bomb, ["thumb"], max_pixels=LIMIT)
    assert str(refused.value) == (
        "The image is 30000×30000 pixels, above the limit of 120 million pixels"
        " (a possible decompression bomb)."
    )


@pytest.mark.parametrize(("width", "height"), [(15000, 10000), (12000, 10001)])
def test_images_just_above_the_limit_are_refused_too(tmp_path, width, height) -> None:
    path = _png_header_only(tmp_path / "large.png", width, height)
    with pytest.raises(RejectedFile, match=f"^The image is {width}×{height} pixels, above the limit"):
        make_photo_renditions(path, ["thumb"], max_pixels=LIMIT)


def test_the_limit_comes_from_the_argument(tmp_path) -> None:
    path = _save(Image.new("RGB", (100, 100)), tmp_path / "small.png", "PNG")
    with pytest.raises(
        RejectedFile, match=r"^The image is 100×100 pixels, above the limit of 0\.005 million"
    ):
        make_photo_renditions(path, ["thumb"], max_pixels=5000)
    assert Image.MAX_IMAGE_PIXELS != 5000  # Pillow's global is restored


def test_a_truncated_jpeg_is_refused(tmp_path) -> None:
    whole = tmp_path / "whole.jpg"
    _quadrants((800, 600)).save(whole, "JPEG")
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(whole.read_bytes()[:4000])
    with pytest.raises(
        RejectedFile, match=_exact("The image is truncated or corrupt and cannot be decoded.")
    ):
        make_photo_renditions(cut, ["thumb"], max_pixels=LIMIT)


def test_something_that_is_no_image_is_refused(tmp_path) -> None:
    path = tmp_path / "fake.jpg"
    path.write_bytes(b"<html><body>hello</body></html>")
    with pytest.raises(RejectedFile, match=_exact("The file is not an image that can be read.")):
        make_photo_renditions(path, ["thumb"], max_pixels=LIMIT)


def test_an_unknown_rendition_name_is_a_programming_error(tmp_path) -> None:
    path = _save(Image.new("RGB", (10, 10)), tmp_path / "a.png", "PNG")
    with pytest.raises(ValueError, match="no rendition named 'huge'"):
        make_photo_renditions(path, ["huge"], max_pixels=LIMIT)


def test_render_image_for_frames_from_video_or_pdf() -> None:
    frame = Image.new("RGBA", (1920, 1080), (10, 200, 10, 255))
    keyframe = _decoded(render_image(frame, "keyframe"))
    poster = _decoded(render_image(frame, "poster"))
    assert (keyframe.size, poster.size) == ((320, 180), (1280, 720))
    assert _near(poster.getpixel((640, 360)), (10, 200, 10))


def test_renditions_carry_no_exif(tmp_path) -> None:
    exif = Image.Exif()
    exif[0x010F] = "Canon"
    path = tmp_path / "gps.jpg"
    Image.new("RGB", (50, 50)).save(path, "JPEG", exif=exif.tobytes())
    thumb = Image.open(io.BytesIO(make_photo_renditions(path, ["thumb"], max_pixels=LIMIT)["thumb"]))
    assert "exif" not in thumb.info


# --- perceptual hash --------------------------------------------------------------------------


def _scene(seed: int) -> Image.Image:
    img = Image.new("RGB", (800, 600), (30 * seed % 255, 90, 160))
    draw = ImageDraw.Draw(img)
    for i in range(12):
        x, y = (i * 137 * seed) % 700, (i * 71 + seed * 40) % 500
        draw.ellipse((x, y, x + 90, y + 70), fill=((i * 40) % 255, 255 - i * 20, (seed * 60) % 255))
    return img


def test_near_duplicates_hash_close_and_different_pictures_far(tmp_path) -> None:
    original = tmp_path / "original.jpg"
    _scene(1).save(original, "JPEG", quality=92)
    recompressed = tmp_path / "small.jpg"
    _scene(1).resize((400, 300)).save(recompressed, "JPEG", quality=60)
    other = tmp_path / "other.jpg"
    _scene(2).save(other, "JPEG")
    a, b, c = (perceptual_hash(p) for p in (original, recompressed, other))
    assert len(a) == 16 and int(a, 16) >= 0
    assert hash_distance(a, b) <= 6
    assert hash_distance(a, c) >= 16


def test_a_copy_turned_by_exif_hashes_like_the_upright_original(tmp_path) -> None:
    upright = tmp_path / "upright.jpg"
    _scene(3).save(upright, "JPEG")
    exif = Image.Exif()
    exif[0x0112] = 6
    stored_turned = tmp_path / "turned.jpg"
    _scene(3).transpose(Image.Transpose.ROTATE_90).save(stored_turned, "JPEG", exif=exif.tobytes())
    assert hash_distance(perceptual_hash(upright), perceptual_hash(stored_turned)) <= 6


def test_a_hash_of_the_thumbnail_matches_the_hash_of_the_file(tmp_path) -> None:
    path = tmp_path / "scene.jpg"
    _scene(4).save(path, "JPEG")
    thumb = Image.open(io.BytesIO(make_photo_renditions(path, ["thumb"], max_pixels=LIMIT)["thumb"]))
    assert hash_distance(perceptual_hash(path), perceptual_hash(thumb)) <= 4


def test_hash_distance() -> None:
    assert hash_distance("ffff000000000000", "ffff000000000000") == 0
    assert hash_distance("0000000000000000", "000000000000000f") == 4
    with pytest.raises(ValueError):
        hash_distance("00", "0000")
