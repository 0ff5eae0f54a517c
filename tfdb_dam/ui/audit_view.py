"""The audit log screen: filters, a page of entries (newest first, older on demand), CSV export."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from tfdb_dam.services import ui_admin
from tfdb_dam.ui import i18n

if TYPE_CHECKING:
    from tfdb_dam.services.ui_admin import AuditPage
    from tfdb_dam.ui.bootstrap import Page


def filters(page: "Page", actions: list[str]) -> dict[str, str]:
    with st.form("aud_filters", border=False, enter_to_submit=True):
        first, second, third, go = st.columns([3, 2, 2, 1], vertical_alignment="bottom")
        values = {
            "action": first.selectbox(page.t("audit.action"), [""] + actions, key="aud_action",
                                      format_func=lambda a: a or page.t("facet.any")),
            "who": second.text_input(page.t("audit.actor"), key="aud_who"),
            "object_id": third.text_input(page.t("audit.object"), key="aud_object"),
        }
        if go.form_submit_button(page.t("common.search"), icon=":material/filter_alt:", width="stretch"):
            st.session_state["aud_before"] = None
    return values


def table(page: "Page", result: "AuditPage") -> None:
    if not result.entries:
        st.info(page.t("audit.none"), icon=":material/info:")
        return
    frame = pd.DataFrame([{
        "#": e.id, page.t("audit.at"): i18n.fmt_datetime(e.at, page.lang), page.t("audit.actor"): e.actor or "—",
        page.t("audit.action"): e.action, page.t("audit.object"): f"{e.object_type or ''} {e.object_id or ''}".strip(),
        page.t("audit.details"): json.dumps(e.details, ensure_ascii=False, sort_keys=True),
        page.t("audit.address"): e.address or ""} for e in result.entries])
    st.dataframe(frame, hide_index=True, width="stretch", height=560)


def paging(page: "Page", result: "AuditPage") -> None:
    with st.container(horizontal=True):
        if st.session_state.get("aud_before") and st.button(page.t("audit.newest"), icon=":material/first_page:"):
            st.session_state["aud_before"] = None
            st.rerun()
        if result.next_before is not None and st.button(page.t("audit.older"), icon=":material/navigate_next:"):
            st.session_state["aud_before"] = result.next_before
            st.rerun()


def export_button(page: "Page") -> None:
    ctx, actor = page.ctx, page.actor
    st.download_button(page.t("audit.export"), data=lambda: ui_admin.export_audit_csv(ctx, actor),
                       file_name="tfdb-audit-log.csv", mime="text/csv", icon=":material/download:",
                       on_click="ignore", key="aud_export")
    st.caption(page.t("audit.export_note"))
