"""Collections page pieces for sharing: the owner's panel to choose colleagues (view-only or
editing) and see or remove them, and the "shared with me" list that opens a colleague's collection."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from tfdb_dam.services import collection_shares
from tfdb_dam.services.ui_collections import CollectionSummary

if TYPE_CHECKING:
    from tfdb_dam.ui.bootstrap import Page

CURRENT = "col_current"
FLASH = "col_share_flash"


def right(page: "Page", can_edit: bool) -> str:
    return page.t("collections.right_edit" if can_edit else "collections.right_view")


def sharing_panel(page: "Page", collection: CollectionSummary) -> None:
    """The owner's (or an administrator's) popover: add colleagues by name, see and remove them."""
    if FLASH in st.session_state:
        st.toast(st.session_state.pop(FLASH), icon=":material/check:")
    with st.popover(page.t("collections.people"), icon=":material/group_add:"):
        _share_form(page, collection)
        st.markdown(f"**{page.t('collections.shared_with')}**")
        shares = page.read(collection_shares.shares_of, page.actor, collection.id)
        if not shares:
            st.caption(page.t("collections.nobody"))
        for share in shares:
            name, action = st.columns([3, 1], vertical_alignment="center")
            name.markdown(f"{share.colleague.label} · {right(page, share.can_edit)}")
            if action.button(page.t("collections.unshare"), icon=":material/person_remove:",
                             key=f"col_unshare_{collection.id}_{share.colleague.user_id}"):
                if page.act(collection_shares.unshare_collection, page.actor, collection.id,
                            [share.colleague.user_id]) is not None:
                    st.rerun()


def _share_form(page: "Page", collection: CollectionSummary) -> None:
    people = {c.user_id: c.label for c in page.read(collection_shares.colleagues, page.actor)}
    with st.form(f"col_share_{collection.id}", border=False, clear_on_submit=True):
        chosen = st.multiselect(page.t("collections.pick_people"), list(people), format_func=people.get,
                                key=f"col_people_{collection.id}")
        can_edit = st.checkbox(page.t("collections.can_edit"), key=f"col_can_edit_{collection.id}")
        if st.form_submit_button(page.t("collections.share"), icon=":material/share:", type="primary"):
            added = page.act(collection_shares.share_collection, page.actor, collection.id, chosen,
                             can_edit=can_edit)
            if added is not None:  # draw the page again: its list and captions were read before the change
                st.session_state[FLASH] = page.t("collections.shared_done", count=len(added))
                st.rerun()


def _open(collection_id: int) -> None:
    st.session_state[CURRENT] = collection_id  # a callback runs before the list is drawn again


def shared_with_me(page: "Page", collections: list[CollectionSummary]) -> None:
    """Colleagues' collections open to the reader, with owner and what the reader may do; a click opens one."""
    st.markdown(f"**{page.t('collections.shared_with_me')}**")
    theirs = [c for c in collections if not c.mine]
    if not theirs:
        st.caption(page.t("collections.none_shared_with_me"))
    for c in theirs:
        st.button(f"{c.name} · {c.owner or '—'} · {right(page, c.can_edit)}", key=f"col_open_{c.id}",
                  icon=":material/folder_shared:", type="tertiary", on_click=_open, args=(c.id,))
