"""The provenance rule, without a database: file < import < manual, and edits without a source are a person's."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tfdb_dam.services.provenance import FILE, IMPORT, MANUAL, apply_fields, claim, current_source, may_set


def blank(**values):
    fields = dict(title_vi=None, title_en=None, credit=None, gps_lat=None, captured_tz_offset_min=None, tags=[])
    fields.update(values)
    return SimpleNamespace(field_sources={}, **fields)


def test_a_file_fills_empty_fields_and_says_so():
    asset = blank()
    assert apply_fields(asset, {"title_en": "Sunset", "gps_lat": 16.46}, FILE) == ["title_en", "gps_lat"]
    assert asset.field_sources == {"title_en": FILE, "gps_lat": FILE}


def test_a_higher_source_overwrites_a_lower_one_and_never_the_reverse():
    asset = blank()
    apply_fields(asset, {"title_en": "From EXIF"}, FILE)
    assert apply_fields(asset, {"title_en": "From the CSV"}, IMPORT) == ["title_en"]
    assert apply_fields(asset, {"title_en": "From EXIF again"}, FILE) == []
    apply_fields(asset, {"title_en": "Typed"}, MANUAL)
    assert apply_fields(asset, {"title_en": "CSV again"}, IMPORT) == []
    assert (asset.title_en, asset.field_sources["title_en"]) == ("Typed", MANUAL)


def test_the_same_rank_may_refresh_its_own_value():
    asset = blank()
    apply_fields(asset, {"credit": "Old"}, IMPORT)
    assert apply_fields(asset, {"credit": "New"}, IMPORT) == ["credit"]


def test_empty_values_from_files_and_imports_say_nothing_but_a_person_may_clear():
    asset = blank(title_vi="Huế")
    claim(asset, "title_vi", FILE)
    assert apply_fields(asset, {"title_vi": "", "credit": None}, IMPORT) == []
    assert asset.title_vi == "Huế"
    assert apply_fields(asset, {"title_vi": None}, MANUAL) == ["title_vi"]
    assert asset.title_vi is None and asset.field_sources["title_vi"] == MANUAL
    assert apply_fields(asset, {"title_vi": "From file"}, FILE) == []


def test_a_value_written_without_provenance_counts_as_a_persons_edit():
    asset = blank(credit="Set by a script")
    assert current_source(asset, "credit") == MANUAL
    assert apply_fields(asset, {"credit": "From EXIF"}, FILE) == []
    assert not may_set(asset, "credit", IMPORT) and may_set(asset, "credit", MANUAL)


def test_zero_is_a_value_not_an_absence():
    asset = blank()
    assert apply_fields(asset, {"captured_tz_offset_min": 0, "gps_lat": 0.0}, FILE) == ["captured_tz_offset_min", "gps_lat"]


def test_tags_unknown_fields_and_sources_are_refused():
    asset = blank()
    with pytest.raises(ValueError):
        apply_fields(asset, {"tags": ["a"]}, FILE)
    with pytest.raises(ValueError):
        apply_fields(asset, {"width": 10}, FILE)
    with pytest.raises(ValueError):
        apply_fields(asset, {"title_en": "x"}, "exif")
    assert may_set(asset, "tags", FILE)
    claim(asset, "tags", IMPORT)
    assert not may_set(asset, "tags", FILE)
