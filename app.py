"""Home: sign in (the public gallery stays one click away), then what is new for the signed-in user."""

import streamlit as st

from tfdb_dam.services.ui_queries import whats_new
from tfdb_dam.services.ui_settings import runtime_settings
from tfdb_dam.ui import auth, widgets
from tfdb_dam.ui.bootstrap import EVERYONE, start

page = start("home", roles=EVERYONE)
widgets.notice(page, page.read(runtime_settings))

if page.actor.role is None:
    auth.ended_notice(page.t)
    st.title(page.t("home.public_title"))
    st.caption(page.t("app.tagline"))
    left, right = st.columns([5, 4], gap="large")
    with left:
        if auth.sign_in_form(page.t, page.ctx):
            st.rerun()
    with right:
        widgets.gallery_invitation(page)
else:
    st.title(page.t("home.welcome", user=page.actor.username))
    news = page.read(whats_new, page.ctx, page.actor)
    widgets.whats_new(page, news)
