"""The asset page's displays: large preview (photo, video with keyframes, document page), key
facts, EXIF table, a map (on the map service's tiles when one is set), and the history with reasons."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from tfdb_dam.ui import exif_gps, i18n, maps
from tfdb_dam.ui.widgets import status_badge

if TYPE_CHECKING:
    from tfdb_dam.services.ui_queries import AssetView
    from tfdb_dam.ui.bootstrap import Page


def large_preview(page: "Page", view: "AssetView") -> None:
    record = view.record
    with st.container(key="preview"):
        if record["kind"] in ("video", "audio") and view.original is not None:
            player = st.video if record["kind"] == "video" else st.audio
            player(str(view.original))
        elif view.preview is not None:
            st.image(str(view.preview), width="stretch")
        else:
            st.info(page.t("asset.no_preview", state=page.t(f"processing.{record['processing']}")),
                    icon=":material/hourglass_top:")
    if record["kind"] == "document" and record.get("page_count"):
        st.caption(page.t("asset.first_page", pages=record["page_count"]))
    if view.keyframes:
        st.caption(page.t("asset.keyframes"))
        with st.container(key="keyframes"):
            grid = st.grid(8, gap="xsmall", min_column_width=80)
            for path, seconds in view.keyframes:
                with grid:
                    st.image(str(path), caption=_clock(seconds), width="stretch")


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}:{rest:02d}"


def facts(page: "Page", view: "AssetView") -> None:
    """The short list beside the preview: status, when, what, who."""
    record = view.record
    rows = [
        (page.t("asset.status"), status_badge(record["status"], page.lang)),
        (page.t("asset.kind"), page.t(f"kind.{record['kind']}")),
        (page.t("field.captured_at"), i18n.fmt_datetime(record.get("captured_at"), page.lang)),
        (page.t("field.category"), i18n.pick(*view.category_labels, page.lang) if view.category_labels else "—"),
        (page.t("field.source_unit"), record.get("source_unit") or "—"),
        (page.t("asset.size"), _size(page, record)),
        (page.t("asset.camera"), " ".join(p for p in (record.get("camera_make"), record.get("camera_model")) if p)
         or "—"),
        (page.t("field.tags"), ", ".join(record.get("tags") or []) or "—"),
    ]
    st.markdown("\n".join(f"- **{label}:** {value}" for label, value in rows))


def metadata_readonly(page: "Page", record: dict[str, Any]) -> None:
    """Both languages side by side, for readers who write in either."""
    fields = ("title_vi", "title_en", "description_vi", "description_en", "credit", "usage_terms")
    frame = pd.DataFrame([(page.t(f"field.{f}"), record.get(f) or "—") for f in fields],
                         columns=[page.t("asset.field"), page.t("asset.value")])
    st.table(frame.set_index(page.t("asset.field")))


def _size(page: "Page", record: dict[str, Any]) -> str:
    parts = [i18n.fmt_bytes(record.get("size_bytes"), page.lang)]
    if record.get("width") and record.get("height"):
        parts.append(f"{record['width']}×{record['height']} px")
    if record.get("duration_s"):
        parts.append(_clock(record["duration_s"]))
    return " · ".join(parts)


def exif_table(page: "Page", exif: dict[str, Any]) -> None:
    if not exif:
        st.caption(page.t("asset.no_exif"))
        return
    readable = exif_gps.readable_gps(exif, page.lang)
    rows = [(str(key), _plain(value)) for key, value in sorted(readable.items(), key=lambda kv: str(kv[0]))]
    frame = pd.DataFrame(rows, columns=[page.t("asset.exif_tag"), page.t("asset.exif_value")])
    st.dataframe(frame, hide_index=True, width="stretch", height=min(38 + 35 * len(rows), 520))


def _plain(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 300 else text[:297] + "…"


def location_map(page: "Page", points: list[dict[str, Any]], *, zoom: float = 11, height: int = 360) -> None:
    """Points on the map service's tiles when TFDB_MAP_TILE_URL names one, else on a plain
    background (works offline, where no tiles can load)."""
    if not points:
        st.caption(page.t("map.none"))
        return
    tile_url = page.ctx.config.tfdb_map_tile_url
    st.pydeck_chart(maps.map_deck(points, zoom=zoom, tile_url=tile_url), height=height)
    if tile_url:
        credit = maps.attribution(tile_url, page.ctx.config.tfdb_map_tile_attribution)
        st.caption(page.t("map.attribution", source=credit))
    else:
        st.caption(page.t("map.offline_note"))


def history(page: "Page", events: list[dict[str, Any]]) -> None:
    if not events:
        st.caption(page.t("asset.no_history"))
        return
    for event in reversed(events):
        action = page.t(f"step.{event['action']}") if f"step.{event['action']}" in _STEP_KEYS else event["action"]
        line = f"**{action}** · {event['actor']} · {i18n.fmt_datetime(event['at'], page.lang)}"
        if event.get("to_status") and event.get("from_status") != event.get("to_status"):
            line += f" · {status_badge(event['to_status'], page.lang)}"
        st.markdown(line)
        if event.get("comment"):
            st.caption(f"{page.t('asset.reason')}: {event['comment']}")


_STEP_KEYS = {f"step.{name}" for name in ("submit", "withdraw", "approve", "reject", "publish", "unpublish",
                                          "archive", "reopen", "edit", "upload")}
