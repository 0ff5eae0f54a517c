"""Collections: named sets of assets (lightboxes) to keep and share with colleagues."""

import streamlit as st

from tfdb_dam.services import ui_collections
from tfdb_dam.services.search import search
from tfdb_dam.services.search_types import SearchFilters, SearchRequest
from tfdb_dam.ui import collection_sharing, collections, facets, widgets
from tfdb_dam.ui.bootstrap import SIGNED_IN, start

PREFIX = "col"
page = start("collections", roles=SIGNED_IN)
st.title(page.t("nav.collections"))

found = page.read(ui_collections.list_collections, page.actor)
current = collections.current_id(found)
left, right = st.columns([1, 3], gap="large")
with left:
    if found:
        collections.picker(page, found)
    collections.create_form(page)
    collection_sharing.shared_with_me(page, found)
with right:
    if current is None:
        st.info(page.t("collections.none"), icon=":material/collections_bookmark:")
        st.stop()
    chosen = next(c for c in found if c.id == current)
    st.subheader(chosen.name)
    st.caption(" · ".join(p for p in (chosen.description, page.t("collections.owner", user=chosen.owner or "—"),
                                      collections.share_line(page, chosen)) if p))
    number = int(st.session_state.get(f"{PREFIX}_page") or 1)
    request = SearchRequest(filters=SearchFilters(collection_id=chosen.id), sort="newest", page=number,
                            with_facets=False, language=page.lang)
    result = page.read(search, page.ctx, page.actor, request)
    head, tools = st.columns([3, 2], vertical_alignment="center")
    head.markdown(facets.result_count(page, result.total, result.total_exact))
    selecting = False
    if chosen.can_edit:
        with tools, st.container(horizontal=True, horizontal_alignment="right", vertical_alignment="center"):
            selecting = st.toggle(page.t("library.select_mode"), key=f"{PREFIX}_selecting")
            if chosen.can_manage:
                collection_sharing.sharing_panel(page, chosen)
                collections.settings_panel(page, chosen)
    if selecting:
        selected = widgets.selection_toolbar(page, PREFIX, [h.asset_id for h in result.hits])
        if selected and st.button(page.t("collections.remove", count=len(selected)), icon=":material/remove:",
                                  key="col_remove"):
            page.act(ui_collections.remove_assets, page.actor, chosen.id, sorted(selected))
            widgets.clear_selection(PREFIX)
            st.rerun()
    widgets.thumbnail_grid(page, result.hits, select_prefix=PREFIX if selecting else None)
    facets.pager(page, PREFIX, result.total)
