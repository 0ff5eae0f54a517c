"""Asset: large preview (photo, video with keyframes, document page), facts, credit and licence,
downloads, workflow steps, then metadata with each field's source, EXIF, map, history,
possible duplicates and similar assets."""

import streamlit as st

from tfdb_dam.services import metadata
from tfdb_dam.services.search import more_like_this
from tfdb_dam.services.ui_queries import asset_view
from tfdb_dam.ui import asset_panels, forms, i18n, preview, widgets
from tfdb_dam.ui.bootstrap import EVERYONE, start

page = start("asset", roles=EVERYONE)
asset_id = asset_panels.asset_id_from_query(page)
view = page.read(asset_view, page.ctx, page.actor, asset_id)
record = view.record

st.title(i18n.pick(record["title_vi"], record["title_en"], page.lang) or record["original_filename"])
st.markdown(f"{widgets.status_badge(record['status'], page.lang)} · {page.t(f'kind.' + record['kind'])} · "
            f"#{record['id']} · {record['original_filename']}")
asset_panels.flash(page)

left, right = st.columns([3, 2], gap="large")
with left:
    preview.large_preview(page, view)
    description = i18n.pick(record["description_vi"], record["description_en"], page.lang)
    if description:
        st.write(description)
with right:
    asset_panels.workflow_box(page, view)
    asset_panels.rights_box(page, view)
    asset_panels.download_box(page, view)
    preview.facts(page, view)

staff = page.actor.is_staff
names = ["asset.tab_metadata", "asset.tab_exif", "asset.tab_map"] + (
    ["asset.tab_history", "asset.tab_duplicates"] if staff else []) + ["asset.tab_similar"]
tabs = dict(zip(names, st.tabs([page.t(n) for n in names])))
with tabs["asset.tab_metadata"]:
    if staff:
        changes = forms.asset_metadata_form(page, record, forms.choices(page), editable=view.can_edit)
        if changes:
            saved = page.act(metadata.edit_metadata, page.ctx, page.actor, asset_id, changes,
                             expected_version=record["version"])
            if saved is not None:
                labels = [page.t(f"field.{name}") for name in saved.changed]
                st.session_state["asset_flash"] = page.t("asset.saved", fields=", ".join(labels) or "—")
                st.rerun()
    else:
        preview.metadata_readonly(page, record)
with tabs["asset.tab_exif"]:
    preview.exif_table(page, record.get("exif") or {})
with tabs["asset.tab_map"]:
    if record.get("gps_lat") is not None and record.get("gps_lon") is not None:
        preview.location_map(page, [{"lat": record["gps_lat"], "lon": record["gps_lon"], "label": f"#{asset_id}"}],
                             zoom=13)
        st.caption(page.t("asset.coordinates", lat=f"{record['gps_lat']:.5f}", lon=f"{record['gps_lon']:.5f}"))
    else:
        st.caption(page.t("map.none"))
if staff:
    with tabs["asset.tab_history"]:
        preview.history(page, record["history"])
    with tabs["asset.tab_duplicates"]:
        if view.duplicates:
            st.warning(page.t("asset.duplicate_warning", count=len(view.duplicates)), icon=":material/content_copy:")
        widgets.thumbnail_grid(page, view.duplicates, columns=6, key="duplicates")
with tabs["asset.tab_similar"]:
    widgets.thumbnail_grid(page, page.read(more_like_this, page.ctx, page.actor, asset_id, 12), columns=6,
                           key="similar")
