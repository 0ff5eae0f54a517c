"""Home page: the sign-in form goes through the real password gate (with throttling); signed-in
users see what is new; signing out returns to the public view."""

from __future__ import annotations

from sqlalchemy import select

from tests.ui.conftest import PASSWORD, asset_cards
from tfdb_dam.db.models import SignInAttempt, User


def test_public_sees_sign_in_and_gallery_link(open_page):
    at = open_page("app.py")
    assert not at.exception
    assert [t.value for t in at.title] == ["Kho tư liệu thông tin đối ngoại"]
    assert len(at.text_input) == 2
    assert any(link.proto.page == "gallery" for link in at.get("page_link"))


def test_english_is_one_click_away(open_page):
    at = open_page("app.py")
    at.segmented_control(key="sidebar_lang").set_value("en").run()
    assert at.title[0].value == "Foreign-information asset library"
    assert at.subheader[0].value == "Sign in"


def test_sign_in_with_the_form_then_out(open_page, ctx):
    at = open_page("app.py")
    at.text_input(key="signin_username").input("approver")
    at.text_input(key="signin_password").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception, at.exception
    # The browser would now confirm the sign-in cookie; AppTest has no browser, so go on.
    assert at.info[0].value == "Đang đăng nhập…" and not at.title
    at.button(key="auth_continue").click().run()
    assert at.title[0].value == "Xin chào, approver"
    assert at.session_state["auth_user"] == "approver"
    at.button(key="sidebar_sign_out").click().run()
    assert at.info[0].value == "Đang đăng xuất…"
    at.button(key="auth_continue").click().run()
    assert at.title[0].value == "Kho tư liệu thông tin đối ngoại"
    with ctx.db.begin() as session:
        assert session.execute(select(SignInAttempt.succeeded)).scalars().all() == [True]


def test_wrong_password_is_refused_and_counted(open_page, ctx):
    at = open_page("app.py")
    at.text_input(key="signin_username").input("approver")
    at.text_input(key="signin_password").input("not the password")
    at.button[0].click().run()
    assert "Không đăng nhập được." in at.error[0].value
    assert "auth_user" not in at.session_state
    with ctx.db.begin() as session:
        assert session.execute(select(SignInAttempt.succeeded)).scalars().all() == [False]


def test_signed_in_user_sees_whats_new(open_page, make_asset):
    make_asset("Lễ hội Huế", "Huế Festival", status="published", published_at=None)
    at = open_page("app.py", "contributor")
    assert not at.exception, at.exception
    assert at.title[0].value == "Xin chào, contributor"
    assert [m.label for m in at.metric][:3] == ["Nháp", "Chờ duyệt", "Bị từ chối"]
    assert asset_cards(at) == ["Lễ hội Huế"]


def test_disabled_account_is_signed_out_at_once(open_page, ctx):
    at = open_page("app.py", "viewer")
    assert at.title[0].value == "Xin chào, viewer"
    with ctx.db.begin() as session:
        session.execute(select(User).where(User.username == "viewer")).scalar_one().is_active = False
    at.run()
    assert at.title[0].value == "Kho tư liệu thông tin đối ngoại"
    assert "Phiên đăng nhập đã kết thúc." in at.warning[0].value
