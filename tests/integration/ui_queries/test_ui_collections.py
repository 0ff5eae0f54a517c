"""Collections: the owner changes them, shared ones are seen by colleagues, private ones by nobody
else, and only assets the actor may see go in (audited)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tfdb_dam.db.models import AuditEntry, CollectionItem
from tfdb_dam.errors import NotFound, PermissionDenied, ValidationError
from tfdb_dam.services import ui_collections
from tfdb_dam.services.actors import PUBLIC


def test_create_add_list_and_share(ctx, office, asset):
    published = asset("Ngọ Môn", status="published")
    mine = asset("Nháp của tôi", status="draft")
    with ctx.db.begin() as session:
        box = ui_collections.create_collection(session, office["contributor"], name="  Di sản   Huế ",
                                               description="Cho bài báo", shared=True)
        assert ui_collections.add_assets(session, office["contributor"], box.id, [published, mine, published]) == 2
        assert ui_collections.add_assets(session, office["contributor"], box.id, [published]) == 0
    with ctx.db.begin() as session:
        seen = ui_collections.list_collections(session, office["viewer"])
        actions = session.execute(select(AuditEntry.action).where(AuditEntry.object_type == "collection")).scalars()
        assert list(actions) == ["collection.create", "collection.add"]
    assert [(c.name, c.items, c.owner, c.can_edit) for c in seen] == [("Di sản Huế", 2, "contributor", False)]


def test_private_collections_and_who_may_change(ctx, office, asset):
    with ctx.db.begin() as session:
        box = ui_collections.create_collection(session, office["contributor"], name="Riêng", shared=False)
    with ctx.db.begin() as session:
        assert ui_collections.list_collections(session, office["viewer"]) == []
        with pytest.raises(NotFound):
            ui_collections.get_collection(session, office["viewer"], box.id)
        with pytest.raises(PermissionDenied):
            ui_collections.list_collections(session, PUBLIC)
    with ctx.db.begin() as session:  # an administrator may tidy up anyone's collection
        ui_collections.update_collection(session, office["admin"], box.id, name="Đổi tên", description=None,
                                         shared=True)
    with ctx.db.begin() as session, pytest.raises(PermissionDenied):
        ui_collections.delete_collection(session, office["viewer"], box.id)


def test_only_visible_assets_go_in_and_remove(ctx, office, asset):
    hidden = asset("Nháp của người duyệt", status="draft", owner="approver")
    shown = asset("Đã công bố", status="published")
    with ctx.db.begin() as session:
        box = ui_collections.create_collection(session, office["contributor"], name="Hộp")
    with ctx.db.begin() as session, pytest.raises(NotFound):
        ui_collections.add_assets(session, office["contributor"], box.id, [shown, hidden])
    with ctx.db.begin() as session:
        ui_collections.add_assets(session, office["contributor"], box.id, [shown])
        assert ui_collections.remove_assets(session, office["contributor"], box.id, [shown]) == 1
        assert session.execute(select(CollectionItem)).all() == []
    with ctx.db.begin() as session, pytest.raises(ValidationError):
        ui_collections.create_collection(session, office["contributor"], name="   ")
