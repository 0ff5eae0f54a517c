"""Metadata forms: the upload form (applied to every file), the asset form (with each field's
source) and the bulk-edit form. Each returns plain values for one service call, or None."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import streamlit as st

from tfdb_dam.services import ui_queries
from tfdb_dam.ui import i18n

if TYPE_CHECKING:
    from tfdb_dam.services.ui_queries import FormChoices
    from tfdb_dam.ui.bootstrap import Page

TEXT_FIELDS = ("title_vi", "title_en", "description_vi", "description_en")


def choices(page: "Page") -> "FormChoices":
    return page.read(ui_queries.form_choices)


def _category_label(page: "Page", form_choices: "FormChoices"):  # noqa: ANN202
    labels = {slug: i18n.pick(vi, en, page.lang) for slug, vi, en in form_choices.categories}
    return lambda slug: page.t("form.no_category") if not slug else labels.get(slug, slug)


def _licence_label(page: "Page", form_choices: "FormChoices"):  # noqa: ANN202
    labels = {lic.code: i18n.pick(lic.label_vi, lic.label_en, page.lang) for lic in form_choices.licences}
    return lambda code: page.t("form.no_licence") if not code else labels.get(code, code)


def _rights_fields(page: "Page", key: str, form_choices: "FormChoices", current: dict[str, Any]) -> dict[str, Any]:
    """Category, source unit, credit and licence, in two columns."""
    left, right = st.columns(2)
    # A stored value missing from today's lists stays selectable, so saving never drops it.
    slugs = _with([""] + [slug for slug, _vi, _en in form_choices.categories], current.get("category"))
    licences = _with([""] + [lic.code for lic in form_choices.licences], current.get("license"))
    units = _with(list(form_choices.source_units), current.get("source_unit"))
    values = {
        "category": left.selectbox(page.t("field.category"), slugs, key=f"{key}_category",
                                   index=_index(slugs, current.get("category")),
                                   format_func=_category_label(page, form_choices)),
        "license": right.selectbox(page.t("field.license"), licences, key=f"{key}_license",
                                   index=_index(licences, current.get("license")),
                                   format_func=_licence_label(page, form_choices)),
        "source_unit": left.selectbox(page.t("field.source_unit"), units, key=f"{key}_unit",
                                      index=_index(units, current.get("source_unit"), None),
                                      accept_new_options=True, placeholder=page.t("form.source_unit_hint")),
        "credit": right.text_input(page.t("field.credit"), value=current.get("credit") or "", key=f"{key}_credit",
                                   placeholder=page.t("form.credit_hint")),
    }
    return values


def _with(options: list[Any], value: Any) -> list[Any]:
    return options if not value or value in options else [*options, value]


def _index(options: list[Any], value: Any, default: int | None = 0) -> int | None:
    return options.index(value) if value in options else default


def _tags(page: "Page", key: str, form_choices: "FormChoices", current: list[str]) -> list[str]:
    options = list(dict.fromkeys([*form_choices.tags, *current]))
    return st.multiselect(page.t("field.tags"), options, default=current, key=f"{key}_tags",
                          accept_new_options=True, placeholder=page.t("form.tags_hint"))


def upload_metadata_form_fields(page: "Page", key: str, form_choices: "FormChoices",
                                defaults: dict[str, Any]) -> dict[str, str]:
    """The shared fields of the upload form (inside the caller's st.form), as import names;
    ``defaults`` (licence, credit) come from the run-time settings."""
    left, right = st.columns(2)
    values: dict[str, Any] = {
        "title_vi": left.text_input(page.t("field.title_vi"), key=f"{key}_title_vi"),
        "title_en": right.text_input(page.t("field.title_en"), key=f"{key}_title_en"),
        "description_vi": left.text_area(page.t("field.description_vi"), key=f"{key}_desc_vi", height=90),
        "description_en": right.text_area(page.t("field.description_en"), key=f"{key}_desc_en", height=90),
    }
    values["tags"] = ";".join(_tags(page, key, form_choices, []))
    values.update(_rights_fields(page, key, form_choices, defaults))
    captured = st.date_input(page.t("field.captured_override"), value=None, key=f"{key}_captured",
                             format=i18n.date_input_format(page.lang), help=page.t("form.captured_help"),
                             max_value=dt.date.today(), min_value=dt.date(1850, 1, 1))
    values["captured_at"] = captured.isoformat() if captured else ""
    return {k: (v or "").strip() if isinstance(v, str) or v is None else v for k, v in values.items()}


def source_badge(page: "Page", sources: dict[str, str], field: str) -> str:
    source = sources.get("category_id" if field == "category" else field)
    colour = {"file": "blue", "import": "orange", "manual": "green"}.get(source or "", "gray")
    return f":{colour}-badge[{page.t(f'source.{source}' if source else 'source.none')}]"


def asset_metadata_form(page: "Page", record: dict[str, Any], form_choices: "FormChoices", *,
                        editable: bool) -> dict[str, Any] | None:
    """The asset's editable metadata; labels show where each value came from. Returns the changes."""
    sources, key = record.get("field_sources") or {}, f"asset_{record['id']}_v{record['version']}"

    def label(field: str) -> str:
        return f"{page.t(f'field.{field}')} {source_badge(page, sources, field)}"

    with st.form(key, border=False, enter_to_submit=False):
        left, right = st.columns(2)
        values: dict[str, Any] = {}
        for index, field in enumerate(TEXT_FIELDS):
            column = left if index % 2 == 0 else right
            widget = column.text_input if field.startswith("title") else column.text_area
            values[field] = widget(label(field), value=record.get(field) or "", key=f"{key}_{field}",
                                   disabled=not editable)
        values["tags"] = _tags(page, key, form_choices, list(record.get("tags") or []))
        values.update(_rights_fields(page, key, form_choices, record))
        values["usage_terms"] = st.text_area(label("usage_terms"), value=record.get("usage_terms") or "",
                                             key=f"{key}_terms", height=68, disabled=not editable)
        values["rights_expires_on"] = st.date_input(
            label("rights_expires_on"), value=record.get("rights_expires_on"), key=f"{key}_expires",
            format=i18n.date_input_format(page.lang), disabled=not editable)
        saved = st.form_submit_button(page.t("common.save"), type="primary", icon=":material/save:",
                                      disabled=not editable)
    return _changes(record, values) if saved else None


def _changes(record: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """Only what differs from the record, so unchanged fields keep their source."""
    changes = {}
    for field, value in values.items():
        before = record.get(field)
        if field == "tags":
            if list(value) != list(before or []):
                changes[field] = list(value)
        elif (value or None) != (before or None):
            changes[field] = value if value not in ("",) else None
    return changes


def bulk_metadata_form(page: "Page", key: str) -> dict[str, Any] | None:
    """Fields to set on every selected asset; empty ones are left as they are."""
    form_choices = choices(page)
    with st.form(key, border=False):
        st.caption(page.t("bulk.edit_hint"))
        values = _rights_fields(page, key, form_choices, {})
        tags = _tags(page, key, form_choices, [])
        submitted = st.form_submit_button(page.t("bulk.apply"), icon=":material/edit_note:")
    if not submitted:
        return None
    changes: dict[str, Any] = {k: v.strip() for k, v in values.items() if isinstance(v, str) and v.strip()}
    if tags:
        changes["tags"] = tags
    return changes
