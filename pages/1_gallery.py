"""Public gallery: published assets only (searched as the public, whoever is signed in), filters,
thumbnails opening the asset page with credit, licence and download."""

import streamlit as st

from tfdb_dam.services.actors import PUBLIC
from tfdb_dam.services.search import search
from tfdb_dam.services.ui_settings import runtime_settings
from tfdb_dam.ui import facets, widgets
from tfdb_dam.ui.bootstrap import EVERYONE, start

PREFIX = "gal"
page = start("gallery", roles=EVERYONE)
st.title(page.t("gallery.title"))
st.caption(page.t("gallery.intro"))
widgets.notice(page, page.read(runtime_settings))

query = facets.search_box(page, PREFIX)
request = facets.request_from_state(PREFIX, query)
request.language = page.lang
# The gallery is the public channel: it shows what the public may see, even to staff.
result = page.read(search, page.ctx, PUBLIC, request)

head, sort = st.columns([4, 1], vertical_alignment="center")
head.markdown(facets.result_count(page, result.total, result.total_exact))
with sort:
    facets.sort_select(page, PREFIX, has_query=bool(query.strip()))
widgets.thumbnail_grid(page, result.hits, show_status=False)
facets.pager(page, PREFIX, result.total)
facets.facet_sidebar(page, PREFIX, result.facets, hide=("status",))  # last: thumbnails reach the browser first
