"""Every interface message exists in Vietnamese and English, placeholders agree, and pages hold no
user-facing literal: they call t("key") with keys that exist."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from tfdb_dam.ui.messages import MESSAGES

REPO = Path(__file__).resolve().parents[2]
PAGES = [REPO / "app.py", *sorted((REPO / "pages").glob("*.py"))]
UI_MODULES = sorted((REPO / "tfdb_dam" / "ui").glob("*.py"))


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_both_languages_with_the_same_placeholders(key):
    vi, en = MESSAGES[key]
    assert vi.strip() and en.strip(), f"{key} lacks a language"
    assert _fields(vi) == _fields(en), f"{key}: placeholders differ between vi and en"


def _literals(path: Path) -> list[tuple[int, str]]:
    """String constants that would reach a user: any with a letter outside keys and identifiers."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
                  and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            text = node.value
            # keys ("library.title"), widget keys ("lib_page"), paths, icons and punctuation glue
            # (" · ") pass; words (letters with spaces, or any non-ASCII letter) do not
            has_letter = any(ch.isalpha() for ch in text)
            wordy = re.search(r"\s", text.strip()) or any(ch.isalpha() and not ch.isascii() for ch in text)
            if has_letter and wordy:
                found.append((node.lineno, text))
    return found


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_pages_hold_no_user_facing_literal(path):
    assert _literals(path) == []


def _used_keys(path: Path) -> set[str]:
    source = path.read_text(encoding="utf-8")
    return set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_]+)["']""", source))


@pytest.mark.parametrize("path", PAGES + UI_MODULES, ids=lambda p: p.name)
def test_every_key_used_exists(path):
    missing = sorted(k for k in _used_keys(path) if k not in MESSAGES)
    assert missing == []


def test_vietnamese_is_the_default_and_dates_follow_the_language():
    import datetime as dt

    from tfdb_dam.ui import i18n

    moment = dt.datetime(2024, 3, 5, 7, 30, tzinfo=dt.timezone.utc)  # 14:30 in Huế
    assert i18n.fmt_datetime(moment, "vi") == "05/03/2024 14:30"
    assert i18n.fmt_datetime(moment, "en") == "5 Mar 2024, 14:30"
    assert i18n.fmt_number(10000, "vi") == "10.000" and i18n.fmt_number(10000, "en") == "10,000"
    assert i18n.t("nav.library", "vi") == "Kho tư liệu" and i18n.t("nav.library", "en") == "Library"
    assert i18n.current_language() == "vi"
