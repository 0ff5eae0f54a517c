"""AppTest fixtures: the app's cached Context pointed at this test's database, users of every role,
and ``open_page`` to run one page as one of them (AppTest starts from app.py, as Streamlit's own
guidance asks for a ``pages/`` app, then switches to the page)."""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.integration.ui_queries.factory import insert_asset, make_users
from tfdb_dam.services import users
from tfdb_dam.services.actors import Actor
from tfdb_dam.ui import bootstrap

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"


@pytest.fixture
def app_env(config, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:  # noqa: ANN001
    """Point the app's settings (read from the environment) at this test's database and data root."""
    for name in list(os.environ):
        if name.startswith("TFDB_") or name == "DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.setenv("DATABASE_URL", config.database_url)
    monkeypatch.setenv("TFDB_HOME", str(config.home))
    monkeypatch.setenv("TFDB_EMBEDDING_MODEL", config.tfdb_embedding_model)
    yield
    bootstrap.close_cached_contexts()
    st.cache_resource.clear()


@pytest.fixture(scope="session")
def password_hash() -> str:
    return users.hash_password(PASSWORD)  # bcrypt is slow on purpose: hash once per run


@pytest.fixture
def accounts(ctx, password_hash: str) -> dict[str, Actor]:  # noqa: ANN001
    """One active user per role (user name = role name), all with PASSWORD."""
    return make_users(ctx, password_hash)


@pytest.fixture
def open_page(app_env, accounts) -> Callable[..., AppTest]:  # noqa: ANN001
    def run(script: str, as_role: str | None = None, *, query: dict[str, str] | None = None,
            lang: str = "vi", timeout: float = 60) -> AppTest:
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=timeout)
        if as_role is not None:
            at.session_state["auth_user"] = as_role
        at.session_state["ui_lang"] = lang
        if script != "app.py":
            at.switch_page(script)
        for name, value in (query or {}).items():
            at.query_params[name] = value
        return at.run()

    return run


@pytest.fixture
def make_asset(ctx, accounts):  # noqa: ANN001, ANN201
    """Insert a ready photo asset (renditions in the store, indexed) owned by a role; returns its id."""

    def make(title_vi: str, title_en: str, *, owner: str = "contributor", **fields: object) -> int:
        return insert_asset(ctx, accounts[owner], title_vi, title_en, **fields)

    return make


_CARD = re.compile(r'<a class="tfdb-card" href="asset\?id=(\d+)"[^>]*>.*?<span class="tfdb-caption">(.*?)</span></a>')


def asset_cards(at: AppTest) -> list[str]:
    """Titles of the thumbnail cards on the page, in order: browsing, the grid is one HTML block
    of cards linking to their assets; selecting, each card is an image with a link."""
    titles = []
    for element in at.get("html"):
        titles += [html.unescape(caption).rsplit(" · #", 1)[0] for _id, caption in _CARD.findall(element.proto.body)]
    titles += [img.captions[0].rsplit(" · #", 1)[0] for img in at.get("image")
               if img.proto.link.startswith("asset?id=")]
    return titles
