"""The account page's forms: change password (current + new twice; Enter submits), sign out."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from tfdb_dam.ui import auth

if TYPE_CHECKING:
    from tfdb_dam.ui.bootstrap import Page


def password_form(page: "Page") -> tuple[str, str] | None:
    """(current, new) once the form is submitted with matching new passwords; None otherwise."""
    with st.form("acc_password", clear_on_submit=True, enter_to_submit=True):
        st.subheader(page.t("account.change_password"))
        current = st.text_input(page.t("account.current"), type="password", key="acc_current",
                                autocomplete="current-password")
        new = st.text_input(page.t("account.new"), type="password", key="acc_new", autocomplete="new-password",
                            help=page.t("users.password_help"))
        again = st.text_input(page.t("account.again"), type="password", key="acc_again",
                              autocomplete="new-password")
        submitted = st.form_submit_button(page.t("account.change"), type="primary", icon=":material/key:")
    if not submitted:
        return None
    if new != again:
        st.error(page.t("account.mismatch"), icon=":material/error:")
        return None
    return current, new


def sign_out_button(page: "Page") -> None:
    st.button(page.t("sidebar.sign_out"), icon=":material/logout:", key="acc_sign_out", on_click=auth.sign_out)
