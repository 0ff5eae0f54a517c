"""Library: one search box (hybrid search), facets with counts, a thumbnail grid with status badges,
paging, and in selection mode actions on many assets (workflow steps, add to a collection, edit)."""

import streamlit as st

from tfdb_dam.services.search import search
from tfdb_dam.services.ui_settings import runtime_settings
from tfdb_dam.ui import bulk, facets, widgets
from tfdb_dam.ui.bootstrap import SIGNED_IN, start

PREFIX = "lib"
page = start("library", roles=SIGNED_IN)
st.title(page.t("nav.library"))

per_page = page.read(runtime_settings)["library_per_page"]
query = facets.search_box(page, PREFIX)
request = facets.request_from_state(PREFIX, query, per_page=per_page)
request.language = page.lang
result = page.read(search, page.ctx, page.actor, request)

bulk.show_last_report(page, PREFIX)
head, mode, sort = st.columns([3, 2, 1.3], vertical_alignment="center")
head.markdown(facets.result_count(page, result.total, result.total_exact))
selecting = mode.toggle(page.t("library.select_mode"), key=f"{PREFIX}_selecting")
with sort:
    facets.sort_select(page, PREFIX, has_query=bool(query.strip()))
if selecting:
    selected = widgets.selection_toolbar(page, PREFIX, [hit.asset_id for hit in result.hits])
    if selected:
        with st.expander(page.t("bulk.title", count=len(selected)), expanded=True, icon=":material/checklist:"):
            bulk.selection_actions(page, PREFIX, sorted(selected))
widgets.thumbnail_grid(page, result.hits, select_prefix=PREFIX if selecting else None)
facets.pager(page, PREFIX, result.total, per_page)
# Drawn last (the sidebar's place does not depend on it) so the thumbnails reach the browser first.
facets.facet_sidebar(page, PREFIX, result.facets)
