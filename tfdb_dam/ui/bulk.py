"""Actions on a selection of assets: workflow steps, add to a collection, bulk metadata edit.

Each action calls one service (review.act_many, ui_collections.add_assets, ui_bulk.edit_many)
and reports every asset's outcome; refusals are listed, never hidden.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import streamlit as st

from tfdb_dam.services import review, ui_bulk, ui_collections
from tfdb_dam.services.review_rules import BY_ACTION, who_may
from tfdb_dam.ui import forms
from tfdb_dam.ui.errors import localized_reason
from tfdb_dam.ui.widgets import clear_selection

if TYPE_CHECKING:
    from tfdb_dam.ui.bootstrap import Page

BULK_STEPS = ("submit", "approve", "publish", "reject")
_ICONS = {"submit": ":material/send:", "approve": ":material/check_circle:", "publish": ":material/public:",
          "reject": ":material/cancel:", "withdraw": ":material/undo:", "unpublish": ":material/visibility_off:",
          "archive": ":material/inventory_2:"}


def step_icon(action: str) -> str:
    return _ICONS.get(action, ":material/arrow_forward:")


def allowed_steps(page: "Page", steps: Sequence[str] = BULK_STEPS) -> list[str]:
    return [s for s in steps if who_may(BY_ACTION[s], page.actor.role) is not None]


def report_outcomes(page: "Page", outcomes: Sequence[Any], done_key: str) -> None:
    """One line for what succeeded, one per refusal (with the service's reason)."""
    ok = [o for o in outcomes if o.ok]
    if ok:
        st.success(page.t(done_key, count=len(ok), ids=", ".join(f"#{o.id}" for o in ok)),
                   icon=":material/check:")
    for outcome in outcomes:
        if not outcome.ok:
            st.error(page.t("bulk.refused", id=outcome.id, reason=localized_reason(outcome.error, page.lang)),
                     icon=":material/block:")


def workflow_buttons(page: "Page", prefix: str, ids: Sequence[int], *, steps: Sequence[str] = BULK_STEPS) -> None:
    allowed = allowed_steps(page, steps)
    steps = [s for s in allowed if s != "reject"]
    with st.container(horizontal=True):
        for step in steps:
            if st.button(page.t(f"step.{step}"), key=f"{prefix}_bulk_{step}", icon=step_icon(step),
                         type="primary" if step == "publish" else "secondary"):
                outcomes = review.act_many(page.ctx, page.actor, step, list(ids))
                st.session_state[f"{prefix}_bulk_report"] = (outcomes, f"bulk.done_{step}")
                clear_selection(prefix)
                st.rerun()
    if "reject" in allowed:
        _reject_form(page, prefix, ids)


def _reject_form(page: "Page", prefix: str, ids: Sequence[int]) -> None:
    with st.form(f"{prefix}_bulk_reject", border=False, enter_to_submit=True):
        left, right = st.columns([4, 1], vertical_alignment="bottom")
        reason = left.text_input(page.t("review.reason"), key=f"{prefix}_bulk_reason",
                                 placeholder=page.t("review.reason_placeholder"))
        if right.form_submit_button(page.t("step.reject"), icon=step_icon("reject"), width="stretch"):
            outcomes = review.act_many(page.ctx, page.actor, "reject", list(ids), comment=reason)
            st.session_state[f"{prefix}_bulk_report"] = (outcomes, "bulk.done_reject")
            clear_selection(prefix)
            st.rerun()


def show_last_report(page: "Page", prefix: str) -> None:
    report = st.session_state.pop(f"{prefix}_bulk_report", None)
    if report is not None:
        report_outcomes(page, *report)


def collection_picker(page: "Page", prefix: str, ids: Sequence[int]) -> None:
    mine = page.read(ui_collections.editable_collections, page.actor)
    if not mine:
        st.caption(page.t("bulk.no_collections"))
        return
    with st.form(f"{prefix}_to_collection", border=False):
        left, right = st.columns([4, 1], vertical_alignment="bottom")
        chosen = left.selectbox(page.t("bulk.collection"), [c.id for c in mine],
                                format_func=lambda cid: next(c.name for c in mine if c.id == cid))
        if right.form_submit_button(page.t("bulk.add"), icon=":material/playlist_add:", width="stretch"):
            added = page.act(ui_collections.add_assets, page.actor, chosen, list(ids))
            if added is not None:
                st.success(page.t("bulk.added", count=added), icon=":material/check:")


def bulk_edit(page: "Page", prefix: str, ids: Sequence[int]) -> None:
    """Fields left empty are not changed; tags given here replace the assets' tags."""
    changes = forms.bulk_metadata_form(page, f"{prefix}_bulk_edit")
    if changes is None:
        return
    outcomes = page.call(ui_bulk.edit_many, page.ctx, page.actor, list(ids), changes)
    if outcomes is not None:
        report_outcomes(page, outcomes, "bulk.done_edit")


def selection_actions(page: "Page", prefix: str, ids: Sequence[int]) -> None:
    """Everything one can do with the selected assets, in tabs."""
    if not ids:
        return
    steps, collect, edit = st.tabs([page.t("bulk.tab_workflow"), page.t("bulk.tab_collection"),
                                    page.t("bulk.tab_edit")])
    with steps:
        workflow_buttons(page, prefix, ids)
    with collect:
        collection_picker(page, prefix, ids)
    with edit:
        bulk_edit(page, prefix, ids)
