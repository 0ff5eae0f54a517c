"""Collections shared with named colleagues: only they (and the owner, administrators) see it, each
view-only or editing; the owner alone changes who; every change is audited and each newly chosen
colleague is notified; the assets inside still obey visibility (no drafts for a viewer)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tfdb_dam.db.models import AuditEntry, CollectionShare, Notification, User
from tfdb_dam.errors import NotFound, PermissionDenied, ValidationError
from tfdb_dam.services import collection_shares, ui_collections
from tfdb_dam.services.exchange import select_assets
from tfdb_dam.services.search import search
from tfdb_dam.services.search_types import SearchFilters, SearchRequest


def _private_box(ctx, owner, *assets: int) -> int:  # noqa: ANN001
    with ctx.db.begin() as session:
        box = ui_collections.create_collection(session, owner, name="Lễ hội Huế", shared=False)
        if assets:
            ui_collections.add_assets(session, owner, box.id, list(assets))
        return box.id


def _share(ctx, actor, box: int, *people, can_edit: bool = False) -> list[int]:  # noqa: ANN001
    with ctx.db.begin() as session:
        return collection_shares.share_collection(session, actor, box, [p.user_id for p in people],
                                                  can_edit=can_edit)


def _titles(ctx, actor, box: int) -> set[str]:  # noqa: ANN001
    with ctx.db.begin() as session:
        result = search(session, ctx, actor, SearchRequest(filters=SearchFilters(collection_id=box),
                                                           with_facets=False))
    return {hit.title_vi for hit in result.hits}


def test_named_colleague_sees_it_others_do_not(ctx, office, asset):
    shown = asset("Ngọ Môn", status="published")
    box = _private_box(ctx, office["contributor"], shown)
    assert _share(ctx, office["contributor"], box, office["viewer"]) == [office["viewer"].user_id]
    with ctx.db.begin() as session:
        seen = ui_collections.shared_with_me(session, office["viewer"])
        assert [(c.id, c.owner, c.can_edit, c.can_manage) for c in seen] == [(box, "contributor", False, False)]
        assert ui_collections.list_collections(session, office["approver"]) == []
        with pytest.raises(NotFound):
            ui_collections.get_collection(session, office["approver"], box)
        with pytest.raises(NotFound):
            collection_shares.shares_of(session, office["approver"], box)
        [mine] = ui_collections.list_collections(session, office["contributor"])
        assert (mine.people, mine.mine, mine.can_manage) == (1, True, True)
        assert [s.colleague.username for s in collection_shares.shares_of(session, office["viewer"], box)] == [
            "viewer"]
    assert _titles(ctx, office["viewer"], box) == {"Ngọ Môn"}
    with pytest.raises(NotFound):  # search and export obey the same rule
        _titles(ctx, office["approver"], box)
    with ctx.db.begin() as session, pytest.raises(NotFound):
        select_assets(session, ctx, office["approver"], collection_id=box)


def test_viewer_never_sees_a_draft_through_a_collection(ctx, office, asset):
    draft = asset("Bản nháp", status="draft")
    published = asset("Chợ Đông Ba", status="published")
    box = _private_box(ctx, office["contributor"], draft, published)
    _share(ctx, office["contributor"], box, office["viewer"])
    assert _titles(ctx, office["contributor"], box) == {"Bản nháp", "Chợ Đông Ba"}
    assert _titles(ctx, office["viewer"], box) == {"Chợ Đông Ba"}
    with ctx.db.begin() as session:
        assert [a.id for a in select_assets(session, ctx, office["viewer"], collection_id=box)] == [published]


def test_view_only_colleague_may_not_change_anything(ctx, office, asset):
    shown = asset("Ngọ Môn", status="published")
    box = _private_box(ctx, office["contributor"])
    _share(ctx, office["contributor"], box, office["viewer"])
    viewer = office["viewer"]
    with ctx.db.begin() as session, pytest.raises(PermissionDenied):
        ui_collections.add_assets(session, viewer, box, [shown])
    with ctx.db.begin() as session, pytest.raises(PermissionDenied):
        ui_collections.update_collection(session, viewer, box, name="Khác", description=None, shared=True)
    with ctx.db.begin() as session, pytest.raises(PermissionDenied):
        collection_shares.share_collection(session, viewer, box, [office["approver"].user_id])
    with ctx.db.begin() as session:
        assert ui_collections.editable_collections(session, viewer) == []


def test_editing_colleague_adds_and_removes_but_does_not_manage(ctx, office, asset):
    shown = asset("Ngọ Môn", status="published")
    box = _private_box(ctx, office["contributor"])
    _share(ctx, office["contributor"], box, office["approver"], can_edit=True)
    editor = office["approver"]
    with ctx.db.begin() as session:
        assert [c.id for c in ui_collections.editable_collections(session, editor)] == [box]
        assert ui_collections.add_assets(session, editor, box, [shown]) == 1
        assert ui_collections.remove_assets(session, editor, box, [shown]) == 1
    for act in (lambda s: ui_collections.delete_collection(s, editor, box),
                lambda s: collection_shares.unshare_collection(s, editor, box, [editor.user_id]),
                lambda s: ui_collections.update_collection(s, editor, box, name="X", description=None,
                                                           shared=True)):
        with ctx.db.begin() as session, pytest.raises(PermissionDenied):
            act(session)


def test_share_notifies_once_audits_and_updates_permission(ctx, office):
    with ctx.db.begin() as session:
        session.get(User, office["viewer"].user_id).email = "viewer@example.vn"
    box = _private_box(ctx, office["contributor"])
    _share(ctx, office["contributor"], box, office["viewer"], office["approver"])
    assert _share(ctx, office["contributor"], box, office["viewer"], can_edit=True) == []  # no second note
    with ctx.db.begin() as session:
        notes = session.execute(select(Notification).order_by(Notification.user_id)).scalars().all()
        assert [(n.user_id, n.email_state) for n in notes] == [
            (office["approver"].user_id, "none"), (office["viewer"].user_id, "pending")]
        assert "Lễ hội Huế" in notes[0].subject and "contributor shared the collection" in notes[0].body
        assert "(chỉ xem)" in notes[0].body
        rights = dict(session.execute(select(CollectionShare.user_id, CollectionShare.can_edit)).all())
        assert rights == {office["approver"].user_id: False, office["viewer"].user_id: True}
        details = session.execute(select(AuditEntry.details).where(AuditEntry.action == "collection.share")
                                  .order_by(AuditEntry.id)).scalars().all()
    assert details == [{"users": ["viewer", "approver"], "can_edit": False},
                       {"users": ["viewer"], "can_edit": True}]


def test_unshare_takes_access_away_and_is_audited(ctx, office):
    box = _private_box(ctx, office["contributor"])
    _share(ctx, office["contributor"], box, office["viewer"])
    with ctx.db.begin() as session:
        assert collection_shares.unshare_collection(session, office["contributor"], box,
                                                    [office["viewer"].user_id]) == 1
    with ctx.db.begin() as session:
        with pytest.raises(NotFound):
            ui_collections.get_collection(session, office["viewer"], box)
        actions = session.execute(select(AuditEntry.action, AuditEntry.details)
                                  .where(AuditEntry.action == "collection.unshare")).all()
    assert actions == [("collection.unshare", {"users": ["viewer"]})]


def test_admin_manages_and_bad_choices_are_refused(ctx, office):
    box = _private_box(ctx, office["contributor"])
    assert _share(ctx, office["admin"], box, office["viewer"]) == [office["viewer"].user_id]
    with ctx.db.begin() as session:
        with pytest.raises(ValidationError):
            collection_shares.share_collection(session, office["contributor"], box, [])
        with pytest.raises(ValidationError):  # the owner always has it
            collection_shares.share_collection(session, office["contributor"], box, [office["contributor"].user_id])
        with pytest.raises(NotFound):
            collection_shares.share_collection(session, office["contributor"], box, [987654])
        names = [c.username for c in collection_shares.colleagues(session, office["contributor"])]
    assert sorted(names) == ["admin", "approver", "viewer"]


def test_shared_with_all_still_works_and_delete_drops_shares(ctx, office):
    with ctx.db.begin() as session:
        box = ui_collections.create_collection(session, office["contributor"], name="Cho mọi người").id
    _share(ctx, office["contributor"], box, office["viewer"], can_edit=True)
    with ctx.db.begin() as session:
        [seen] = ui_collections.shared_with_me(session, office["approver"])
        assert (seen.id, seen.can_edit) == (box, False)  # everyone sees it; only the named editor edits
        [named] = ui_collections.shared_with_me(session, office["viewer"])
        assert named.can_edit
        ui_collections.delete_collection(session, office["contributor"], box)
    with ctx.db.begin() as session:
        assert session.execute(select(CollectionShare)).all() == []
