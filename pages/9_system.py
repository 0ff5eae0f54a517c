"""System (administrators): run-time settings, maintenance jobs (re-index, storage verification)
running in the background with live progress, and the environment settings in effect."""

import streamlit as st

from tfdb_dam.services.ui_settings import runtime_settings
from tfdb_dam.ui import system
from tfdb_dam.ui.bootstrap import ADMINS, start

page = start("system", roles=ADMINS)
st.title(page.t("nav.system"))

tab_settings, tab_jobs, tab_env = st.tabs([page.t("system.tab_settings"), page.t("system.tab_jobs"),
                                          page.t("system.tab_environment")])
with tab_settings:
    system.settings_form(page, page.read(runtime_settings))
with tab_jobs:
    left, right = st.columns(2, gap="large")
    with left:
        system.job_panel(page, "reindex")
    with right:
        system.job_panel(page, "verify_storage")
with tab_env:
    st.caption(page.t("system.environment_intro"))
    system.environment_table(page)
