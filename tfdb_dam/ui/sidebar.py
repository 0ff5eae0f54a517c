"""The sidebar every page shares: brand, translated navigation filtered by role, language, account."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from tfdb_dam.ui import auth, i18n, theme
from tfdb_dam.ui.roles import ADMINS, APPROVERS, EVERYONE, SIGNED_IN, STAFF

if TYPE_CHECKING:
    from tfdb_dam.ui.bootstrap import Page

# (page name, script, icon, who sees the link). Page names double as message keys nav.<name>.
NAVIGATION: tuple[tuple[str, str, str, frozenset], ...] = (
    ("home", "app.py", ":material/home:", EVERYONE),
    ("gallery", "pages/1_gallery.py", ":material/public:", EVERYONE),
    ("library", "pages/2_library.py", ":material/photo_library:", SIGNED_IN),
    ("upload", "pages/3_upload.py", ":material/upload:", STAFF),
    ("review", "pages/4_review.py", ":material/fact_check:", APPROVERS),
    ("collections", "pages/5_collections.py", ":material/collections_bookmark:", SIGNED_IN),
    ("dashboard", "pages/6_dashboard.py", ":material/monitoring:", STAFF),
    ("users", "pages/7_users.py", ":material/group:", ADMINS),
    ("taxonomy", "pages/8_taxonomy.py", ":material/category:", ADMINS),
    ("system", "pages/9_system.py", ":material/settings:", ADMINS),
    ("audit", "pages/10_audit.py", ":material/receipt_long:", ADMINS),
    ("account", "pages/11_account.py", ":material/account_circle:", SIGNED_IN),
)
ASSET_PAGE = "pages/12_asset.py"


def script_of(name: str) -> str:
    return next(script for page, script, _icon, _roles in NAVIGATION if page == name)


def render(page: "Page", current: str) -> None:
    with st.sidebar:
        theme.brand(page.t("app.tagline"))
        for name, script, icon, roles in NAVIGATION:
            if page.actor.role in roles:
                st.page_link(script, label=page.t(f"nav.{name}"), icon=icon, disabled=name == current)
        st.divider()
        _language_switch(page)
        _account_box(page)


def _language_switch(page: "Page") -> None:
    st.segmented_control(
        page.t("sidebar.language"), options=list(i18n.LANGUAGES), default=page.lang,
        format_func=lambda code: i18n.t(f"language.{code}", page.lang), key="sidebar_lang",
        on_change=_language_changed, selection_mode="single", required=True)


def _language_changed() -> None:
    i18n.set_language(st.session_state.get("sidebar_lang") or "vi")


def _account_box(page: "Page") -> None:
    if page.actor.role is None:
        st.page_link("app.py", label=page.t("sidebar.sign_in"), icon=":material/login:")
        return
    st.caption(page.t("sidebar.signed_in_as", user=page.actor.username,
                      role=page.t(f"role.{page.actor.role.value}")))
    st.button(page.t("sidebar.sign_out"), icon=":material/logout:", key="sidebar_sign_out",
              on_click=auth.sign_out, width="stretch")
