"""The asset page's EXIF table shows GPS as decimal degrees with the hemisphere, altitude in metres
and the fix time, in the reader's language, not as exifread's raw fractions."""

from __future__ import annotations

from tfdb_dam.ui.exif_gps import numbers, readable_gps

# As the reader stores them (exifread's printable values; this one from the corpus's DSCN0010.jpg).
STORED = {
    "GPS GPSLatitudeRef": "N", "GPS GPSLatitude": "[16, 28, 1234/100]",
    "GPS GPSLongitudeRef": "E", "GPS GPSLongitude": "[107, 34, 4299/100]",
    "GPS GPSAltitudeRef": "0", "GPS GPSAltitude": "123/10",
    "GPS GPSTimeStamp": "[14, 27, 181/25]", "GPS GPSMapDatum": "WGS-84", "Image Make": "Canon",
}


def test_english_reader_sees_degrees_hemisphere_and_metres():
    shown = readable_gps(STORED, "en")
    assert shown["GPS GPSLatitude"] == "16.470094° N"  # 16 + 28/60 + 12.34/3600
    assert shown["GPS GPSLongitude"] == "107.578608° E"
    assert shown["GPS GPSAltitude"] == "12.3 m (above sea level)"
    assert shown["GPS GPSTimeStamp"] == "14:27:07 UTC"
    assert "GPS GPSLatitudeRef" not in shown and "GPS GPSAltitudeRef" not in shown  # folded in
    assert shown["GPS GPSMapDatum"] == "WGS-84" and shown["Image Make"] == "Canon"


def test_vietnamese_reader_sees_decimal_comma_and_vietnamese_hemispheres():
    south_west = {**STORED, "GPS GPSLatitudeRef": "S", "GPS GPSLongitudeRef": "W", "GPS GPSAltitudeRef": "1"}
    shown = readable_gps(south_west, "vi")
    assert shown["GPS GPSLatitude"] == "16,470094° N"  # N(am): south
    assert shown["GPS GPSLongitude"] == "107,578608° T"  # T(ây): west
    assert shown["GPS GPSAltitude"] == "12,3 m (dưới mực nước biển)"
    assert readable_gps(STORED, "vi")["GPS GPSLongitude"] == "107,578608° Đ"


def test_unreadable_values_stay_as_stored():
    odd = {"GPS GPSLatitude": "[16, 28, ... ]", "GPS GPSLatitudeRef": "N", "GPS GPSAltitude": "1/0"}
    assert readable_gps(odd, "en") == odd
    assert numbers("[43, 28, 1407/500]") == [43.0, 28.0, 2.814]
    assert numbers("abc") is None
