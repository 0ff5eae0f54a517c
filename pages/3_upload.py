"""Upload: many files at once with one metadata form (edited per file in the table), the outcome
per file (imported, duplicate of N, refused because …) and live processing progress."""

import streamlit as st

from tfdb_dam.services import review
from tfdb_dam.services.ingest import ingest_upload
from tfdb_dam.services.ui_settings import runtime_settings
from tfdb_dam.ui import bulk, forms, upload
from tfdb_dam.ui.bootstrap import STAFF, start

page = start("upload", roles=STAFF)
st.title(page.t("nav.upload"))
st.caption(page.t("upload.intro", mb=page.ctx.config.tfdb_app_max_upload_mb))
bulk.show_last_report(page, "upl")

generation = st.session_state.setdefault("upl_generation", 0)
files = st.file_uploader(page.t("upload.files"), accept_multiple_files=True, key=f"upl_files_{generation}")

if files:
    choices = forms.choices(page)
    settings = page.read(runtime_settings)
    defaults = {"license": settings["upload_default_licence"], "credit": settings["upload_default_credit"]}
    with st.form("upl_form", border=True):
        st.markdown(f"**{page.t('upload.shared_metadata')}**")
        shared = forms.upload_metadata_form_fields(page, "upl", choices, defaults)
        st.markdown(f"**{page.t('upload.per_file')}**")
        table = upload.per_file_table(page, [f.name for f in files], key=f"upl_table_{generation}")
        go = st.form_submit_button(page.t("upload.start", count=len(files)), type="primary",
                                   icon=":material/cloud_upload:")
    if go:
        rows, bar = [], st.progress(0.0)
        for index, file in enumerate(files):
            bar.progress(index / len(files), text=page.t("upload.sending", name=file.name))
            outcome = page.call(ingest_upload, page.ctx, page.actor, file.name, file,
                                upload.values_for(shared, table, index))
            if outcome is not None:
                rows.append(upload.Row(file.name, outcome.status, outcome.asset_id, outcome.error))
        st.session_state[upload.BATCH_KEY] = rows
        st.session_state["upl_generation"] = generation + 1  # empties the file picker
        st.rerun()

rows = upload.batch()
if rows:
    st.subheader(page.t("upload.outcomes"))
    ready = upload.imported_ids(rows)
    still = any(r.status == "queued" for r in rows)
    with st.container(horizontal=True, vertical_alignment="center"):
        st.markdown(upload.status_line(page, rows))
        if st.button(page.t("upload.submit_all", count=len(ready)), icon=bulk.step_icon("submit"),
                     type="primary", disabled=still or not ready, key="upl_submit_all"):
            outcomes = review.act_many(page.ctx, page.actor, "submit", ready)
            st.session_state["upl_bulk_report"] = (outcomes, "bulk.done_submit")
            st.session_state[upload.BATCH_KEY] = []
            st.rerun()
        if st.button(page.t("upload.clear"), icon=":material/close:", key="upl_clear", type="tertiary",
                     disabled=still):
            st.session_state[upload.BATCH_KEY] = []
            st.rerun()
    upload.progress_panel(page)
