"""Shared display pieces: status badges, the thumbnail grid with selection, notices, home cards."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import streamlit as st

from tfdb_dam.services.ui_queries import thumbnail_file
from tfdb_dam.ui import grid, i18n
from tfdb_dam.ui.sidebar import ASSET_PAGE, script_of

if TYPE_CHECKING:
    from tfdb_dam.services.ui_queries import WhatsNew
    from tfdb_dam.ui.bootstrap import Page

STATUS_COLOURS = {"draft": "gray", "submitted": "blue", "approved": "violet", "rejected": "red",
                  "published": "green", "archived": "orange"}
PROCESSING_COLOURS = {"pending": "orange", "ready": "green", "failed": "red"}
KIND_ICONS = {"photo": ":material/photo_camera:", "video": ":material/movie:",
              "document": ":material/description:", "audio": ":material/headphones:"}


def status_badge(status: str, lang: str | None = None) -> str:
    """Markdown for a coloured status badge."""
    return f":{STATUS_COLOURS.get(status, 'gray')}-badge[{i18n.t(f'status.{status}', lang)}]"


def processing_badge(state: str, lang: str | None = None) -> str:
    return f":{PROCESSING_COLOURS.get(state, 'gray')}-badge[{i18n.t(f'processing.{state}', lang)}]"


def title_of(item: Any, lang: str | None = None) -> str:
    return i18n.pick(item.title_vi, item.title_en, lang) or i18n.t("common.untitled", lang)


# --- selection (kept as a set of ids per page prefix; checkboxes mirror it) -----------------
def selection(prefix: str) -> set[int]:
    return st.session_state.setdefault(f"{prefix}_selected", set())


def _box_key(prefix: str, asset_id: int) -> str:
    return f"{prefix}_sel_{asset_id}"


def _toggle(prefix: str, asset_id: int) -> None:
    chosen = selection(prefix)
    if st.session_state.get(_box_key(prefix, asset_id)):
        chosen.add(asset_id)
    else:
        chosen.discard(asset_id)


def set_selection(prefix: str, ids: Iterable[int], selected: bool) -> None:
    """Select or unselect ``ids`` (for "select page" / "clear"); also flips their visible boxes."""
    chosen = selection(prefix)
    for asset_id in ids:
        (chosen.add if selected else chosen.discard)(asset_id)
        st.session_state[_box_key(prefix, asset_id)] = selected


def clear_selection(prefix: str) -> None:
    set_selection(prefix, list(selection(prefix)), False)


# --- the grid ---------------------------------------------------------------------------------
# Browsing, the whole grid is one HTML element (ui/grid.py: 60 widget cards cost the browser
# seconds). Selecting, each card is a container with an st.image and a checkbox; its status
# badge is drawn by CSS from the container's key (theme.apply).

def asset_link(asset_id: int) -> str:
    return f"asset?id={asset_id}"


def thumbnail_grid(page: "Page", items: Sequence[Any], *, select_prefix: str | None = None,
                   columns: int = 6, key: str = "thumbgrid", show_status: bool = True) -> None:
    """Cards of thumbnails (the small `thumb` rendition, never originals) opening the asset page."""
    if not items:
        st.info(page.t("common.no_results"), icon=":material/search_off:")
        return
    with st.container(key=key):
        if select_prefix is None:
            st.html(grid.grid_html([_card_of(page, item, show_status) for item in items], key, columns))
            return
        cells = st.grid(columns, gap="small", min_column_width=150)
        for item in items:
            status = item.status if show_status else "none"
            with cells, st.container(key=f"card-{status}-{key}-{item.asset_id}", border=True):
                _selectable_card(page, _card_of(page, item, show_status), select_prefix)


def _card_of(page: "Page", item: Any, show_status: bool) -> grid.Card:
    kind = "" if item.kind == "photo" else page.t(f"kind.{item.kind}") + " · "
    title = title_of(item, page.lang)
    return grid.Card(asset_id=item.asset_id, link=asset_link(item.asset_id), title=title,
                     caption=f"{kind}{title} · #{item.asset_id}", status=item.status if show_status else None,
                     status_label=page.t(f"status.{item.status}"),
                     thumb=thumbnail_file(page.ctx, item.sha256) if item.has_thumb else None,
                     kind_label=page.t(f"kind.{item.kind}"))


def _selectable_card(page: "Page", card: grid.Card, select_prefix: str) -> None:
    if card.thumb is not None:
        st.image(str(card.thumb), caption=card.caption, link=card.link, width="stretch")
    else:
        st.html(f'<a href="{card.link}" target="_blank" class="tfdb-nothumb">'
                f'<span>{html.escape(card.kind_label)}</span></a>'
                f'<p class="tfdb-caption">{html.escape(card.caption)}</p>')
    key = _box_key(select_prefix, card.asset_id)
    if key not in st.session_state:
        st.session_state[key] = card.asset_id in selection(select_prefix)
    st.checkbox(page.t("common.select"), key=key, on_change=_toggle, args=(select_prefix, card.asset_id))


def selection_toolbar(page: "Page", prefix: str, visible_ids: Sequence[int]) -> set[int]:
    """Count, "select page" and "clear"; returns the selected ids."""
    chosen = selection(prefix)
    with st.container(horizontal=True, vertical_alignment="center"):
        st.markdown(page.t("common.selected", count=len(chosen)))
        st.button(page.t("common.select_page"), key=f"{prefix}_select_page", icon=":material/select_all:",
                  on_click=set_selection, args=(prefix, list(visible_ids), True), type="tertiary")
        st.button(page.t("common.clear_selection"), key=f"{prefix}_clear", icon=":material/deselect:",
                  on_click=clear_selection, args=(prefix,), type="tertiary", disabled=not chosen)
    return set(chosen)


def notice(page: "Page", settings: dict[str, Any]) -> None:
    """The administrators' notice (a run-time setting), in the reader's language."""
    text = i18n.pick(settings.get("notice_vi"), settings.get("notice_en"), page.lang)
    if text:
        st.info(text, icon=":material/campaign:")


# --- home -------------------------------------------------------------------------------------
def gallery_invitation(page: "Page") -> None:
    with st.container(border=True):
        st.subheader(page.t("home.gallery_title"))
        st.write(page.t("home.gallery_text"))
        st.page_link(script_of("gallery"), label=page.t("home.gallery_link"), icon=":material/public:")


def whats_new(page: "Page", news: "WhatsNew") -> None:
    _work_metrics(page, news)
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader(page.t("home.recent_published"))
        thumbnail_grid(page, news.recent_published, columns=4, key="recent", show_status=False)  # all published
    with right:
        st.subheader(page.t("home.notifications", count=news.unread))
        notifications(page, news.notifications)


def _work_metrics(page: "Page", news: "WhatsNew") -> None:
    figures = [(page.t(f"status.{s}"), news.mine_by_status.get(s, 0)) for s in ("draft", "submitted", "rejected")]
    if news.waiting_review is not None:
        figures.append((page.t("home.waiting_review"), news.waiting_review))
    st.caption(page.t("home.my_work"))
    for column, (label, value) in zip(st.columns(len(figures)), figures):
        column.metric(label, i18n.fmt_number(value, page.lang), border=True)


def notifications(page: "Page", rows: Sequence[Any]) -> None:
    if not rows:
        st.caption(page.t("home.no_notifications"))
        return
    for note in rows:
        with st.container(border=True):
            body = note.body.split("\n\n")
            text = body[0] if page.lang == "vi" or len(body) < 2 else body[1]
            marker = "" if note.read_at else ":blue-badge[" + page.t("home.unread") + "] "
            st.markdown(f"{marker}{text}")
            st.caption(i18n.fmt_datetime(note.created_at, page.lang))
            if note.asset_id:
                st.page_link(ASSET_PAGE, label=page.t("common.open"), query_params={"id": str(note.asset_id)},
                             icon=":material/open_in_new:")
