"""Decoding JPEGs at libjpeg's k/8 scales, and the preview a 12-MP photo gets from it without resampling."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw

from tfdb_dam.media import jpeg_scale
from tfdb_dam.media.jpeg_scale import draft_to_cover, scaled_size
from tfdb_dam.media.renditions import RENDITION_SPECS, make_photo_renditions

LIMIT = 120_000_000
RED, BLUE = (220, 20, 20), (20, 20, 220)


def _scene(size: tuple[int, int]) -> Image.Image:
    """Red top-left quarter on blue with thin stripes: detail a bad resampling would smear or alias."""
    img = Image.new("RGB", size, BLUE)
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, size[0] // 2, size[1] // 2), fill=RED)
    for x in range(size[0] // 2, size[0], 24):
        draw.rectangle((x, size[1] // 2, x + 11, size[1]), fill=(240, 240, 240))
    return img


def _jpeg(img: Image.Image, **save) -> bytes:
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90, **save)
    return out.getvalue()


def _psnr(a: Image.Image, b: Image.Image) -> float:
    x, y = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(10 * np.log10(255**2 / ((x - y) ** 2).mean()))


@pytest.mark.parametrize(
    ("size", "eighths", "expected"),
    [((4000, 3000), 3, (1500, 1125)), ((4000, 3000), 4, (2000, 1500)), ((4001, 3001), 1, (501, 376))],
)
def test_scaled_sizes_round_up_like_libjpeg(size, eighths, expected) -> None:
    assert scaled_size(size, eighths) == expected


def test_this_pillow_decodes_at_three_eighths() -> None:
    # If a Pillow upgrade closes the route, previews still come out right (see the fallback
    # test below) but cost a resampling pass: this test says so before the benchmark does.
    assert jpeg_scale._three_eighths_works()


@pytest.mark.parametrize(
    ("cover", "expected"),
    [((1280, 960), (1500, 1125)), ((1600, 1200), (2000, 1500)), ((512, 384), (1000, 750)), ((3000, 2250), (4000, 3000))],
)
def test_the_smallest_scale_that_covers_is_chosen(cover, expected) -> None:
    with Image.open(io.BytesIO(_jpeg(_scene((4000, 3000))))) as img:
        assert draft_to_cover(img, cover) == expected
        img.load()
        assert img.size == expected


def test_a_three_eighths_decode_looks_like_a_careful_resize() -> None:
    original = _scene((4000, 3000))
    with Image.open(io.BytesIO(_jpeg(original))) as img:
        draft_to_cover(img, (1280, 960))
        img.load()
        reference = original.resize(img.size, Image.Resampling.LANCZOS)
        assert _psnr(img, reference) > 30
        assert img.getpixel((10, 10))[0] > 180 and img.getpixel((img.width - 10, 10))[2] > 180


def test_a_12_megapixel_preview_is_the_scaled_decode_within_its_bounds(tmp_path) -> None:
    path = tmp_path / "big.jpg"
    path.write_bytes(_jpeg(_scene((4000, 3000))))
    preview = Image.open(io.BytesIO(make_photo_renditions(path, ["preview"], max_pixels=LIMIT)["preview"]))
    spec = RENDITION_SPECS["preview"]
    assert preview.size == (1500, 1125)
    assert spec.min_edge <= max(preview.size) <= spec.max_width


def test_the_three_eighths_route_turns_the_preview_upright(tmp_path) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # stored turned; shown turned 90° clockwise
    path = tmp_path / "turned.jpg"
    path.write_bytes(_jpeg(_scene((4000, 3000)), exif=exif.tobytes()))
    renditions = make_photo_renditions(path, ["thumb", "preview"], max_pixels=LIMIT)
    preview, thumb = (Image.open(io.BytesIO(renditions[name])) for name in ("preview", "thumb"))
    assert (preview.size, thumb.size) == ((1125, 1500), (384, 512))
    for img in (preview, thumb):
        assert img.getpixel((img.width - 5, 5))[0] > 180  # the stored top-left corner, now top right


def test_without_the_route_the_preview_is_resized_from_half_scale(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(jpeg_scale, "_three_eighths_works", lambda: False)
    path = tmp_path / "big.jpg"
    path.write_bytes(_jpeg(_scene((4000, 3000))))
    renditions = make_photo_renditions(path, ["thumb", "preview"], max_pixels=LIMIT)
    assert Image.open(io.BytesIO(renditions["preview"])).size == (1600, 1200)
    assert Image.open(io.BytesIO(renditions["thumb"])).size == (512, 384)


def test_a_photo_whose_scaled_decode_is_too_small_gets_a_full_size_preview(tmp_path) -> None:
    path = tmp_path / "phone.jpg"  # 3264 wide: 3/8 gives 1224 px, below the preview's 1280
    path.write_bytes(_jpeg(_scene((3264, 2448))))
    preview = make_photo_renditions(path, ["preview"], max_pixels=LIMIT)["preview"]
    assert Image.open(io.BytesIO(preview)).size == (1600, 1200)


def test_a_smallest_edge_must_fit_the_box() -> None:
    from tfdb_dam.media.renditions import RenditionSpec

    with pytest.raises(ValueError):
        RenditionSpec("bad", 100, 100, 80, min_edge=200)
