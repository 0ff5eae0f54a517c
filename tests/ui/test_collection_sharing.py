"""Sharing a collection with named colleagues on the Collections page: the owner picks people by
name, sees whom it is shared with and removes them; the colleague finds it under "shared with me"
(without drafts); anyone else does not see it."""

from __future__ import annotations

from sqlalchemy import select

from tests.ui.conftest import asset_cards
from tfdb_dam.db.models import CollectionShare, Notification
from tfdb_dam.services import ui_collections, users


def _private_box(ctx, *assets: int) -> int:  # noqa: ANN001
    with ctx.db.begin() as session:
        owner = users.actor_for(session, "contributor")
        box = ui_collections.create_collection(session, owner, name="Lễ hội Huế", shared=False)
        ui_collections.add_assets(session, owner, box.id, list(assets))
        return box.id


def test_owner_shares_with_a_named_colleague_who_sees_it_without_drafts(open_page, make_asset, ctx, accounts):
    published = make_asset("Ngọ Môn", "Noon Gate", status="published")
    draft = make_asset("Bản nháp", "Draft", status="draft")
    box = _private_box(ctx, published, draft)
    viewer = accounts["viewer"].user_id
    at = open_page("pages/5_collections.py", "contributor")
    assert "Riêng tư" in " ".join(c.value for c in at.caption)
    at.multiselect(key=f"col_people_{box}").select(viewer)
    [b for b in at.button if b.label == "Chia sẻ"][0].click()
    at.run()
    assert not at.exception and not at.error, (at.exception, at.error)
    assert "Chia sẻ với 1 người" in " ".join(c.value for c in at.caption)
    assert "Viewer (viewer) · chỉ xem" in [m.value for m in at.markdown]
    with ctx.db.begin() as session:
        assert session.execute(select(CollectionShare.user_id, CollectionShare.can_edit)).all() == [(viewer, False)]
        assert session.execute(select(Notification.user_id)).scalars().all() == [viewer]

    colleague = open_page("pages/5_collections.py", "viewer")
    assert colleague.subheader[0].value == "Lễ hội Huế"
    assert asset_cards(colleague) == ["Ngọ Môn"]  # the draft stays hidden from a viewer
    assert colleague.button(key=f"col_open_{box}").label == "Lễ hội Huế · contributor · chỉ xem"
    assert not colleague.get("popover")
    stranger = open_page("pages/5_collections.py", "approver")
    assert "Chưa có bộ sưu tập nào" in stranger.info[0].value

    at.button(key=f"col_unshare_{box}_{viewer}").click().run()
    assert not at.exception, at.exception
    assert "Chưa chia sẻ với người cụ thể nào." in [c.value for c in at.caption]
    assert "Chưa có bộ sưu tập nào" in open_page("pages/5_collections.py", "viewer").info[0].value


def test_editor_opens_from_shared_with_me_and_may_select(open_page, make_asset, ctx, accounts):
    box = _private_box(ctx, make_asset("Ngọ Môn", "Noon Gate", status="published"))
    at = open_page("pages/5_collections.py", "contributor")
    at.multiselect(key=f"col_people_{box}").select(accounts["approver"].user_id)
    at.checkbox(key=f"col_can_edit_{box}").check()
    [b for b in at.button if b.label == "Chia sẻ"][0].click()
    at.run()
    assert not at.exception, at.exception
    with ctx.db.begin() as session:
        own = ui_collections.create_collection(session, accounts["approver"], name="Của tôi", shared=False).id
    editor = open_page("pages/5_collections.py", "approver", lang="en")
    assert editor.subheader[0].value == "Của tôi"  # the newest first
    editor.button(key=f"col_open_{box}").click().run()
    assert editor.subheader[0].value == "Lễ hội Huế"
    assert "You: can add and remove assets" in " ".join(c.value for c in editor.caption)
    assert editor.toggle(key="col_selecting")  # may add and remove assets ...
    assert not editor.get("popover")  # ... but not rename, share or delete
    assert own != box
