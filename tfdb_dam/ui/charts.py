"""Dashboard displays: status figures, bar charts by category and source unit, monthly series."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from tfdb_dam.ui import i18n

if TYPE_CHECKING:
    from tfdb_dam.services.ui_queries import Dashboard
    from tfdb_dam.ui.bootstrap import Page

STATUSES = ("draft", "submitted", "approved", "rejected", "published", "archived")


def status_figures(page: "Page", data: "Dashboard") -> None:
    columns = st.columns(len(STATUSES) + 1)
    columns[0].metric(page.t("dashboard.total"), i18n.fmt_number(data.total, page.lang), border=True)
    for column, status in zip(columns[1:], STATUSES):
        column.metric(page.t(f"status.{status}"), i18n.fmt_number(data.by_status.get(status, 0), page.lang),
                      border=True)


def bars(page: "Page", title_key: str, rows: list[tuple[str, int]]) -> None:
    st.markdown(f"**{page.t(title_key)}**")
    if not rows:
        st.caption(page.t("dashboard.no_data"))
        return
    label, count = page.t("dashboard.label"), page.t("dashboard.count")
    frame = pd.DataFrame(rows, columns=[label, count])
    st.bar_chart(frame, x=label, y=count, horizontal=True, sort=f"-{count}", color="#5B2C83",
                 height=max(160, 34 * len(rows)))


def monthly(page: "Page", uploads: list[tuple[dt.date, int]], published: list[tuple[dt.date, int]]) -> None:
    st.markdown(f"**{page.t('dashboard.over_time')}**")
    if not uploads and not published:
        st.caption(page.t("dashboard.no_data"))
        return
    month = page.t("dashboard.month")
    up = pd.DataFrame(uploads, columns=[month, page.t("dashboard.uploads")]).set_index(month)
    pub = pd.DataFrame(published, columns=[month, page.t("dashboard.publications")]).set_index(month)
    frame = up.join(pub, how="outer").fillna(0).astype(int).sort_index()
    frame.index = [d.strftime("%m/%Y") if page.lang == "vi" else d.strftime("%Y-%m") for d in frame.index]
    st.bar_chart(frame, stack=False, color=["#5B2C83", "#2E9E6B"], height=300)
