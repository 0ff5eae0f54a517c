"""One review-queue item: preview beside the metadata, duplicate and missing-field warnings, and
approve / reject with a reason / publish (a reason form submits on Enter)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from tfdb_dam.services import review
from tfdb_dam.services.ui_queries import thumbnail_file
from tfdb_dam.ui import i18n
from tfdb_dam.ui.bulk import step_icon
from tfdb_dam.ui.sidebar import ASSET_PAGE
from tfdb_dam.ui.widgets import selection

if TYPE_CHECKING:
    from tfdb_dam.services.ui_review import ReviewItem
    from tfdb_dam.ui.bootstrap import Page

PREFIX = "rev"


def item_card(page: "Page", item: "ReviewItem") -> None:
    hit = item.hit
    with st.container(border=True, key=f"rev_item_{hit.asset_id}"):
        picture, text, actions = st.columns([2, 4, 2], gap="medium")
        with picture:
            path = thumbnail_file(page.ctx, hit.sha256) if hit.has_thumb else None
            if path is not None:
                st.image(str(path), width="stretch")
            st.page_link(ASSET_PAGE, label=page.t("review.open_asset", id=hit.asset_id), icon=":material/open_in_new:",
                         query_params={"id": str(hit.asset_id)})
        with text:
            _details(page, item)
        with actions:
            _actions(page, item)


def _details(page: "Page", item: "ReviewItem") -> None:
    hit = item.hit
    st.markdown(f"**{hit.title_vi or page.t('common.untitled')}**  \n*{hit.title_en or page.t('common.untitled')}*")
    description = i18n.pick(item.description_vi, item.description_en, page.lang)
    if description:
        st.caption(description[:400] + ("…" if len(description) > 400 else ""))
    facts = [i18n.pick(*item.category, page.lang) if item.category else None, item.source_unit,
             hit.credit, item.license]
    st.markdown(" · ".join(f for f in facts if f) or "—")
    st.caption(page.t("review.submitted_by", user=item.submitted_by or "—",
                      when=i18n.fmt_datetime(item.submitted_at, page.lang)))
    if item.near_duplicate_of:
        st.warning(page.t("review.duplicate", id=item.near_duplicate_of), icon=":material/content_copy:")
    if item.missing:
        st.info(page.t("review.missing", fields=", ".join(page.t(f"field.{name}") for name in item.missing)), icon=":material/info:")


def _toggle(asset_id: int) -> None:
    chosen = selection(PREFIX)
    (chosen.add if st.session_state.get(f"{PREFIX}_sel_{asset_id}") else chosen.discard)(asset_id)


def _actions(page: "Page", item: "ReviewItem") -> None:
    asset_id, key = item.hit.asset_id, f"{PREFIX}_sel_{item.hit.asset_id}"
    if key not in st.session_state:
        st.session_state[key] = asset_id in selection(PREFIX)
    st.checkbox(page.t("common.select"), key=key, on_change=_toggle, args=(asset_id,))
    if item.hit.status == "submitted":
        if st.button(page.t("step.approve"), key=f"rev_approve_{asset_id}", type="primary",
                     icon=step_icon("approve"), width="stretch"):
            _take(page, item, "approve", None)
        with st.form(f"rev_reject_{asset_id}", border=False, enter_to_submit=True):
            reason = st.text_input(page.t("review.reason"), key=f"rev_reason_{asset_id}",
                                   placeholder=page.t("review.reason_placeholder"))
            if st.form_submit_button(page.t("step.reject"), icon=step_icon("reject"), width="stretch"):
                _take(page, item, "reject", reason)
    elif st.button(page.t("step.publish"), key=f"rev_publish_{asset_id}", type="primary", icon=step_icon("publish"),
                   width="stretch", disabled=bool(item.missing)):
        _take(page, item, "publish", None)


def _take(page: "Page", item: "ReviewItem", step: str, comment: str | None) -> None:
    outcome = review.act(page.ctx, page.actor, item.hit.asset_id, step, expected_version=item.version,
                         comment=comment)
    st.session_state[f"{PREFIX}_bulk_report"] = ([outcome], f"bulk.done_{step}")
    selection(PREFIX).discard(item.hit.asset_id)
    st.rerun()
