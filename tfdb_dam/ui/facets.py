"""Search controls shared by the library, the gallery and collections: the search box, the facet
sidebar (with counts), sort and paging — read from session state into a SearchRequest."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import streamlit as st

from tfdb_dam.services.search_types import FACET_KEYS, SORTS, FacetValue, SearchFilters, SearchRequest
from tfdb_dam.ui import i18n

if TYPE_CHECKING:
    from tfdb_dam.ui.bootstrap import Page

# facet key -> SearchFilters list field it selects (year and has_gps map to other fields)
_LIST_FIELDS = {"kind": "kinds", "status": "statuses", "category": "categories", "tags": "tags",
                "source_unit": "source_units", "credit": "credits", "camera": "cameras"}
PER_PAGE = 60


def _key(prefix: str, name: str) -> str:
    return f"{prefix}_f_{name}"


def search_box(page: "Page", prefix: str) -> str:
    """One search box; Enter submits. Returns the query in effect."""
    with st.form(f"{prefix}_search", border=False, enter_to_submit=True):
        left, right = st.columns([6, 1], vertical_alignment="bottom")
        left.text_input(page.t("search.label"), key=f"{prefix}_q_input", placeholder=page.t("search.placeholder"),
                        label_visibility="collapsed")
        if right.form_submit_button(page.t("common.search"), type="primary", icon=":material/search:",
                                    width="stretch"):
            _new_query(prefix, st.session_state.get(f"{prefix}_q_input", ""))
    return st.session_state.get(f"{prefix}_q", "")


def _new_query(prefix: str, query: str) -> None:
    # A new query shows its best matches first (and no query the newest): the sort chosen for
    # the previous query would otherwise keep the same first page for every broad query.
    if query != st.session_state.get(f"{prefix}_q", ""):
        st.session_state.pop(f"{prefix}_sort", None)
    st.session_state[f"{prefix}_q"] = query


def request_from_state(prefix: str, query: str, *, fixed: dict[str, Any] | None = None,
                       default_sort: str = "relevance", per_page: int = PER_PAGE) -> SearchRequest:
    """The request the widgets describe; the page number resets when anything else changes."""
    filters = SearchFilters(**(fixed or {}))
    for facet, field_name in _LIST_FIELDS.items():
        chosen = st.session_state.get(_key(prefix, facet)) or []
        if chosen and field_name not in (fixed or {}):
            setattr(filters, field_name, list(chosen))
    _apply_years(filters, st.session_state.get(_key(prefix, "year")) or [])
    gps = st.session_state.get(_key(prefix, "has_gps")) or []
    if len(gps) == 1:
        filters.has_gps = gps[0] == "true"
    sort = st.session_state.get(f"{prefix}_sort") or (default_sort if query.strip() else "newest")
    request = SearchRequest(query=query, filters=filters, sort=sort, per_page=per_page)
    signature = repr((query, filters, sort, per_page))
    if st.session_state.get(f"{prefix}_signature") != signature:
        st.session_state[f"{prefix}_signature"] = signature
        st.session_state[f"{prefix}_page"] = 1
    request.page = int(st.session_state.get(f"{prefix}_page") or 1)
    return request


def _apply_years(filters: SearchFilters, years: Sequence[str]) -> None:
    numbers = sorted(int(y) for y in years if str(y).isdigit())
    if numbers:
        filters.captured_from = dt.date(numbers[0], 1, 1)
        filters.captured_to = dt.date(numbers[-1], 12, 31)


def facet_sidebar(page: "Page", prefix: str, facets: dict[str, list[FacetValue]], *,
                  hide: Sequence[str] = ()) -> None:
    """Multiselects with counts in the sidebar; the selection applies on the next run."""
    shown = [name for name in FACET_KEYS if name not in hide
             and (facets.get(name) or st.session_state.get(_key(prefix, name)))]
    if not shown:
        return
    with st.sidebar:
        st.subheader(page.t("facet.title"))
        for name in shown:
            _facet(page, prefix, name, facets.get(name) or [], st.session_state.get(_key(prefix, name)) or [])
        if any(st.session_state.get(_key(prefix, n)) for n in FACET_KEYS):
            st.button(page.t("facet.clear"), key=f"{prefix}_facets_clear", icon=":material/filter_alt_off:",
                      on_click=clear_facets, args=(prefix,), type="tertiary")


def _facet(page: "Page", prefix: str, name: str, values: list[FacetValue], chosen: list[str]) -> None:
    labels = {v.value: f"{_facet_label(page, name, v)} ({i18n.fmt_number(v.count, page.lang)})" for v in values}
    options = [v.value for v in values] + [c for c in chosen if c not in labels]
    st.multiselect(page.t(f"facet.{name}"), options=options, key=_key(prefix, name),
                   format_func=lambda value: labels.get(value, value), placeholder=page.t("facet.any"))


def _facet_label(page: "Page", name: str, value: FacetValue) -> str:
    if name in ("kind", "status"):
        return page.t(f"{name}.{value.value}")
    if name == "has_gps":
        return page.t("facet.gps_yes" if value.value == "true" else "facet.gps_no")
    return i18n.pick(value.label_vi, value.label_en, page.lang) or value.value


def clear_facets(prefix: str) -> None:
    for name in FACET_KEYS:
        st.session_state[_key(prefix, name)] = []


def sort_select(page: "Page", prefix: str, *, has_query: bool) -> None:
    options = list(SORTS) if has_query else [s for s in SORTS if s != "relevance"]
    if st.session_state.get(f"{prefix}_sort") not in options:
        st.session_state[f"{prefix}_sort"] = options[0]
    st.selectbox(page.t("search.sort"), options, key=f"{prefix}_sort",
                 format_func=lambda s: page.t(f"sort.{s}"), label_visibility="collapsed")


def result_count(page: "Page", total: int, exact: bool = True) -> str:
    """The results line: "1.234 kết quả", or "hơn 10.000 kết quả" when browsing stopped counting."""
    count = i18n.fmt_number(total, page.lang)
    return page.t("common.results", count=count) if exact else page.t("common.results_more", count=count)


def pager(page: "Page", prefix: str, total: int, per_page: int = PER_PAGE) -> None:
    # When ``total`` is a lower bound (browsing counts up to search.BROWSE_COUNT_CAP), the pages
    # stop there: paging past 10 000 browsed assets finds nothing a filter or a sort would not
    # find faster, so the count is not worth its full scan.
    pages = max(1, math.ceil(total / per_page))
    if pages > 1:
        st.pagination(pages, key=f"{prefix}_page", max_visible_pages=9)
