"""Account: who I am, change my password, my notifications (mark them read), sign out."""

import streamlit as st

from tfdb_dam.services import auth, notify
from tfdb_dam.ui import account, widgets
from tfdb_dam.ui import auth as signed_in
from tfdb_dam.ui.bootstrap import SIGNED_IN, start

page = start("account", roles=SIGNED_IN)
st.title(page.t("nav.account"))
st.markdown(page.t("account.who", user=page.actor.username, role=page.t(f"role.{page.actor.role.value}")))

left, right = st.columns(2, gap="large")
with left:
    change = account.password_form(page)
    if change is not None and page.attempt(auth.change_password, page.actor, *change):
        signed_in.renew(page.actor)  # this session stays signed in; the others end
        st.success(page.t("account.password_changed"), icon=":material/check:")
    account.sign_out_button(page)
with right:
    st.subheader(page.t("account.notifications"))
    if st.button(page.t("account.mark_read"), icon=":material/done_all:", key="acc_mark_read"):
        page.act(notify.mark_read, page.actor)
    widgets.notifications(page, page.read(notify.list_notifications, page.actor, limit=30))
