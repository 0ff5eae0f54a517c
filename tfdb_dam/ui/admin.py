"""Administration screens' widgets: users, categories, thesaurus terms (forms that call one service)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from tfdb_dam.db.models import Role
from tfdb_dam.services import taxonomy, ui_admin, users
from tfdb_dam.ui import i18n

if TYPE_CHECKING:
    from tfdb_dam.ui.bootstrap import Page

ROLES = [r.value for r in Role]


def users_table(page: "Page", rows: list[Any]) -> None:
    frame = pd.DataFrame([{
        page.t("users.username"): u.username, page.t("users.display_name"): u.display_name,
        page.t("users.role"): page.t(f"role.{u.role.value}"),
        page.t("users.active"): page.t("common.yes") if u.is_active else page.t("common.no"),
        page.t("field.source_unit"): u.source_unit or "", page.t("users.email"): u.email or "",
        page.t("users.created"): i18n.fmt_date(u.created_at, page.lang)} for u in rows])
    st.dataframe(frame, hide_index=True, width="stretch")


def create_user_form(page: "Page") -> None:
    created = st.session_state.pop("usr_created", None)
    if created:
        _show_password(page, *created)
    with st.form("usr_create", clear_on_submit=True):
        st.markdown(f"**{page.t('users.new')}**")
        left, right = st.columns(2)
        values = {"username": left.text_input(page.t("users.username"), key="usr_new_name"),
                  "display_name": right.text_input(page.t("users.display_name"), key="usr_new_display"),
                  "email": left.text_input(page.t("users.email"), key="usr_new_email"),
                  "source_unit": right.text_input(page.t("field.source_unit"), key="usr_new_unit"),
                  "role": left.selectbox(page.t("users.role"), ROLES, index=ROLES.index("contributor"),
                                         format_func=lambda r: page.t(f"role.{r}"), key="usr_new_role")}
        password = right.text_input(page.t("users.password"), type="password", key="usr_new_password",
                                    help=page.t("users.password_help"))
        if st.form_submit_button(page.t("users.create"), type="primary", icon=":material/person_add:"):
            chosen = password or users.generate_password()
            if page.act(users.create_user, page.actor, password=chosen, **values) is not None:
                # Shown after the rerun that lists the new account, once.
                st.session_state["usr_created"] = (values["username"], chosen if not password else None)
                st.rerun()


def _show_password(page: "Page", username: str, generated: str | None) -> None:
    st.success(page.t("users.created_ok", user=username), icon=":material/check:")
    if generated:
        st.code(generated, language=None)
        st.caption(page.t("users.password_once"))


def edit_user_form(page: "Page", rows: list[Any]) -> None:
    if not rows:
        return
    names = [u.username for u in rows]
    chosen = st.selectbox(page.t("users.pick"), names, key="usr_edit_pick")
    user = next(u for u in rows if u.username == chosen)
    with st.form(f"usr_edit_{chosen}"):
        role = st.selectbox(page.t("users.role"), ROLES, index=ROLES.index(user.role.value),
                            format_func=lambda r: page.t(f"role.{r}"))
        active = st.toggle(page.t("users.active"), value=user.is_active)
        if st.form_submit_button(page.t("common.save"), icon=":material/save:"):
            if page.attempt(ui_admin.update_user, page.actor, chosen, role=role, active=active):
                st.session_state["usr_flash"] = page.t("users.saved", user=chosen)
                st.rerun()
    if st.button(page.t("users.reset_password"), icon=":material/key:", key=f"usr_reset_{chosen}"):
        new_password = page.act(users.reset_password, page.actor, chosen)
        if new_password is not None:
            st.code(new_password, language=None)
            st.caption(page.t("users.password_once"))


def categories_table(page: "Page", rows: list[Any]) -> None:
    by_id = {c.id: c for c in rows}
    frame = pd.DataFrame([{
        "#": c.id, page.t("taxonomy.slug"): c.slug, page.t("taxonomy.label_vi"): c.label_vi,
        page.t("taxonomy.label_en"): c.label_en,
        page.t("taxonomy.parent"): by_id[c.parent_id].slug if c.parent_id in by_id else "",
        page.t("taxonomy.order"): c.sort_order} for c in rows])
    st.dataframe(frame, hide_index=True, width="stretch")


def category_form(page: "Page", rows: list[Any]) -> None:
    """One form for both: pick "new" to create, or a category to edit (the slug never changes)."""
    options = [None] + [c.id for c in rows]
    labels = {c.id: f"{c.slug} — {i18n.pick(c.label_vi, c.label_en, page.lang)}" for c in rows}
    chosen = st.selectbox(page.t("taxonomy.pick"), options, key="tax_pick",
                          format_func=lambda cid: page.t("taxonomy.new") if cid is None else labels[cid])
    current = next((c for c in rows if c.id == chosen), None)
    with st.form(f"tax_form_{chosen}"):
        slug = st.text_input(page.t("taxonomy.slug"), value=current.slug if current else "",
                             disabled=current is not None, help=page.t("taxonomy.slug_help"))
        left, right = st.columns(2)
        label_vi = left.text_input(page.t("taxonomy.label_vi"), value=current.label_vi if current else "")
        label_en = right.text_input(page.t("taxonomy.label_en"), value=current.label_en if current else "")
        parents = [None] + [c.id for c in rows if c.id != chosen]
        parent = left.selectbox(page.t("taxonomy.parent"), parents,
                                index=parents.index(current.parent_id) if current and current.parent_id in parents else 0,
                                format_func=lambda cid: "—" if cid is None else labels[cid])
        order = right.number_input(page.t("taxonomy.order"), value=current.sort_order if current else 0, step=1)
        if st.form_submit_button(page.t("common.save"), type="primary", icon=":material/save:"):
            _save_category(page, current, slug, label_vi, label_en, parent, int(order))
    if current is not None and st.button(page.t("common.delete"), icon=":material/delete:", key="tax_delete"):
        if page.attempt(taxonomy.delete_category, page.actor, current.id):
            st.session_state.pop("tax_pick", None)
            st.session_state["tax_flash"] = page.t("taxonomy.deleted")
            st.rerun()


def _save_category(page: "Page", current: Any, slug: str, label_vi: str, label_en: str, parent: int | None,
                   order: int) -> None:
    if current is None:
        done = page.act(taxonomy.create_category, page.actor, slug=slug, label_vi=label_vi, label_en=label_en,
                        parent_id=parent, sort_order=order)
    else:
        done = page.act(taxonomy.update_category, page.actor, current.id, label_vi=label_vi, label_en=label_en,
                        parent_id=parent, clear_parent=parent is None, sort_order=order)
    if done is not None:
        st.session_state["tax_flash"] = page.t("taxonomy.saved")
        st.rerun()


def terms_table(page: "Page", terms: list[Any], categories: list[Any]) -> None:
    slugs = {c.id: c.slug for c in categories}
    frame = pd.DataFrame([{"#": t.id, page.t("taxonomy.terms_vi"): " | ".join(t.terms_vi),
                           page.t("taxonomy.terms_en"): " | ".join(t.terms_en),
                           page.t("field.category"): slugs.get(t.category_id, "")} for t in terms])
    st.dataframe(frame, hide_index=True, width="stretch", height=min(38 + 35 * max(len(terms), 1), 420))


def term_form(page: "Page", terms: list[Any], categories: list[Any]) -> None:
    options = [None] + [t.id for t in terms]
    labels = {t.id: f"#{t.id} {', '.join(t.terms_vi[:2])} / {', '.join(t.terms_en[:2])}" for t in terms}
    chosen = st.selectbox(page.t("taxonomy.pick_term"), options, key="term_pick",
                          format_func=lambda tid: page.t("taxonomy.new_term") if tid is None else labels[tid])
    current = next((t for t in terms if t.id == chosen), None)
    categories_ids = [None] + [c.id for c in categories]
    names = {c.id: i18n.pick(c.label_vi, c.label_en, page.lang) for c in categories}
    with st.form(f"term_form_{chosen}"):
        terms_vi = st.text_input(page.t("taxonomy.terms_vi"), value=" | ".join(current.terms_vi) if current else "",
                                 help=page.t("taxonomy.terms_help"))
        terms_en = st.text_input(page.t("taxonomy.terms_en"), value=" | ".join(current.terms_en) if current else "",
                                 help=page.t("taxonomy.terms_help"))
        category = st.selectbox(page.t("field.category"), categories_ids,
                                index=categories_ids.index(current.category_id) if current else 0,
                                format_func=lambda cid: "—" if cid is None else names[cid])
        if st.form_submit_button(page.t("common.save"), type="primary", icon=":material/save:"):
            if current is None:
                done = page.act(taxonomy.create_term, page.actor, terms_vi=terms_vi, terms_en=terms_en,
                                category_id=category)
            else:
                done = page.act(taxonomy.update_term, page.actor, current.id, terms_vi=terms_vi, terms_en=terms_en,
                                category_id=category, clear_category=category is None)
            if done is not None:
                st.session_state["tax_flash"] = page.t("taxonomy.saved")
                st.rerun()
    if current is not None and st.button(page.t("common.delete"), icon=":material/delete:", key="term_delete"):
        if page.attempt(taxonomy.delete_term, page.actor, current.id):
            st.session_state.pop("term_pick", None)
            st.session_state["tax_flash"] = page.t("taxonomy.deleted")
            st.rerun()
