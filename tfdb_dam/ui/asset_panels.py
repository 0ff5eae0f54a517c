"""The asset page's side panels: credit and licence, downloads (purpose chosen, credit embedded by
the download service), and the workflow steps the actor may take now."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from tfdb_dam.services import downloads, review
from tfdb_dam.ui import i18n
from tfdb_dam.ui.errors import localized_reason
from tfdb_dam.ui.bulk import step_icon

if TYPE_CHECKING:
    from tfdb_dam.services.ui_queries import AssetView
    from tfdb_dam.ui.bootstrap import Page


def asset_id_from_query(page: "Page") -> int:
    raw = st.query_params.get("id", "")
    if not str(raw).isdigit():
        st.error(page.t("asset.bad_id"), icon=":material/error:")
        st.stop()
    return int(raw)


def rights_box(page: "Page", view: "AssetView") -> None:
    with st.container(border=True):
        st.markdown(f"**{page.t('asset.credit_line')}**")
        st.markdown(view.credit_line or page.t("asset.no_credit"))
        if view.licence is not None:
            label = i18n.pick(view.licence.label_vi, view.licence.label_en, page.lang)
            st.markdown(f"**{page.t('field.license')}:** " + (f"[{label}]({view.licence.url})" if view.licence.url
                                                               else label))
        if view.record.get("usage_terms"):
            st.caption(view.record["usage_terms"])


def download_box(page: "Page", view: "AssetView") -> None:
    """Pick a file and a purpose; the file is made (credit and licence written in) on click."""
    if not view.downloads:
        st.caption(page.t("download.none_yet"))
        return
    record = view.record
    with st.container(border=True):
        st.markdown(f"**{page.t('download.title')}**")
        names = list(view.downloads)
        default = next((n for n in ("preview", "poster") if n in names), names[0])
        rendition = st.selectbox(page.t("download.file"), names, index=names.index(default),
                                 format_func=lambda n: page.t(f"download.r_{n}") if n in _KNOWN else n,
                                 key=f"dl_rendition_{record['id']}")
        purpose = st.selectbox(page.t("download.purpose"), list(downloads.PURPOSES), key=f"dl_purpose_{record['id']}",
                               format_func=lambda p: i18n.pick(*downloads.PURPOSES[p], page.lang))
        filename, mime = view.downloads[rendition]
        ctx, actor, asset_id = page.ctx, page.actor, record["id"]

        def make() -> bytes:  # runs on click, in its own thread: logs the download with its purpose
            return downloads.download_asset(ctx, actor, asset_id, purpose=purpose, rendition=rendition).content()

        st.download_button(page.t("download.button"), data=make, file_name=filename, mime=mime, type="primary",
                           icon=":material/download:", key=f"dl_button_{record['id']}", on_click="ignore",
                           width="stretch")
        st.caption(page.t("download.embedded"))


_KNOWN = {"preview", "poster", "original"}


def workflow_box(page: "Page", view: "AssetView") -> None:
    record = view.record
    if view.rejection_reason:
        st.warning(page.t("asset.rejected_because", reason=view.rejection_reason), icon=":material/feedback:")
    steps = [a for a in view.actions if a not in ("reject", "reopen")]
    if not steps and "reject" not in view.actions:
        return
    with st.container(border=True):
        st.markdown(f"**{page.t('asset.workflow')}**")
        with st.container(horizontal=True):
            for step in steps:
                if st.button(page.t(f"step.{step}"), key=f"wf_{step}", icon=step_icon(step),
                             type="primary" if step in ("approve", "publish", "submit") else "secondary"):
                    _take(page, record, step, None)
        if "reject" in view.actions:
            with st.form("wf_reject", border=False, enter_to_submit=True):
                reason = st.text_input(page.t("review.reason"), placeholder=page.t("review.reason_placeholder"),
                                       key="wf_reject_reason")
                if st.form_submit_button(page.t("step.reject"), icon=step_icon("reject")):
                    _take(page, record, "reject", reason)


def _take(page: "Page", record: dict, step: str, comment: str | None) -> None:
    outcome = review.act(page.ctx, page.actor, record["id"], step, expected_version=record["version"],
                         comment=comment)
    if outcome.ok:
        st.session_state["asset_flash"] = page.t(f"bulk.done_{step}", count=1, ids=f"#{record['id']}")
        st.rerun()
    st.error(page.t("bulk.refused", id=record["id"], reason=localized_reason(outcome.error, page.lang)),
             icon=":material/block:")


def flash(page: "Page") -> None:
    message = st.session_state.pop("asset_flash", None)
    if message:
        st.success(message, icon=":material/check:")
