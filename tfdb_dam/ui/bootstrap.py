"""Every page's first call: page setup, the cached Context, who is signed in, language, guard, sidebar.

A page does ``page = start("library", roles=SIGNED_IN)`` and then reads widgets, calls one
service through ``page.read``/``page.act`` (one transaction per user action) and renders.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import streamlit as st

from tfdb_dam.config import Config, load_config
from tfdb_dam.db.models import Role
from tfdb_dam.errors import TfdbError
from tfdb_dam.services.actors import Actor
from tfdb_dam.services.context import Context, open_context
from tfdb_dam.ui import auth, i18n, server_tuning, sidebar, theme
from tfdb_dam.ui.errors import show_error
from tfdb_dam.ui.roles import ADMINS, APPROVERS, EVERYONE, SIGNED_IN, STAFF

T = TypeVar("T")
_OPENED: list[Context] = []


@st.cache_resource(show_spinner=False, max_entries=8)
def _context_for(settings: tuple[tuple[str, Any], ...]) -> Context:
    # Keyed by every setting, so tests (or a reconfigured server) with another database or
    # data root get their own engine instead of sharing a stale one.
    ctx = open_context(Config(dict(settings)))
    _OPENED.append(ctx)
    if ctx.config.tfdb_warm_up:
        ctx.warm_up()
    return ctx


@st.cache_resource(show_spinner=False)
def _server_tuned() -> int:
    # Once per process, with the other server fixes: the media route is found among live objects,
    # which costs more once the model is loaded, so not on some later page's first grid.
    return server_tuning.disable_nagle() + server_tuning.cache_media_images()


def cached_context() -> Context:
    config = load_config()
    return _context_for(tuple(sorted(config.values.items())))


@dataclass(frozen=True)
class Page:
    """What a page works with during one run: the process's Context and this session's actor."""

    ctx: Context
    actor: Actor
    lang: str

    def t(self, key: str, **values: Any) -> str:
        return i18n.t(key, self.lang, **values)

    def read(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn(session, *args)`` in one transaction; on a domain error show it and stop the page."""
        try:
            with self.ctx.db.begin() as session:
                return fn(session, *args, **kwargs)
        except TfdbError as exc:
            show_error(exc, self.lang)
            st.stop()
            raise  # st.stop raises; this line only satisfies type checkers

    def act(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """Run a user action ``fn(session, *args)`` in one transaction; on a domain error show it."""
        try:
            with self.ctx.db.begin() as session:
                return fn(session, *args, **kwargs)
        except TfdbError as exc:
            show_error(exc, self.lang)
            return None

    def attempt(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
        """Like ``act`` for services that return nothing: True when it succeeded."""
        try:
            with self.ctx.db.begin() as session:
                fn(session, *args, **kwargs)
        except TfdbError as exc:
            show_error(exc, self.lang)
            return False
        return True

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """Run a service that manages its own transactions (ingest, jobs); show a domain error."""
        try:
            return fn(*args, **kwargs)
        except TfdbError as exc:
            show_error(exc, self.lang)
            return None


def start(name: str, *, roles: frozenset[Role | None] = SIGNED_IN) -> Page:
    """Set the page up and refuse an actor whose role may not use it (nothing else is rendered)."""
    ctx = cached_context()
    _server_tuned()
    lang = i18n.current_language(ctx.config.tfdb_language)
    st.set_page_config(page_title=f"{i18n.t(f'nav.{name}', lang)} · TFDB DAM", page_icon="🏛️",
                       layout="wide", initial_sidebar_state="expanded")
    theme.apply({"button": i18n.t("upload.choose_files", lang), "enter": i18n.t("form.press_enter", lang),
                 "hint": i18n.t("upload.dropzone", lang, mb=ctx.config.tfdb_app_max_upload_mb)},
                {status: i18n.t(f"status.{status}", lang) for status in theme.STATUSES})
    if st.session_state.get(auth.GO_HOME_KEY) and name != "home":
        st.switch_page("app.py")  # after signing out; the home page's run deletes the cookie
    st.session_state.pop(auth.GO_HOME_KEY, None)
    actor = auth.current_actor(ctx)
    lang = i18n.current_language(ctx.config.tfdb_language)
    if auth.cookie_change_pending():
        _wait_for_cookie(lang)
    page = Page(ctx, actor, lang)
    sidebar.render(page, name)
    if actor.role not in roles:
        _refuse(page)
    return page


def _wait_for_cookie(lang: str) -> None:
    # While the browser writes the sign-in cookie its component reruns the page twice; drawing
    # image grids meanwhile lets an interrupted run drop thumbnails the browser is still
    # fetching. So this moment shows only a short notice; the confirmation reruns the page.
    pending = auth.cookie_change_pending()
    st.info(i18n.t(f"signin.pending_{pending}", lang), icon=":material/hourglass_top:")
    st.button(i18n.t("signin.continue", lang), on_click=auth.skip_cookie_change, key="auth_continue",
              type="tertiary")
    st.stop()


def _refuse(page: Page) -> None:
    if page.actor.role is None:
        st.warning(page.t("guard.sign_in_first"), icon=":material/lock:")
        st.page_link("app.py", label=page.t("guard.go_sign_in"), icon=":material/login:")
    else:
        st.error(page.t("guard.role_refused", role=page.t(f"role.{page.actor.role.value}")),
                 icon=":material/block:")
    st.stop()


def session_run(ctx: Context, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn(session, *args)`` in its own transaction, for callbacks and fragments (errors propagate)."""
    with ctx.db.begin() as session:
        return fn(session, *args, **kwargs)


__all__ = ["ADMINS", "APPROVERS", "EVERYONE", "Page", "SIGNED_IN", "STAFF", "cached_context",
           "close_cached_contexts", "session_run", "start"]


def close_cached_contexts() -> None:
    """Dispose the engines of every cached Context (tests and shutdown); the cache is then cleared."""
    for ctx in list(_OPENED):
        ctx.close()
    _OPENED.clear()
    _context_for.clear()
