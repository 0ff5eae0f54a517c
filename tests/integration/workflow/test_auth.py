"""Signing in against the database: one message for every wrong pair, throttling, passwords, sessions."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from sqlalchemy import select, update

from tests.integration.workflow.factory import PASSWORD, actor
from tfdb_dam.db.models import AuditEntry, SignInAttempt, User
from tfdb_dam.errors import AuthenticationFailed, ValidationError
from tfdb_dam.services import auth, setup, users
from tfdb_dam.services.actors import SYSTEM

LIMIT = 3


def _sign_in(ctx, username: str, password: str, address: str = "10.0.0.1"):  # noqa: ANN001, ANN202
    # The caller's transaction rolls back on failure, as the app's would: attempts must survive that.
    with ctx.db.begin() as session:
        return auth.authenticate(session, username, password, address, max_failures=LIMIT)


def _fails(ctx, username: str, password: str, address: str = "10.0.0.1") -> str:  # noqa: ANN001
    with pytest.raises(AuthenticationFailed) as refused:
        _sign_in(ctx, username, password, address)
    return str(refused.value)


def test_sign_in_and_every_failure_are_recorded_with_one_message_for_unknown_and_wrong(ctx, people):
    signed_in = _sign_in(ctx, "  HOA ", PASSWORD, "192.0.2.7")
    assert (signed_in.user_id, signed_in.role, signed_in.address) == (people.contributor.id, people.contributor.role,
                                                                     "192.0.2.7")
    wrong = _fails(ctx, "hoa", "sai-mật-khẩu")
    unknown = _fails(ctx, "khong-ai-ca", PASSWORD)
    assert wrong == unknown == "Wrong user name or password; check both and try again."
    with ctx.db.begin() as session:
        attempts = session.execute(select(SignInAttempt.username, SignInAttempt.address, SignInAttempt.succeeded)
                                   .order_by(SignInAttempt.id)).all()
        entries = session.execute(select(AuditEntry.action, AuditEntry.actor, AuditEntry.address, AuditEntry.details)
                                  .order_by(AuditEntry.id)).all()
    assert attempts == [("hoa", "192.0.2.7", True), ("hoa", "10.0.0.1", False), ("khong-ai-ca", "10.0.0.1", False)]
    assert [(e.action, e.actor, e.address) for e in entries] == [
        ("auth.sign_in", "hoa", "192.0.2.7"), ("auth.sign_in_failed", None, "10.0.0.1"),
        ("auth.sign_in_failed", None, "10.0.0.1")]
    assert [e.details.get("reason") for e in entries] == [None, "wrong password", "unknown user"]


def test_failures_are_throttled_per_user_and_per_address_and_the_pause_ends(ctx, people):
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):  # one user, from everywhere
        _fails(ctx, "lan", "đoán-thử", address)
    assert _fails(ctx, "lan", PASSWORD, "10.9.9.9") == "Too many failed sign-ins; try again in 15 minutes."
    assert _sign_in(ctx, "minh", PASSWORD, "10.0.0.1").username == "minh"  # others are not paused

    for name in ("tuan", "bao", "ai-do"):  # one address, many names
        _fails(ctx, name, "đoán-thử", "203.0.113.5")
    assert _fails(ctx, "hoa", PASSWORD, "203.0.113.5").startswith("Too many failed sign-ins")
    assert _sign_in(ctx, "hoa", PASSWORD, "203.0.113.6").username == "hoa"

    with ctx.db.begin() as session:  # ten minutes pass for lan's failures, then six more
        session.execute(update(SignInAttempt).where(SignInAttempt.username == "lan")
                        .values(at=SignInAttempt.at - dt.timedelta(minutes=10)))
        throttled = session.execute(select(SignInAttempt.throttled).where(SignInAttempt.username == "lan")
                                    .order_by(SignInAttempt.id)).scalars().all()
    assert throttled == [False, False, False, True]  # the refused try is kept, and not counted
    assert _fails(ctx, "lan", PASSWORD, "10.9.9.9") == "Too many failed sign-ins; try again in 5 minutes."
    with ctx.db.begin() as session:
        session.execute(update(SignInAttempt).where(SignInAttempt.username == "lan")
                        .values(at=SignInAttempt.at - dt.timedelta(minutes=6)))
    assert _sign_in(ctx, "lan", PASSWORD, "10.9.9.9").username == "lan"


def test_a_success_starts_the_users_count_again(ctx, people):
    for _ in range(LIMIT - 1):
        _fails(ctx, "tuan", "sai", "10.1.0.1")
    _sign_in(ctx, "tuan", PASSWORD, "10.1.0.2")
    for _ in range(LIMIT - 1):
        _fails(ctx, "tuan", "sai", "10.1.0.3")
    assert _sign_in(ctx, "tuan", PASSWORD, "10.1.0.4").username == "tuan"


def test_disabled_accounts_cannot_sign_in_and_leave_the_authenticator(ctx, people):
    with ctx.db.begin() as session:
        users.set_active(session, SYSTEM, "bao", False)
    assert _fails(ctx, "bao", PASSWORD) == "This account is disabled; ask an administrator to enable it."
    with ctx.db.begin() as session:
        credentials = auth.credentials_for_authenticator(session)
    assert "bao" not in credentials["usernames"] and set(credentials["usernames"]) == {
        "quantri", "lan", "minh", "hoa", "tuan"}
    assert credentials["usernames"]["lan"]["roles"] == ["approver"]
    assert not users.check_password(PASSWORD, credentials["usernames"]["lan"]["password"])


def test_changing_a_password_ends_older_sessions_and_needs_the_current_one(ctx, people):
    setup.ensure_cookie_key(ctx.config.home)
    settings = auth.cookie_settings(ctx.config)
    before = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=1)
    old_token = auth.issue_token(settings, "hoa", now=before)
    hoa = actor(people.contributor)
    with ctx.db.begin() as session:
        assert auth.check_token(session, settings, old_token).username == "hoa"
    with pytest.raises(AuthenticationFailed, match="current password is wrong"), ctx.db.begin() as session:
        auth.change_password(session, hoa, "không-phải", "mật-khẩu-mới-dài")
    with pytest.raises(ValidationError, match="at least 10"), ctx.db.begin() as session:
        auth.change_password(session, hoa, PASSWORD, "ngắn")
    with ctx.db.begin() as session:
        auth.change_password(session, hoa, PASSWORD, "mật-khẩu-mới-dài")
    with pytest.raises(AuthenticationFailed, match="sign-in has ended"), ctx.db.begin() as session:
        auth.check_token(session, settings, old_token)
    assert _sign_in(ctx, "hoa", "mật-khẩu-mới-dài").username == "hoa"
    # The same password typed with decomposed accents (macOS input) is the same password.
    assert _sign_in(ctx, "hoa", unicodedata.normalize("NFD", "mật-khẩu-mới-dài")).username == "hoa"
    with ctx.db.begin() as session:
        assert auth.check_token(session, settings, auth.issue_token(settings, "hoa")).username == "hoa"
        assert session.get(User, people.contributor.id).password_changed_at is not None
        failed = session.execute(select(SignInAttempt.succeeded).where(SignInAttempt.username == "hoa")
                                 .order_by(SignInAttempt.id)).scalars().all()
        changes = session.execute(select(AuditEntry.action).where(AuditEntry.action == "auth.password_change")).all()
    assert failed == [False, True, True] and len(changes) == 1


def test_rotating_the_cookie_key_signs_everyone_out(ctx, people):
    setup.ensure_cookie_key(ctx.config.home)
    token = auth.issue_token(auth.cookie_settings(ctx.config), "lan")
    setup.rotate_cookie_key(ctx.config.home)
    with pytest.raises(AuthenticationFailed, match="sign-in has ended"), ctx.db.begin() as session:
        auth.check_token(session, auth.cookie_settings(ctx.config), token)
