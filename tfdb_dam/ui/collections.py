"""Collections page pieces: the list to pick from, the create form, the owner's settings panel
(sharing with named colleagues is ``ui.collection_sharing``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from tfdb_dam.services import ui_collections
from tfdb_dam.services.ui_collections import CollectionSummary

if TYPE_CHECKING:
    from tfdb_dam.ui.bootstrap import Page

CURRENT = "col_current"


def current_id(collections: list[CollectionSummary]) -> int | None:
    """The open collection: chosen in the list, else named in the link (?c=ID), else the newest."""
    ids = [c.id for c in collections]
    chosen = st.session_state.get(CURRENT)
    linked = st.query_params.get("c", "")
    if chosen not in ids and str(linked).isdigit() and int(linked) in ids:
        chosen = int(linked)
    if chosen not in ids:
        chosen = ids[0] if ids else None
    st.session_state[CURRENT] = chosen
    return chosen


def picker(page: "Page", collections: list[CollectionSummary]) -> None:
    names = {c.id: f"{c.name} ({c.items})" + ("" if c.mine else f" · {c.owner}") for c in collections}
    st.radio(page.t("collections.list"), list(names), key=CURRENT, format_func=names.get)


def create_form(page: "Page") -> None:
    with st.form("col_create", clear_on_submit=True, enter_to_submit=True):
        st.markdown(f"**{page.t('collections.new')}**")
        name = st.text_input(page.t("collections.name"), key="col_new_name")
        description = st.text_area(page.t("collections.description"), key="col_new_description", height=68)
        shared = st.toggle(page.t("collections.shared"), value=True, key="col_new_shared")
        if st.form_submit_button(page.t("collections.create"), icon=":material/add:", type="primary"):
            made = page.act(ui_collections.create_collection, page.actor, name=name, description=description,
                            shared=shared)
            if made is not None:
                st.session_state[CURRENT] = made.id
                st.rerun()


def settings_panel(page: "Page", collection: CollectionSummary) -> None:
    with st.popover(page.t("collections.settings"), icon=":material/settings:"):
        with st.form(f"col_edit_{collection.id}", border=False):
            name = st.text_input(page.t("collections.name"), value=collection.name)
            description = st.text_area(page.t("collections.description"), value=collection.description or "")
            shared = st.toggle(page.t("collections.shared"), value=collection.shared)
            if st.form_submit_button(page.t("common.save"), icon=":material/save:"):
                if page.act(ui_collections.update_collection, page.actor, collection.id, name=name,
                            description=description, shared=shared) is not None:
                    st.rerun()
        confirm = st.checkbox(page.t("collections.confirm_delete"), key=f"col_confirm_{collection.id}")
        if st.button(page.t("common.delete"), icon=":material/delete:", disabled=not confirm,
                     key=f"col_delete_{collection.id}"):
            page.act(ui_collections.delete_collection, page.actor, collection.id)
            st.session_state.pop(CURRENT, None)
            st.rerun()


def share_line(page: "Page", collection: CollectionSummary) -> str:
    """Who may open it (private, named people, everyone with the link) and, if not mine, my right."""
    base = page.ctx.config.tfdb_public_url.rstrip("/")
    parts = []
    if not collection.mine:
        parts.append(page.t("collections.your_right", right=page.t(
            "collections.right_edit" if collection.can_edit else "collections.right_view")))
    if collection.people:
        parts.append(page.t("collections.people_line", count=collection.people))
    if collection.shared:
        parts.append(page.t("collections.share_link", url=f"{base}/collections?c={collection.id}"))
    elif not collection.people:
        parts.append(page.t("collections.private"))
    return " · ".join(parts)
