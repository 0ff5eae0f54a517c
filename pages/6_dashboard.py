"""Dashboard: counts by status, category and source unit; uploads and publications per month;
a map of every geotagged published asset."""

import streamlit as st

from tfdb_dam.services.ui_queries import dashboard
from tfdb_dam.ui import charts, i18n, preview
from tfdb_dam.ui.bootstrap import STAFF, start

page = start("dashboard", roles=STAFF)
st.title(page.t("nav.dashboard"))

data = page.read(dashboard, page.actor)
charts.status_figures(page, data)
charts.monthly(page, data.uploads_by_month, data.publications_by_month)
left, right = st.columns(2, gap="large")
with left:
    charts.bars(page, "dashboard.by_category",
                [(i18n.pick(vi, en, page.lang), n) for vi, en, n in data.by_category])
with right:
    charts.bars(page, "dashboard.by_source_unit", data.by_source_unit)
st.markdown(f"**{page.t('dashboard.map', count=i18n.fmt_number(len(data.geotagged), page.lang))}**")
preview.location_map(page, [{"lat": lat, "lon": lon, "label": i18n.pick(vi, en, page.lang) or f"#{aid}"}
                            for aid, lat, lon, vi, en in data.geotagged], zoom=9, height=420)
