"""Editing metadata: who may, provenance, one audit entry per field, version, re-index."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from sqlalchemy import select, text

from tests.integration.workflow.factory import actor, make_asset
from tfdb_dam.db.models import Asset, AssetStatus, AuditEntry, ReviewEvent
from tfdb_dam.errors import ConcurrentEdit, NotFound, PermissionDenied, ValidationError
from tfdb_dam.services.metadata import edit_metadata


def _edit(ctx, who, asset_id, changes, version=None):  # noqa: ANN001, ANN202
    with ctx.db.begin() as session:
        seen = version if version is not None else session.get(Asset, asset_id).version
        return edit_metadata(session, ctx, actor(who), asset_id, changes, expected_version=seen)


def _embed_jobs(ctx) -> list[list[int]]:  # noqa: ANN001
    with ctx.db.begin() as session:
        return [row["asset_ids"] for row in session.execute(text(
            "SELECT args FROM procrastinate_jobs WHERE task_name = 'search.embed_assets' ORDER BY id")).scalars()]


def test_an_edit_is_manual_audited_per_field_versioned_and_reindexed(ctx, people):
    with ctx.db.begin() as session:
        asset = make_asset(session, people.contributor, license=None, field_sources={"title_vi": "file"})
        asset_id, version = asset.id, asset.version
    decomposed = unicodedata.normalize("NFD", "Lễ hội Huế")
    result = _edit(ctx, people.contributor, asset_id, {
        "title_vi": decomposed, "title_en": "Huế Imperial City",  # the second is unchanged
        "license": "CC BY-NC 4.0", "tags": ["Lễ hội", "le hoi", " áo  dài "], "category": "van-hoa-di-san",
        "rights_expires_on": "2030-12-31"})
    assert result.changed == ["title_vi", "license", "tags", "category", "rights_expires_on"] and not result.reopened
    with ctx.db.begin() as session:
        row = session.get(Asset, asset_id)
        assert row.title_vi == unicodedata.normalize("NFC", decomposed) and row.license == "CC-BY-NC-4.0"
        assert {t.name for t in row.tags} == {"Lễ hội", "áo dài"} and row.category.slug == "van-hoa-di-san"
        assert row.rights_expires_on == dt.date(2030, 12, 31) and row.version == version + 1
        assert row.updated_by_id == people.contributor.id
        assert {k: row.field_sources[k] for k in ("title_vi", "license", "tags", "category_id")} == dict.fromkeys(
            ("title_vi", "license", "tags", "category_id"), "manual")
        audits = session.execute(select(AuditEntry.details).where(AuditEntry.action == "asset.edit")
                                 .order_by(AuditEntry.id)).scalars().all()
        history = session.execute(select(ReviewEvent.action, ReviewEvent.comment)
                                  .where(ReviewEvent.asset_id == asset_id)).all()
        document = session.execute(text("SELECT search_folded::text FROM assets WHERE id = :id"),
                                   {"id": asset_id}).scalar_one()
    assert [(a["field"], a["before"], a["after"]) for a in audits] == [
        ("title_vi", "Đại Nội Huế", "Lễ hội Huế"), ("license", None, "CC-BY-NC-4.0"),
        ("tags", [], ["Lễ hội", "áo dài"]), ("category", None, "van-hoa-di-san"),
        ("rights_expires_on", None, "2030-12-31")]
    assert history == [("edit", "title_vi, license, tags, category, rights_expires_on")]
    assert "'hoi'" in document and "'ao'" in document  # the full-text document, in the same transaction
    assert _embed_jobs(ctx) == [[asset_id]]  # the vectors, in a job queued with it

    same = {"title_en": "Huế Imperial City", "credit": " Sở Ngoại vụ Thừa Thiên Huế "}
    again = _edit(ctx, people.contributor, asset_id, same)
    assert again.changed == [] and again.asset.version == version + 1  # nothing changed, nothing written

    only_rights = _edit(ctx, people.contributor, asset_id, {"usage_terms": "Chỉ dùng cho báo chí."})
    assert only_rights.changed == ["usage_terms"] and _embed_jobs(ctx) == [[asset_id]]  # not searchable


def test_who_may_edit_what(ctx, people):
    with ctx.db.begin() as session:
        draft_of_other = make_asset(session, people.contributor2).id
        own_approved = make_asset(session, people.contributor, status=AssetStatus.approved).id
        own_submitted = make_asset(session, people.contributor, status=AssetStatus.submitted).id
        published = make_asset(session, people.contributor, status=AssetStatus.published)
        published_id, public_since = published.id, published.public_changed_at
    title = {"title_en": "The Citadel"}
    with pytest.raises(NotFound):
        _edit(ctx, people.contributor, draft_of_other, title)
    with pytest.raises(PermissionDenied, match="approved, so only an approver can edit it now"):
        _edit(ctx, people.contributor, own_approved, title)
    with pytest.raises(PermissionDenied, match="waiting for review; withdraw it before editing"):
        _edit(ctx, people.contributor, own_submitted, title)
    with pytest.raises(PermissionDenied, match="Only contributors, approvers and administrators"):
        _edit(ctx, people.viewer, published_id, title)
    assert _edit(ctx, people.approver, draft_of_other, title).changed == ["title_en"]
    assert _edit(ctx, people.admin, own_approved, title).changed == ["title_en"]

    assert _edit(ctx, people.approver, published_id, {"description_en": "Seen from Ngọ Môn gate."}).changed
    with ctx.db.begin() as session:
        changed_at = session.get(Asset, published_id).public_changed_at
    assert public_since is None and changed_at is not None  # harvesters see the record changed


def test_bad_values_and_stale_versions_are_refused_in_one_sentence(ctx, people):
    with ctx.db.begin() as session:
        asset = make_asset(session, people.contributor)
        asset_id, version = asset.id, asset.version
    cases = [({"width": 10}, "width cannot be edited; the editable fields are"),
             ({"license": "GPL"}, "Unknown licence 'GPL'; choose one of CC-BY-4.0"),
             ({"rights_expires_on": "31/12/2030"}, "is not a date; write it as YYYY-MM-DD."),
             ({"category": "khong-co"}, "There is no category 'khong-co'; pick one from the list."),
             ({"tags": "một chuỗi"}, "Tags are a list of words or phrases.")]
    for changes, message in cases:
        with pytest.raises(ValidationError, match=message.replace("(", r"\(")):
            _edit(ctx, people.contributor, asset_id, changes)
    _edit(ctx, people.approver, asset_id, {"credit": "Báo Thừa Thiên Huế"})
    with pytest.raises(ConcurrentEdit, match=rf"^Asset {asset_id} was changed by lan at \d\d:\d\d; reload it"):
        _edit(ctx, people.contributor, asset_id, {"credit": "Khác"}, version=version)
    with ctx.db.begin() as session:
        assert session.get(Asset, asset_id).credit == "Báo Thừa Thiên Huế"
