"""The upload batch: per-file outcome rows, live processing progress (a polling fragment), and
the per-file metadata table. Processing runs in background workers; this only reads its state."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from tfdb_dam.services import ingest_wait, ui_queries
from tfdb_dam.ui.bootstrap import session_run
from tfdb_dam.ui.errors import localized_reason
from tfdb_dam.ui.sidebar import ASSET_PAGE

if TYPE_CHECKING:
    from tfdb_dam.ui.bootstrap import Page

BATCH_KEY = "upl_batch"
POLL_SECONDS = 1.5
PER_FILE_COLUMNS = ("title_vi", "title_en", "description_vi", "description_en")


@dataclass
class Row:
    """One uploaded file: the outcome the service gave, then what processing made of it."""

    filename: str
    status: str                  # queued, imported, duplicate, rejected
    asset_id: int | None = None
    error: str | None = None
    progress: dict[str, Any] = field(default_factory=dict)


def batch() -> list[Row]:
    return st.session_state.setdefault(BATCH_KEY, [])


def per_file_table(page: "Page", filenames: list[str], key: str) -> pd.DataFrame:
    """An editable table: one row per file; a filled cell overrides the shared form for that file."""
    frame = pd.DataFrame({"filename": filenames, **{c: [""] * len(filenames) for c in PER_FILE_COLUMNS}})
    config = {"filename": st.column_config.TextColumn(page.t("upload.file"), disabled=True)}
    config.update({c: st.column_config.TextColumn(page.t(f"field.{c}")) for c in PER_FILE_COLUMNS})
    return st.data_editor(frame, key=key, hide_index=True, num_rows="fixed", column_config=config,
                          width="stretch")


def values_for(shared: dict[str, str], table: pd.DataFrame, index: int) -> dict[str, str]:
    values = {k: v for k, v in shared.items() if v}
    for column in PER_FILE_COLUMNS:
        cell = table.iloc[index][column]
        if isinstance(cell, str) and cell.strip():
            values[column] = cell.strip()
    return values


def refresh(page: "Page", rows: list[Row]) -> None:
    """Settle queued rows from the database: imported when ready, refused (with reason) otherwise."""
    queued = [r for r in rows if r.status == "queued" and r.asset_id is not None]
    if not queued:
        return
    states = {p.asset_id: p for p in session_run(page.ctx, ui_queries.processing_progress, page.actor,
                                                 [r.asset_id for r in queued])}
    for row in queued:
        state = states.get(row.asset_id)
        if state is None:  # the worker discarded the file: ask the ingest service why
            final = ingest_wait.outcome_of(page.ctx, row.asset_id)
            row.status, row.error, row.asset_id = "rejected", final.error, None
        elif state.processing == "ready":
            row.status, row.progress = "imported", asdict(state)
        elif state.processing == "failed":
            row.status, row.error = "rejected", state.error


def outcome_text(page: "Page", row: Row) -> str:
    if row.status == "queued":
        return page.t("upload.processing")
    if row.status == "imported":
        return page.t("upload.imported", id=row.asset_id)
    if row.status == "duplicate":
        return page.t("upload.duplicate", id=row.asset_id)
    return page.t("upload.refused", reason=localized_reason(row.error, page.lang))


_COLOURS = {"queued": "orange", "imported": "green", "duplicate": "blue", "rejected": "red"}


def render_rows(page: "Page", rows: list[Row]) -> None:
    done = sum(1 for r in rows if r.status != "queued")
    st.progress(done / len(rows), text=page.t("upload.progress", done=done, total=len(rows)))
    for index, row in enumerate(rows):
        with st.container(border=True, key=f"upl_row_{index}"):
            thumb, text, link = st.columns([1, 6, 2], vertical_alignment="center")
            sha = row.progress.get("sha256")
            path = ui_queries.thumbnail_file(page.ctx, sha) if sha and row.progress.get("has_thumb") else None
            if path is not None:
                thumb.image(str(path), width=72)
            else:
                thumb.markdown(f":{_COLOURS[row.status]}-badge[{page.t(f'upload.status_{row.status}')}]")
            text.markdown(f"**{row.filename}** — {outcome_text(page, row)}")
            if row.asset_id is not None:
                link.page_link(ASSET_PAGE, label=page.t("common.open"), icon=":material/open_in_new:",
                               query_params={"id": str(row.asset_id)})


def progress_panel(page: "Page") -> None:
    """Live while files are processed: a fragment polls every POLL_SECONDS, then stops."""
    rows = batch()
    if not rows:
        return
    waiting = any(r.status == "queued" for r in rows)

    def panel() -> None:
        refresh(page, batch())
        render_rows(page, batch())
        if waiting and not any(r.status == "queued" for r in batch()):
            st.rerun()  # processing finished: redraw the page without the timer

    st.fragment(panel, run_every=POLL_SECONDS if waiting else None)()


def imported_ids(rows: list[Row] | None = None) -> list[int]:
    return [r.asset_id for r in (rows if rows is not None else batch())
            if r.status == "imported" and r.asset_id is not None]


def status_line(page: "Page", rows: list[Row]) -> str:
    counts = {s: sum(1 for r in rows if r.status == s) for s in _COLOURS}
    return " ".join(f":{_COLOURS[s]}-badge[{page.t(f'upload.status_{s}')}: {n}]" for s, n in counts.items() if n)


__all__ = ["Row", "batch", "imported_ids", "per_file_table", "progress_panel", "refresh", "render_rows",
           "status_line", "values_for"]
