"""Exact duplicates are stored once and named; near-duplicate photos are imported and flagged."""

from __future__ import annotations

import shutil

from sqlalchemy import func, select

from tfdb_dam.db.models import Asset

from .conftest import by_name, import_now, patterned, stored_files


def test_the_same_content_is_stored_once_and_the_outcome_names_the_asset(ctx, media_dir):
    first = patterned(media_dir / "a.jpg", seed=1, fmt="JPEG")
    copy = media_dir / "copy-of-a.jpg"
    shutil.copy(first, copy)
    outcomes = import_now(ctx, [first, copy, first])
    again = import_now(ctx, [copy])
    with ctx.db.begin() as session:
        [asset_id] = session.execute(select(Asset.id)).scalars().all()
    assert sorted((o.path.rsplit("/", 1)[1], o.status, o.asset_id) for o in outcomes) == [
        ("a.jpg", "duplicate", asset_id), ("a.jpg", "imported", asset_id), ("copy-of-a.jpg", "duplicate", asset_id)]
    assert [(o.status, o.asset_id) for o in again] == [("duplicate", asset_id)]
    assert len([p for p in stored_files(ctx) if "originals" in p.parts]) == 1


def test_a_resized_copy_is_imported_and_flagged_for_the_reviewer(ctx, media_dir):
    [first] = import_now(ctx, [patterned(media_dir / "festival.jpg", seed=11, size=(640, 480), fmt="JPEG")])
    smaller = patterned(media_dir / "festival-small.jpg", seed=11, size=(640, 480), fmt="JPEG")
    from PIL import Image

    Image.open(smaller).resize((320, 240)).save(smaller, "JPEG", quality=60)
    other = patterned(media_dir / "other.jpg", seed=12, size=(640, 480), fmt="JPEG")
    outcomes = by_name(import_now(ctx, [smaller, other]))
    with ctx.db.begin() as session:
        near = session.get(Asset, outcomes["festival-small.jpg"].asset_id)
        assert outcomes["festival-small.jpg"].status == "imported"
        assert near.near_duplicate_of_id == first.asset_id
        assert f"Possibly the same as asset {first.asset_id}." in near.notes
        unrelated = session.get(Asset, outcomes["other.jpg"].asset_id)
        assert unrelated.near_duplicate_of_id is None and unrelated.notes == []
        assert session.execute(select(func.count()).select_from(Asset)).scalar() == 3


def test_look_alikes_in_one_job_point_at_the_one_stored_first(ctx, media_dir):
    from PIL import Image

    original = patterned(media_dir / "boat.jpg", seed=13, size=(640, 480), fmt="JPEG")
    smaller = media_dir / "boat-small.jpg"
    Image.open(original).resize((320, 240)).save(smaller, "JPEG", quality=60)
    outcomes = by_name(import_now(ctx, [original, smaller]))  # one group: one job, one transaction
    with ctx.db.begin() as session:
        first = session.get(Asset, outcomes["boat.jpg"].asset_id)
        second = session.get(Asset, outcomes["boat-small.jpg"].asset_id)
        assert (first.near_duplicate_of_id, first.notes) == (None, [])
        assert second.near_duplicate_of_id == first.id
