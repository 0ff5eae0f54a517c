"""The one place that turns a domain error (TfdbError) into what the user sees: ``st.error``.

The service's own sentence says what was wrong and what to do; it is shown after a short lead
in the reader's language naming the kind of problem. Anything that is not a TfdbError is a bug
and is left to Streamlit (which, with showErrorDetails off, shows no traceback to users).
"""

from __future__ import annotations

import streamlit as st

from tfdb_dam import errors
from tfdb_dam.ui import i18n

# Most specific first: the lead is the first class the error is an instance of.
_LEADS: tuple[tuple[type[errors.TfdbError], str], ...] = (
    (errors.AuthenticationFailed, "error.authentication"),
    (errors.PermissionDenied, "error.permission"),
    (errors.NotFound, "error.not_found"),
    (errors.ConcurrentEdit, "error.concurrent"),
    (errors.InvalidTransition, "error.transition"),
    (errors.ValidationError, "error.validation"),
    (errors.RejectedFile, "error.rejected_file"),
    (errors.StorageError, "error.storage"),
    (errors.DatabaseUnavailable, "error.database"),
    (errors.ConfigError, "error.config"),
    (errors.UsageError, "error.usage"),
)


def lead_for(exc: errors.TfdbError, lang: str | None = None) -> str:
    for cls, key in _LEADS:
        if isinstance(exc, cls):
            return i18n.t(key, lang)
    return i18n.t("error.generic", lang)


def describe(exc: errors.TfdbError, lang: str | None = None) -> str:
    """Lead and detail as one Markdown line (also used in per-file outcome tables)."""
    return f"**{lead_for(exc, lang)}** {exc}"


def show_error(exc: errors.TfdbError, lang: str | None = None) -> None:
    st.error(describe(exc, lang), icon=":material/error:")
