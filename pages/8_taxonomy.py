"""Taxonomy (administrators): categories with bilingual labels, and the thesaurus's own terms that
widen search across languages and spellings."""

import streamlit as st

from tfdb_dam.services.taxonomy import list_categories, list_terms
from tfdb_dam.ui import admin
from tfdb_dam.ui.bootstrap import ADMINS, start

page = start("taxonomy", roles=ADMINS)
st.title(page.t("nav.taxonomy"))
flash = st.session_state.pop("tax_flash", None)
if flash:
    st.success(flash, icon=":material/check:")

categories = page.read(list_categories)
terms = page.read(list_terms)
tab_categories, tab_terms = st.tabs([page.t("taxonomy.categories"), page.t("taxonomy.thesaurus")])
with tab_categories:
    admin.categories_table(page, categories)
    admin.category_form(page, categories)
with tab_terms:
    st.caption(page.t("taxonomy.thesaurus_intro"))
    admin.terms_table(page, terms, categories)
    admin.term_form(page, terms, categories)
