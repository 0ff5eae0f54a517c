"""Audit log (administrators): every recorded act, filtered and paged; export the whole log as CSV."""

import streamlit as st

from tfdb_dam.services.ui_admin import audit_actions, audit_entries
from tfdb_dam.ui import audit_view
from tfdb_dam.ui.bootstrap import ADMINS, start

page = start("audit", roles=ADMINS)
st.title(page.t("nav.audit"))

chosen = audit_view.filters(page, page.read(audit_actions, page.actor))
result = page.read(audit_entries, page.actor, before_id=st.session_state.get("aud_before"), **chosen)
audit_view.table(page, result)
audit_view.paging(page, result)
audit_view.export_button(page)
