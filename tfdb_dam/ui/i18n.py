"""The interface language: message lookup (vi default, en one click away), dates and numbers.

Messages live in ``tfdb_dam.ui.messages`` as (Vietnamese, English) pairs; pages never hold a
user-facing literal, they call ``t(key)`` with keys like ``nav.library``. Dates are shown in the province's time zone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import streamlit as st

from tfdb_dam.ui.messages import MESSAGES

LANGUAGES = ("vi", "en")
LANGUAGE_KEY = "ui_lang"
# Staff and visitors read times as the office's wall clock in Huế (UTC+7, no DST).
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def current_language(default: str = "vi") -> str:
    lang = st.session_state.get(LANGUAGE_KEY)
    return lang if lang in LANGUAGES else default


def set_language(lang: str) -> None:
    if lang in LANGUAGES:
        st.session_state[LANGUAGE_KEY] = lang


def t(key: str, lang: str | None = None, **values: Any) -> str:
    """The message ``key`` in ``lang`` (the session's language by default), formatted."""
    pair = MESSAGES.get(key)
    if pair is None:
        raise KeyError(f"No interface message {key!r}; add it to tfdb_dam/ui/messages.py.")
    text = pair[LANGUAGES.index(lang or current_language())]
    return text.format(**values) if values else text


def pick(vi: str | None, en: str | None, lang: str | None = None) -> str:
    """A bilingual value in the reader's language, falling back to the other one."""
    first, second = (vi, en) if (lang or current_language()) == "vi" else (en, vi)
    return (first or second or "").strip()


def fmt_datetime(value: dt.datetime | None, lang: str | None = None) -> str:
    if value is None:
        return "—"
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    local = value.astimezone(LOCAL_TZ)
    if (lang or current_language()) == "vi":
        return local.strftime("%d/%m/%Y %H:%M")
    return f"{local.day} {_EN_MONTHS[local.month - 1]} {local.year}, {local:%H:%M}"


def fmt_date(value: dt.date | dt.datetime | None, lang: str | None = None) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        value = (value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)).astimezone(LOCAL_TZ).date()
    if (lang or current_language()) == "vi":
        return value.strftime("%d/%m/%Y")
    return f"{value.day} {_EN_MONTHS[value.month - 1]} {value.year}"


def date_input_format(lang: str | None = None) -> str:
    """The format string st.date_input understands, matching ``fmt_date``."""
    return "DD/MM/YYYY" if (lang or current_language()) == "vi" else "YYYY-MM-DD"


def fmt_number(value: int | float, lang: str | None = None) -> str:
    text = f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"
    if (lang or current_language()) == "vi":
        # Vietnamese groups thousands with dots and uses a decimal comma.
        return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def fmt_bytes(size: int | None, lang: str | None = None) -> str:
    if size is None:
        return "—"
    value, unit = float(size), "B"
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            break
        value /= 1024
    return f"{fmt_number(int(value) if unit == 'B' else round(value, 1), lang)} {unit}"
