"""Users (administrators): every account with its role, add one, change a role, disable, reset a password."""

import streamlit as st

from tfdb_dam.services.users import list_users
from tfdb_dam.ui import admin
from tfdb_dam.ui.bootstrap import ADMINS, start

page = start("users", roles=ADMINS)
st.title(page.t("nav.users"))
flash = st.session_state.pop("usr_flash", None)
if flash:
    st.success(flash, icon=":material/check:")

accounts = page.read(list_users)
admin.users_table(page, accounts)
left, right = st.columns(2, gap="large")
with left:
    admin.create_user_form(page)
with right:
    st.markdown(f"**{page.t('users.edit')}**")
    admin.edit_user_form(page, accounts)
