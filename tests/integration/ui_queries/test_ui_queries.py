"""The app's read models against a real database: what is new, the dashboard, upload progress,
form choices, the asset view — each within what the actor may see."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tfdb_dam.db.models import Asset, Category, ProcessingState, User
from tfdb_dam.errors import NotFound, PermissionDenied
from tfdb_dam.services import notify, ui_queries
from tfdb_dam.services.actors import PUBLIC


def test_whats_new_counts_own_work_and_waiting_review(ctx, office, asset):
    asset("Nháp", status="draft")
    submitted = asset("Chờ duyệt", status="submitted")
    asset("Đã công bố", status="published", owner="approver")
    with ctx.db.begin() as session:
        row = session.get(Asset, submitted)
        notify.notify(session, [session.get(User, office["approver"].user_id)],
                      row, "submit", "contributor")
    with ctx.db.begin() as session:
        mine = ui_queries.whats_new(session, ctx, office["contributor"])
        approver = ui_queries.whats_new(session, ctx, office["approver"])
    assert mine.mine_by_status == {"draft": 1, "submitted": 1} and mine.waiting_review is None
    assert [c.title_vi for c in mine.recent_published] == ["Đã công bố"]
    assert approver.waiting_review == 1 and approver.unread == 1
    assert "«Chờ duyệt»" in approver.notifications[0].body


def test_dashboard_respects_visibility_and_maps_published_only(ctx, office, asset):
    with ctx.db.begin() as session:
        culture = session.execute(select(Category.id).where(Category.slug == "van-hoa-di-san")).scalar_one()
    asset("Ngọ Môn", status="published", category_id=culture, source_unit="Sở Du lịch", gps=(16.47, 107.58))
    asset("Bản nháp riêng", status="draft", gps=(16.40, 107.50), owner="approver")
    with ctx.db.begin() as session:
        contributor = ui_queries.dashboard(session, office["contributor"])
        admin = ui_queries.dashboard(session, office["admin"])
    assert contributor.total == 1 and admin.total == 2  # the approver's draft is not the contributor's
    assert admin.by_status == {"published": 1, "draft": 1}
    assert admin.by_category == [("Văn hóa - Di sản", "Culture and heritage", 1)]
    assert [p[3] for p in admin.geotagged] == ["Ngọ Môn"]
    assert sum(n for _, n in admin.uploads_by_month) == 2


def test_dashboard_refuses_viewers_and_public(ctx, office):
    with ctx.db.begin() as session:
        for actor in (office["viewer"], PUBLIC):
            with pytest.raises(PermissionDenied):
                ui_queries.dashboard(session, actor)


def test_processing_progress_is_limited_to_visible_assets(ctx, office, asset):
    mine = asset("Của tôi", status="draft")
    other = asset("Của người khác", status="draft", owner="approver")
    with ctx.db.begin() as session:
        session.get(Asset, mine).processing = ProcessingState.pending
    with ctx.db.begin() as session:
        rows = ui_queries.processing_progress(session, office["contributor"], [mine, other])
    assert [(r.asset_id, r.processing, r.has_thumb) for r in rows] == [(mine, "pending", True)]


def test_form_choices(ctx, office, asset):
    with ctx.db.begin() as session:
        choices = ui_queries.form_choices(session)
    assert ("doi-ngoai", "Đối ngoại", "Foreign relations") in choices.categories
    assert "CC-BY-4.0" in [lic.code for lic in choices.licences]
    assert choices.source_units == ["Sở Ngoại vụ"]  # from the users' units


def test_asset_view_for_public_and_staff(ctx, office, asset):
    published = asset("Chùa Thiên Mụ", status="published", gps=(16.45, 107.54))
    twin = asset("Chùa Thiên Mụ (bản sao)", status="draft", near_duplicate_of_id=published)
    draft = asset("Bản nháp", status="draft")
    with ctx.db.begin() as session:
        public = ui_queries.asset_view(session, ctx, PUBLIC, published)
        staff = ui_queries.asset_view(session, ctx, office["approver"], published)
        with pytest.raises(NotFound):
            ui_queries.asset_view(session, ctx, PUBLIC, draft)
    assert public.record["history"] == [] and public.duplicates == [] and public.actions == []
    assert "original" not in public.downloads and "preview" in public.downloads
    assert public.credit_line == "Ảnh: Lê Hoa / Photo: Lê Hoa" and public.licence.code == "CC-BY-4.0"
    assert public.preview is not None and public.preview.is_file()
    assert [c.asset_id for c in staff.duplicates] == [twin]
    assert "original" in staff.downloads and "unpublish" in staff.actions


def test_thumbnail_file(ctx, office, asset):
    asset_id = asset("Cầu Trường Tiền", status="published")
    with ctx.db.begin() as session:
        sha = session.get(Asset, asset_id).sha256
    assert ui_queries.thumbnail_file(ctx, sha).name.endswith("_thumb.jpg")
    assert ui_queries.thumbnail_file(ctx, "0" * 64) is None
