"""The sign-in cookie (a reload or a new tab) is re-checked by services.auth.check_token on every
use: a password changed elsewhere, a disabled account, an expired or forged cookie all end the
session at once. AppTest cannot send cookies, so the one function that reads the browser's
cookie is pointed at a real token signed with this library's key."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tfdb_dam.db.models import User
from tfdb_dam.services import auth as auth_service
from tfdb_dam.services import users
from tfdb_dam.services.setup import ensure_cookie_key
from tfdb_dam.ui import auth as ui_auth

HOME_PUBLIC = "Kho tư liệu thông tin đối ngoại"


@pytest.fixture
def cookie_jar(config, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN001, ANN201
    """Set the cookie the "browser" sends; records every check_token call."""
    ensure_cookie_key(config.home)
    settings = auth_service.cookie_settings(config)
    jar: dict[str, str] = {}
    checked: list[str] = []
    real_check = auth_service.check_token

    def spy(session, cookie_settings, token, address=None):  # noqa: ANN001, ANN202
        checked.append(token)
        return real_check(session, cookie_settings, token, address)

    monkeypatch.setattr(ui_auth, "browser_cookie", lambda name: jar.get(name))
    monkeypatch.setattr(auth_service, "check_token", spy)

    class Jar:
        calls = checked

        @staticmethod
        def sign(username: str, minutes_ago: float = 5, key: str | None = None) -> str:
            now = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=minutes_ago)
            use = settings if key is None else auth_service.CookieSettings(settings.name, key, settings.expiry_days,
                                                                          settings.hours)
            jar[settings.name] = auth_service.issue_token(use, username, now)
            return jar[settings.name]

    return Jar


def _ended(at) -> bool:  # noqa: ANN001
    return (at.title[0].value == HOME_PUBLIC and "auth_user" not in at.session_state
            and any("Phiên đăng nhập đã kết thúc." in w.value for w in at.warning))


def test_cookie_signs_a_new_tab_in_through_check_token(open_page, cookie_jar):
    token = cookie_jar.sign("approver")
    at = open_page("app.py")
    assert not at.exception, at.exception
    assert at.title[0].value == "Xin chào, approver"
    assert cookie_jar.calls == [token]


def test_password_changed_elsewhere_ends_cookie_sessions(open_page, cookie_jar, ctx):
    cookie_jar.sign("approver")
    open_tab = open_page("app.py")
    assert open_tab.title[0].value == "Xin chào, approver"
    with ctx.db.begin() as session:
        user = session.execute(select(User).where(User.username == "approver")).scalar_one()
        users.store_password(session, user, "một mật khẩu mới hoàn toàn")
    # A new tab (or a reload) with the old cookie is refused...
    assert _ended(open_page("app.py"))
    # ...and so is the tab that signed in with it, on its next run.
    assert _ended(open_tab.run())


def test_disabled_account_cookie_is_refused(open_page, cookie_jar, ctx):
    cookie_jar.sign("viewer")
    with ctx.db.begin() as session:
        session.execute(select(User).where(User.username == "viewer")).scalar_one().is_active = False
    assert _ended(open_page("app.py"))
    assert len(cookie_jar.calls) == 1


@pytest.mark.parametrize("minutes_ago, key", [(25 * 60, None), (5, "a key that is not this library's")])
def test_expired_or_forged_cookie_is_refused(open_page, cookie_jar, minutes_ago, key):
    cookie_jar.sign("admin", minutes_ago=minutes_ago, key=key)
    at = open_page("pages/7_users.py")
    assert not at.exception, at.exception
    assert "auth_user" not in at.session_state
    assert at.warning[0].value.startswith("Trang này dành cho người đã đăng nhập.")
