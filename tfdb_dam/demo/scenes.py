"""Paints the demo library's photos: simple landscapes with real-looking EXIF (time, camera, GPS).

The demo ships no binary files; each photo is drawn from its record, so `tfdb demo` works
offline and the pictures differ from one another.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import random
from fractions import Fraction

from PIL import Image, ImageDraw, ImageFilter

SIZE = (1600, 1067)
_PALETTES = (
    ((255, 183, 94), (255, 120, 87), (58, 86, 126), (28, 48, 74)),   # dawn
    ((126, 200, 245), (198, 232, 250), (46, 125, 90), (30, 80, 60)),  # noon, green hills
    ((250, 140, 90), (120, 70, 140), (40, 40, 80), (20, 24, 48)),     # dusk
    ((170, 215, 235), (235, 245, 250), (40, 120, 160), (20, 70, 110)),  # sea
)


def _sky(draw: ImageDraw.ImageDraw, top: tuple, bottom: tuple) -> None:
    height = SIZE[1]
    for y in range(height):
        t = y / height
        color = tuple(int(top[i] * (1 - t) + bottom[i] * t) for i in range(3))
        draw.line([(0, y), (SIZE[0], y)], fill=color)


def _ridge(draw: ImageDraw.ImageDraw, rng: random.Random, base: int, amp: int, color: tuple) -> None:
    points, x = [(0, SIZE[1])], 0
    y = base
    while x <= SIZE[0]:
        y = max(base - amp, min(base + amp, y + rng.randint(-40, 40)))
        points.append((x, y))
        x += rng.randint(40, 120)
    points += [(SIZE[0], y), (SIZE[0], SIZE[1])]
    draw.polygon(points, fill=color)


def paint(seed_text: str) -> Image.Image:
    rng = random.Random(hashlib.sha256(seed_text.encode()).digest())
    sky_top, sky_bottom, near, far = rng.choice(_PALETTES)
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    _sky(draw, sky_top, sky_bottom)
    sun = (rng.randint(200, 1400), rng.randint(120, 420))
    draw.ellipse([sun[0] - 70, sun[1] - 70, sun[0] + 70, sun[1] + 70], fill=(255, 236, 180))
    _ridge(draw, rng, 620, 90, far)
    _ridge(draw, rng, 820, 60, near)
    for _ in range(rng.randint(3, 8)):  # roofs, boats or trees, depending on the eye
        x, y = rng.randint(0, SIZE[0]), rng.randint(760, 1000)
        w, h = rng.randint(40, 160), rng.randint(30, 120)
        draw.rectangle([x, y - h, x + w, y], fill=tuple(max(0, c - 30) for c in near))
        draw.polygon([(x - 15, y - h), (x + w // 2, y - h - 45), (x + w + 15, y - h)], fill=(150, 40, 40))
    return image.filter(ImageFilter.GaussianBlur(0.6))


def _rational(value: float) -> tuple[int, int]:
    frac = Fraction(value).limit_denominator(10000)
    return frac.numerator, frac.denominator


def _dms(value: float) -> tuple:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = (value - degrees - minutes / 60) * 3600
    return (degrees, minutes, round(seconds, 4))


def jpeg_with_exif(image: Image.Image, when: dt.datetime | None, lat: float | None, lon: float | None) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "FUJIFILM"          # Make
    exif[0x0110] = "X-T4"              # Model
    if when is not None:
        ifd = exif.get_ifd(0x8769)
        ifd[0x9003] = when.strftime("%Y:%m:%d %H:%M:%S")  # DateTimeOriginal
        if when.utcoffset() is not None:
            minutes = int(when.utcoffset().total_seconds() // 60)
            ifd[0x9011] = f"{'+' if minutes >= 0 else '-'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    if lat is not None and lon is not None:
        gps = exif.get_ifd(0x8825)
        gps[1], gps[2] = ("N" if lat >= 0 else "S"), _dms(lat)
        gps[3], gps[4] = ("E" if lon >= 0 else "W"), _dms(lon)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88, exif=exif)
    return out.getvalue()
