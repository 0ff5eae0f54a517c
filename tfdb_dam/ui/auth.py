"""Sign-in state of a browser session, wired to streamlit-authenticator's re-authentication cookie.

The password check and throttling belong to ``services.auth.authenticate`` (the one gate, which
counts failures per user and address). streamlit-authenticator only writes and deletes the signed
cookie that lets a reload or a new tab stay signed in (its own login form is never shown: it
counts no failures). Every run re-checks the session against the database
(``services.auth.check_session`` / ``check_token``): a disabled account or a password changed
elsewhere ends it at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import jwt
import streamlit as st
import streamlit_authenticator as stauth

from tfdb_dam.errors import AuthenticationFailed, TfdbError
from tfdb_dam.services import auth as auth_service
from tfdb_dam.services.actors import PUBLIC, Actor
from tfdb_dam.services.context import Context
from tfdb_dam.services.setup import ensure_cookie_key
from tfdb_dam.ui import i18n
from tfdb_dam.ui.errors import show_error

USER_KEY = "auth_user"          # the signed-in user name
SINCE_KEY = "auth_since"        # when this session signed in (UTC)
_OUT_KEY = "auth_signed_out"    # signed out here: ignore the (stale) cookie the browser sent
_PENDING_KEY = "auth_pending"   # "set" or "delete": a cookie change to send with this run
_ENDED_KEY = "auth_ended"       # the reason a session was ended, shown once
GO_HOME_KEY = "auth_go_home"    # signed out by the user: show the home page next


def _settings(ctx: Context) -> auth_service.CookieSettings:
    ensure_cookie_key(ctx.config.home)
    return auth_service.cookie_settings(ctx.config)


def _authenticator(settings: auth_service.CookieSettings) -> stauth.Authenticate:
    # It renders the cookie component when built. Its credentials stay empty: users live in the
    # database, and its own login is never used (the cookie is read from st.context.cookies).
    return stauth.Authenticate({"usernames": {}}, cookie_name=settings.name, cookie_key=settings.key,
                               cookie_expiry_days=settings.expiry_days, auto_hash=False)


def client_address() -> str:
    try:
        address = st.context.ip_address
    except (AttributeError, RuntimeError):
        return "unknown"
    # Only a real address string counts (headless test runners hand back placeholders).
    return address if isinstance(address, str) and address else "unknown"


def _remember(actor: Actor, since: dt.datetime, *, set_cookie: bool) -> None:
    st.session_state[USER_KEY] = actor.username
    st.session_state[SINCE_KEY] = since
    st.session_state["username"] = actor.username  # what the authenticator's cookie encodes
    st.session_state.pop(_OUT_KEY, None)
    if set_cookie:
        st.session_state[_PENDING_KEY] = "set"


def sign_in(ctx: Context, username: str, password: str) -> Actor:
    """Check the password through the service gate; remember the user for this browser."""
    with ctx.db.begin() as session:
        actor = auth_service.authenticate(session, username, password, client_address())
    _remember(actor, dt.datetime.now(dt.timezone.utc), set_cookie=True)
    return actor


def renew(actor: Actor) -> None:
    """After this session changed the password: it stays signed in, with a fresh cookie."""
    _remember(actor, dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=2), set_cookie=True)


def sign_out() -> None:
    """The user signs out here: forget them, delete the cookie, show the home page."""
    _forget()
    st.session_state[_PENDING_KEY] = "delete"
    st.session_state[GO_HOME_KEY] = True


def _forget() -> None:
    for key in (USER_KEY, SINCE_KEY):
        st.session_state.pop(key, None)
    st.session_state[_OUT_KEY] = True


def current_actor(ctx: Context) -> Actor:
    """Who this browser session acts as, re-checked against the database on every run."""
    settings = _settings(ctx)
    if st.session_state.get(_PENDING_KEY):
        # Built only when the cookie changes: its cookie component costs a frame and a rerun.
        _flush_cookie_change(_authenticator(settings))
    try:
        with ctx.db.begin() as session:
            return _check(session, settings)
    except AuthenticationFailed as exc:
        # Ended by the server (disabled, password changed, expired): check_token refuses the
        # cookie the same way on its next use, so it need not be deleted here.
        _forget()
        st.session_state[_ENDED_KEY] = exc.message  # shown later in the reader's language
        return PUBLIC


def _check(session, settings: auth_service.CookieSettings) -> Actor:  # noqa: ANN001
    username = st.session_state.get(USER_KEY)
    if username:
        since = st.session_state.get(SINCE_KEY) or dt.datetime.now(dt.timezone.utc)
        return auth_service.check_session(session, username, since, client_address())
    token = None if st.session_state.get(_OUT_KEY) else browser_cookie(settings.name)
    if not token:
        return PUBLIC
    actor = auth_service.check_token(session, settings, token, client_address())
    _remember(actor, _issued_at(settings, token), set_cookie=False)
    return actor


def browser_cookie(name: str) -> str | None:
    """The cookie the browser sent when this session connected (AppTest cannot send any)."""
    return st.context.cookies.get(name)


def _issued_at(settings: auth_service.CookieSettings, token: str) -> dt.datetime:
    expires = float(jwt.decode(token, settings.key, algorithms=["HS256"])["exp_date"])
    return dt.datetime.fromtimestamp(expires, dt.timezone.utc) - dt.timedelta(hours=settings.hours)


def _flush_cookie_change(authenticator: stauth.Authenticate) -> None:
    # The cookie component acts only while it is drawn, and only once its frame has loaded, so
    # a change is drawn on every run until the browser confirms it: the authenticator's
    # component (keyed "set" / "delete") reports True once it has written the cookie.
    pending = st.session_state.get(_PENDING_KEY)
    if pending == "set":
        st.session_state["logout"] = False
        authenticator.cookie_controller.set_cookie()
    elif pending == "delete":
        authenticator.authentication_controller.logout()
        authenticator.cookie_controller.delete_cookie()
    else:
        return
    if st.session_state.get(pending) is True:
        st.session_state.pop(_PENDING_KEY, None)


def cookie_change_pending() -> str | None:
    """"set" or "delete" while the browser has not yet confirmed the sign-in cookie change."""
    return st.session_state.get(_PENDING_KEY)


def skip_cookie_change() -> None:
    """Go on without the cookie (this tab stays signed in or out; a reload may not)."""
    st.session_state.pop(_PENDING_KEY, None)


def ended_notice(tr: Callable[..., str]) -> None:
    """Say once why a session was signed out (disabled, password changed elsewhere, expired)."""
    reason = st.session_state.pop(_ENDED_KEY, None)
    if reason:
        text = reason.text(i18n.current_language())
        st.warning(f"**{tr('signin.ended')}** {text}", icon=":material/logout:")


def sign_in_form(tr: Callable[..., str], ctx: Context) -> bool:
    """The sign-in form (Enter submits); True once the user is signed in."""
    with st.form("sign_in", border=True, enter_to_submit=True):
        st.subheader(tr("signin.title"))
        username = st.text_input(tr("signin.username"), key="signin_username", autocomplete="username")
        password = st.text_input(tr("signin.password"), type="password", key="signin_password",
                                 autocomplete="current-password")
        submitted = st.form_submit_button(tr("signin.submit"), type="primary", icon=":material/login:",
                                          width="stretch")
    if not submitted:
        return False
    if not username.strip() or not password:
        st.warning(tr("signin.missing"))
        return False
    try:
        sign_in(ctx, username.strip().lower(), password)
    except TfdbError as exc:
        show_error(exc)
        return False
    return True
