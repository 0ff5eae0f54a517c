"""Review queue (approvers): what waits, oldest first; preview beside metadata and duplicate
warnings; approve, reject with a reason, publish — one by one or in bulk."""

import streamlit as st

from tfdb_dam.services.ui_review import WAITING, review_queue
from tfdb_dam.ui import bulk, facets, i18n, widgets
from tfdb_dam.ui.bootstrap import APPROVERS, start
from tfdb_dam.ui.review import PREFIX, item_card

page = start("review", roles=APPROVERS)
st.title(page.t("nav.review"))

status = st.session_state.get("rev_status") or WAITING[0]
switch = st.container()
query = facets.search_box(page, PREFIX)
number = int(st.session_state.get(f"{PREFIX}_page") or 1)
queue = page.read(review_queue, page.ctx, page.actor, status, query=query, page=number)
with switch:
    st.segmented_control(page.t("review.show"), list(WAITING), key="rev_status", default=status, required=True,
                         format_func=lambda s: page.t(f"review.tab_{s}", count=i18n.fmt_number(queue.counts[s])),
                         label_visibility="collapsed", selection_mode="single")

bulk.show_last_report(page, PREFIX)
if not queue.items:
    st.success(page.t(f"review.empty_{queue.status}"), icon=":material/task_alt:")
    st.stop()
visible = [item.hit.asset_id for item in queue.items]
selected = widgets.selection_toolbar(page, PREFIX, visible)
if selected:
    steps = ["approve", "reject"] if queue.status == "submitted" else ["publish"]
    with st.container(border=True):
        st.markdown(page.t("bulk.title", count=len(selected)))
        bulk.workflow_buttons(page, PREFIX, sorted(selected), steps=steps)
for item in queue.items:
    item_card(page, item)
facets.pager(page, PREFIX, queue.total, per_page=20)
