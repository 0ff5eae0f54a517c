"""The System page's widgets: run-time settings form, maintenance jobs with live progress, and the
environment settings in effect (secrets masked)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from tfdb_dam.config import SETTINGS
from tfdb_dam.services import ui_admin, ui_settings
from tfdb_dam.services.licences import LICENCES
from tfdb_dam.ui import i18n
from tfdb_dam.ui.bootstrap import session_run

if TYPE_CHECKING:
    from tfdb_dam.ui.bootstrap import Page

POLL_SECONDS = 2.0


def settings_form(page: "Page", current: dict[str, Any]) -> None:
    with st.form("sys_settings"):
        values: dict[str, Any] = {}
        for spec in ui_settings.RUNTIME_SETTINGS:
            label, key = page.t(f"setting.{spec.key}"), f"sys_set_{spec.key}"
            if spec.kind == "long_text":
                values[spec.key] = st.text_area(label, value=current[spec.key], key=key, height=80)
            elif spec.kind == "licence":
                codes = list(LICENCES)
                values[spec.key] = st.selectbox(label, codes, key=key, index=codes.index(current[spec.key])
                                                if current[spec.key] in codes else 0,
                                                format_func=lambda c: i18n.pick(LICENCES[c].label_vi,
                                                                                LICENCES[c].label_en, page.lang))
            elif spec.kind == "per_page":
                choices = list(ui_settings.PER_PAGE_CHOICES)
                values[spec.key] = st.select_slider(label, choices, value=current[spec.key], key=key)
            else:
                values[spec.key] = st.text_input(label, value=current[spec.key], key=key)
        if st.form_submit_button(page.t("common.save"), type="primary", icon=":material/save:"):
            changed = page.act(ui_settings.update_runtime_settings, page.actor, values)
            if changed is not None:
                st.success(page.t("system.settings_saved", count=len(changed)), icon=":material/check:")


def job_panel(page: "Page", job: str) -> None:
    """Start button and the job's state, polled while it is queued or running."""
    state = page.read(ui_admin.job_state, page.actor, job)
    busy = state.get("state") in ("queued", "running")
    with st.container(border=True):
        st.markdown(f"**{page.t(f'system.job_{job}')}**")
        st.caption(page.t(f"system.job_{job}_help"))
        options: dict[str, Any] = {}
        if job == "verify_storage":
            options["check_hashes"] = st.toggle(page.t("system.check_hashes"), value=True, key="sys_hashes")
        if st.button(page.t("system.start"), key=f"sys_start_{job}", icon=":material/play_arrow:", disabled=busy):
            if page.act(ui_admin.start_job, page.actor, job, **options) is not None:
                st.rerun()

        def live() -> None:
            now = session_run(page.ctx, ui_admin.job_state, page.actor, job)
            _show_state(page, job, now)
            if busy and now.get("state") not in ("queued", "running"):
                st.rerun()

        st.fragment(live, run_every=POLL_SECONDS if busy else None)()


def _show_state(page: "Page", job: str, state: dict[str, Any]) -> None:
    name = state.get("state", "never")
    st.markdown(" · ".join(part for part in (page.t(f"system.state_{name}"), _when(page, state)) if part))
    if name == "running" and state.get("total"):
        st.progress(min(1.0, state.get("done", 0) / state["total"]),
                    text=page.t("system.progress", done=state.get("done", 0), total=state["total"]))
    if name == "failed":
        st.error(state.get("error", ""), icon=":material/error:")
    if name == "done":
        _result(page, job, state.get("result") or {})


def _when(page: "Page", state: dict[str, Any]) -> str:
    at = state.get("at")
    return i18n.fmt_datetime(dt.datetime.fromisoformat(at), page.lang) if at else ""


def _result(page: "Page", job: str, result: dict[str, Any]) -> None:
    if job == "reindex":
        st.success(page.t("system.reindex_done", assets=result.get("assets", 0), vectors=result.get("vectors", 0),
                          model=result.get("model", "")), icon=":material/check:")
        return
    problems = result.get("problems", 0)
    summary = page.t("system.verify_done", files=result.get("files_checked", 0), problems=problems)
    (st.warning if problems else st.success)(summary, icon=":material/fact_check:")
    if result.get("findings"):
        st.dataframe(pd.DataFrame(result["findings"]), hide_index=True, width="stretch")


def environment_table(page: "Page") -> None:
    config = page.ctx.config
    rows = [(s.name, "••••••" if s.secret and config.values.get(s.name) else str(config.values.get(s.name, "")),
             s.help) for s in SETTINGS]
    st.dataframe(pd.DataFrame(rows, columns=[page.t("system.setting"), page.t("system.value"),
                                             page.t("system.meaning")]), hide_index=True, width="stretch")
