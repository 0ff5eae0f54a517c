"""The one place that turns a domain error (TfdbError) into what the user sees: ``st.error``.

The service's own sentence says what was wrong and what to do; it is shown, in the reader's
language (the error's catalogue key, tfdb_dam/messages), after a short lead naming the kind of
problem. Reasons that arrive as stored English sentences (per-file and per-asset outcomes) are
recognised against the same catalogue by ``localized_reason``. Anything that is not a TfdbError is a bug
and is left to Streamlit (which, with showErrorDetails off, shows no traceback to users).
"""

from __future__ import annotations

import streamlit as st

from tfdb_dam import errors
from tfdb_dam.messages import localize_sentence
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
    return f"**{lead_for(exc, lang)}** {exc.localized(lang or i18n.current_language())}"


def localized_reason(reason: str | None, lang: str | None = None) -> str:
    """An outcome's English reason (``str(error)``, perhaps kept in the database by a worker) in the
    reader's language; a sentence the catalogue does not know is shown as it is."""
    return localize_sentence(reason, lang or i18n.current_language()) if reason else ""


def show_error(exc: errors.TfdbError, lang: str | None = None) -> None:
    st.error(describe(exc, lang), icon=":material/error:")
