"""Reading a photo's metadata from EXIF, XMP and IPTC, on real camera files and made ones."""

from __future__ import annotations

import re
import struct
import unicodedata
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PIL import Image

from tfdb_dam.errors import RejectedFile
from tfdb_dam.media.exif import MALFORMED_WARNING
from tfdb_dam.media.photo import read_photo_metadata

CORPUS = Path(__file__).resolve().parents[3] / ".." / "shared" / "corpus"
TOLERANCE = 1e-4
HUE_NFD = unicodedata.normalize("NFD", "Lễ hội Huế")


def _exact(message: str) -> str:
    """A pattern for pytest.raises(match=...) that matches this message and nothing else."""
    return f"^{re.escape(message)}$"


def _corpus(*parts: str) -> Path:
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"The shared test corpus is absent ({path}); see ../shared/corpus/README.md.")
    return path


def _exif_samples() -> list[Path]:
    root = _corpus("exif-samples")
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name not in ("dump", "README"))


def _parse_dump(dump: Path) -> dict[str, dict[str, str]]:
    """exifread's reference output: {'jpg/gps/DSCN0010': {'GPS GPSLatitude': '[43, 28, 1407/500]', ...}}."""
    files: dict[str, dict[str, str]] = {}
    current: dict[str, str] = {}
    for line in dump.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("Opening: "):
            name = line.removeprefix("Opening: ").split("/", 1)[1]
            current = files.setdefault(name.lower().rsplit(".", 1)[0], {})
        elif " (" in line and "): " in line:
            key, rest = line.split(" (", 1)
            current[key] = rest.split("): ", 1)[1]
    return files


def test_every_exif_sample_is_read_without_an_exception() -> None:
    # Including jpg/tests, jpg/invalid and corrupted.jpg: a bad block never fails the photo.
    samples = _exif_samples()
    assert len(samples) > 90
    for path in samples:
        meta = read_photo_metadata(path)
        assert meta.width > 0 and meta.height > 0, path
        assert 1 <= meta.orientation <= 8


def test_displayed_tags_agree_with_exifreads_reference_dump() -> None:
    reference = _parse_dump(_corpus("exif-samples", "dump"))
    root = _corpus("exif-samples")
    compared = 0
    for path in _exif_samples():
        expected = reference.get(str(path.relative_to(root)).lower().rsplit(".", 1)[0])
        if not expected:
            continue
        shown = read_photo_metadata(path).exif
        for key, value in expected.items():
            if key in shown:
                assert shown[key] == value.strip(), (path.name, key)
                compared += 1
    assert compared > 2000


# Degrees, minutes and seconds copied from the reference dump (all are N and E).
GPS_SAMPLES = {
    "DSCN0010.jpg": ((43, 28, 1407 / 500), (11, 53, 645599999 / 100000000)),
    "DSCN0012.jpg": ((43, 28, 176399999 / 100000000), (11, 53, 742199999 / 100000000)),
    "DSCN0021.jpg": ((43, 28, 149399999 / 100000000), (11, 53, 433799999 / 100000000)),
    "DSCN0025.jpg": ((43, 28, 3057 / 500), (11, 52, 538859999 / 10000000)),
    "DSCN0027.jpg": ((43, 28, 639 / 100), (11, 52, 26727 / 500)),
    "DSCN0029.jpg": ((43, 28, 567599999 / 100000000), (11, 52, 486179999 / 10000000)),
    "DSCN0038.jpg": ((43, 28, 211799999 / 100000000), (11, 52, 5646 / 125)),
    "DSCN0040.jpg": ((43, 27, 576419999 / 10000000), (11, 52, 448019999 / 10000000)),
    "DSCN0042.jpg": ((43, 27, 26019 / 500), (11, 52, 26661 / 500)),
}


def _degrees(dms: tuple[float, float, float]) -> float:
    return dms[0] + dms[1] / 60 + dms[2] / 3600


@pytest.mark.parametrize("name", sorted(GPS_SAMPLES))
def test_gps_photos_give_their_coordinates(name: str) -> None:
    meta = read_photo_metadata(_corpus("exif-samples", "jpg", "gps", name))
    lat, lon = GPS_SAMPLES[name]
    assert meta.gps_lat == pytest.approx(_degrees(lat), abs=TOLERANCE)
    assert meta.gps_lon == pytest.approx(_degrees(lon), abs=TOLERANCE)
    assert meta.sources["gps"] == "exif"


def test_west_longitudes_are_negative() -> None:
    gps = read_photo_metadata(_corpus("exiftool-samples", "images", "GPS.jpg"))  # 54° 59.38′ N, 1° 54.85′ W
    assert gps.gps_lat == pytest.approx(54 + 59.38 / 60, abs=TOLERANCE)
    assert gps.gps_lon == pytest.approx(-(1 + 54.85 / 60), abs=TOLERANCE)
    nokia = read_photo_metadata(_corpus("exif-samples", "heic", "mobile", "HMD_Nokia_8.3_5G_hdr.heif"))
    assert nokia.gps_lat == pytest.approx(40 + 39 / 60 + (233883 / 5000) / 3600, abs=TOLERANCE)
    assert nokia.gps_lon == pytest.approx(-(3 + 45 / 60 + (12366459 / 250000) / 3600), abs=TOLERANCE)
    assert nokia.gps_alt == pytest.approx(4701593 / 5000, abs=TOLERANCE)


def test_iptc_iim_fields() -> None:
    meta = read_photo_metadata(_corpus("exiftool-samples", "images", "IPTC.jpg"))
    assert meta.caption == "A witty caption"
    assert meta.creator == "Phil Harvey"
    assert meta.sources["caption"] == "iptc"


def test_xmp_fields_even_in_a_utf16_packet() -> None:
    meta = read_photo_metadata(_corpus("exiftool-samples", "images", "XMP.jpg"))
    assert meta.title == "Test IPTC picture"
    assert meta.creator == "Phil Harvey"
    assert meta.copyright == "Copyright 2004 Phil Harvey"
    assert meta.keywords == ["ExifTool", "Test", "XMP"]
    assert meta.sources["title"] == "xmp"


def test_tiff_iptc_stored_as_longs_is_read() -> None:
    meta = read_photo_metadata(_corpus("exiftool-samples", "images", "ExifTool.tif"))
    assert meta.title == "This is the title"
    assert meta.keywords == ["exiftool", "test", "picture"]


def test_camera_exposure_and_local_capture_time() -> None:
    meta = read_photo_metadata(_corpus("exif-samples", "jpg", "Canon_40D.jpg"))
    assert (meta.camera_make, meta.camera_model) == ("Canon", "Canon EOS 40D")
    assert meta.captured_at == datetime(2008, 5, 30, 15, 56, 1)  # no offset recorded: naive
    assert meta.exposure == {"exposure_time": "1/160", "f_number": 7.1, "iso": 100, "focal_length_mm": 135.0}
    assert "EXIF MakerNote" not in meta.exif and "JPEGThumbnail" not in meta.exif


def test_a_recorded_utc_offset_makes_the_capture_time_aware() -> None:
    meta = read_photo_metadata(_corpus("exif-samples", "heic", "mobile", "iphone_13_pro_max.HEIC"))
    assert meta.captured_at == datetime(2022, 2, 16, 12, 55, 41, 762000, tzinfo=timezone(timedelta(hours=1)))
    assert meta.lens == "Apple iPhone 13 Pro Max back triple camera 5.7mm f/1.5"
    # pillow-heif turns the pixels upright itself: the size is already as displayed.
    assert (meta.orientation, meta.width, meta.height) == (6, 3024, 4032)
    assert meta.exif["Image Orientation"] == "Rotated 90 CW"


def test_orientation_swaps_the_displayed_size() -> None:
    stored_upright = read_photo_metadata(_corpus("exif-samples", "jpg", "orientation", "landscape_1.jpg"))
    stored_turned = read_photo_metadata(_corpus("exif-samples", "jpg", "orientation", "landscape_6.jpg"))
    assert (stored_upright.orientation, stored_upright.width, stored_upright.height) == (1, 600, 450)
    assert (stored_turned.orientation, stored_turned.width, stored_turned.height) == (6, 600, 450)


def test_a_damaged_gps_ifd_keeps_the_other_tags_and_warns() -> None:
    meta = read_photo_metadata(_corpus("exif-samples", "jpg", "tests", "45-gps_ifd.jpg"))
    assert meta.camera_make == "Polyphony Digital Inc."
    assert meta.warnings == [MALFORMED_WARNING]


def _exif_block() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Canon"
    exif[0x0110] = "EOS 80D"
    exif_ifd = exif.get_ifd(0x8769)
    exif_ifd[0x9003] = "2024:03:01 08:30:00"
    exif_ifd[0x9011] = "+07:00"
    exif_ifd[0xA434] = "EF 24-70mm f/2.8L"
    return exif.tobytes()


def _exif_ifd_offset(block: bytes) -> int:
    tiff = block[6:]
    order = "<" if tiff[:2] == b"II" else ">"
    ifd0 = struct.unpack(order + "I", tiff[4:8])[0]
    for index in range(struct.unpack(order + "H", tiff[ifd0 : ifd0 + 2])[0]):
        entry = tiff[ifd0 + 2 + 12 * index : ifd0 + 14 + 12 * index]
        if struct.unpack(order + "H", entry[:2])[0] == 0x8769:
            return 6 + struct.unpack(order + "I", entry[8:12])[0]
    raise AssertionError("no EXIF IFD")


def _jpeg(tmp_path: Path, name: str = "photo.jpg", size=(64, 48), **save_args) -> Path:
    path = tmp_path / name
    Image.new("RGB", size, "orange").save(path, "JPEG", **save_args)
    return path


def test_an_exif_block_cut_inside_its_exif_ifd_keeps_what_was_read(tmp_path) -> None:
    block = _exif_block()
    cut = block[: _exif_ifd_offset(block) + 2 + 12 + 5]  # in the middle of the second entry
    meta = read_photo_metadata(_jpeg(tmp_path, exif=cut))
    assert (meta.camera_make, meta.camera_model) == ("Canon", "EOS 80D")
    assert meta.warnings == [MALFORMED_WARNING]
    assert (meta.width, meta.height) == (64, 48)


def test_a_whole_exif_block_gives_aware_time_and_lens(tmp_path) -> None:
    meta = read_photo_metadata(_jpeg(tmp_path, exif=_exif_block()))
    assert meta.captured_at == datetime(2024, 3, 1, 8, 30, tzinfo=timezone(timedelta(hours=7)))
    assert meta.lens == "EF 24-70mm f/2.8L"
    assert meta.warnings == []


def _photoshop_iptc(datasets: list[tuple[int, int, bytes]]) -> bytes:
    iim = b"".join(b"\x1c" + bytes([r, n]) + len(v).to_bytes(2, "big") + v for r, n, v in datasets)
    if len(iim) % 2:
        iim += b"\0"
    resource = b"8BIM" + (0x0404).to_bytes(2, "big") + b"\0\0" + len(iim).to_bytes(4, "big") + iim
    payload = b"Photoshop 3.0\0" + resource
    return b"\xff\xed" + (len(payload) + 2).to_bytes(2, "big") + payload


def test_vietnamese_text_comes_out_in_nfc_from_xmp_and_iptc(tmp_path) -> None:
    xmp = (
        "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
        "<rdf:Description xmlns:dc='http://purl.org/dc/elements/1.1/'>"
        f"<dc:title><rdf:Alt><rdf:li xml:lang='x-default'>{HUE_NFD}</rdf:li></rdf:Alt></dc:title>"
        f"<dc:subject><rdf:Bag><rdf:li>{HUE_NFD}</rdf:li><rdf:li>Đại Nội</rdf:li></rdf:Bag></dc:subject>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
    ).encode()
    jpeg = _jpeg(tmp_path, xmp=xmp).read_bytes()
    iptc = _photoshop_iptc(
        [(1, 90, b"\x1b%G"), (2, 120, f"  {HUE_NFD}\x00 ".encode()), (2, 80, "Nguyễn Văn A".encode())]
    )
    path = tmp_path / "vi.jpg"
    path.write_bytes(jpeg[:2] + iptc + jpeg[2:])
    meta = read_photo_metadata(path)
    assert meta.title == "Lễ hội Huế" and unicodedata.is_normalized("NFC", meta.title)
    assert meta.keywords == ["Lễ hội Huế", "Đại Nội"]
    assert meta.caption == "Lễ hội Huế"  # NULs and spaces stripped
    assert meta.creator == "Nguyễn Văn A"
    assert (meta.sources["title"], meta.sources["caption"]) == ("xmp", "iptc")


def test_windows_explorer_tags_are_the_last_resort(tmp_path) -> None:
    exif = Image.Exif()
    exif[0x9C9B] = "Tiêu đề".encode("utf-16-le") + b"\0\0"  # XPTitle
    exif[0x9C9E] = "huế;lễ hội".encode("utf-16-le")  # XPKeywords
    exif[0x010E] = "OLYMPUS DIGITAL CAMERA"  # a camera's own filler, not a caption
    meta = read_photo_metadata(_jpeg(tmp_path, exif=exif.tobytes()))
    assert meta.title == "Tiêu đề"
    assert meta.keywords == ["huế", "lễ hội"]
    assert meta.caption is None


@pytest.mark.parametrize("fmt", ["PNG", "GIF", "WEBP", "TIFF", "BMP"])
def test_other_formats_give_their_size(tmp_path, fmt: str) -> None:
    path = tmp_path / f"image.{fmt.lower()}"
    Image.new("RGB", (30, 20), "navy").save(path, fmt)
    meta = read_photo_metadata(path)
    assert (meta.width, meta.height) == (30, 20)


def test_webp_exif_is_read(tmp_path) -> None:
    path = tmp_path / "camera.webp"
    Image.new("RGB", (30, 20), "navy").save(path, "WEBP", exif=_exif_block())
    assert read_photo_metadata(path).camera_model == "EOS 80D"


def _png_header_only(path: Path, width: int, height: int) -> Path:
    """A PNG that declares its size but holds no pixels: enough for a header reader."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b""))
    return path


def test_a_huge_declared_size_is_read_from_the_header_without_decoding(tmp_path) -> None:
    meta = read_photo_metadata(_png_header_only(tmp_path / "huge.png", 30000, 30000))
    assert (meta.width, meta.height) == (30000, 30000)


def test_a_file_that_is_not_an_image_is_refused(tmp_path) -> None:
    path = tmp_path / "x.jpg"
    path.write_bytes(b"this is not an image at all")
    with pytest.raises(RejectedFile, match=_exact("The file is not an image that can be read.")):
        read_photo_metadata(path)
