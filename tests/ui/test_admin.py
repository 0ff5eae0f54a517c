"""Administration pages (users, taxonomy, system, audit) for administrators only; the account page
for everyone signed in."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from tfdb_dam.db.models import Category, RuntimeSetting, ThesaurusTerm, User
from tfdb_dam.jobs.worker import run_worker
from tfdb_dam.services import audit, ui_admin, users
from tfdb_dam.services.actors import SYSTEM
from tests.ui.conftest import PASSWORD

ADMIN_PAGES = ["pages/7_users.py", "pages/8_taxonomy.py", "pages/9_system.py", "pages/10_audit.py"]


@pytest.mark.parametrize("script", ADMIN_PAGES)
def test_admin_pages_refuse_approvers(open_page, script):
    at = open_page(script, "approver")
    assert not at.exception, at.exception
    assert "không được dùng trang này" in at.error[0].value
    assert not at.title and not at.tabs and not at.get("arrow_data_frame")


@pytest.mark.parametrize("script", ADMIN_PAGES)
def test_admin_pages_render_for_admins(open_page, script):
    at = open_page(script, "admin")
    assert not at.exception, at.exception
    assert at.title


def test_add_user_and_change_role(open_page, ctx):
    at = open_page("pages/7_users.py", "admin")
    at.text_input(key="usr_new_name").input("hoa.le")
    at.text_input(key="usr_new_display").input("Lê Thị Hoa")
    at.text_input(key="usr_new_password").input("mật khẩu rất dài")
    [b for b in at.button if b.label == "Thêm"][0].click()
    at.run()
    assert not at.exception, at.exception
    assert "Đã thêm người dùng hoa.le." in at.success[0].value
    at.selectbox(key="usr_edit_pick").set_value("hoa.le").run()
    form_role = [s for s in at.selectbox if s.label == "Vai trò" and s.value == "contributor"][-1]
    form_role.set_value("approver")
    [b for b in at.button if b.label == "Lưu"][0].click()
    at.run()
    assert not at.error, [e.value for e in at.error]
    assert "Đã lưu thay đổi của hoa.le." in at.success[0].value
    with ctx.db.begin() as session:
        user = session.execute(select(User).where(User.username == "hoa.le")).scalar_one()
        assert user.role.value == "approver" and user.display_name == "Lê Thị Hoa"


def test_add_category_and_thesaurus_entry(open_page, ctx):
    at = open_page("pages/8_taxonomy.py", "admin")
    inputs = {t.label: t for t in at.text_input}
    inputs["Mã (slug)"].input("am-thuc")
    inputs["Tên tiếng Việt"].input("Ẩm thực")
    inputs["Tên tiếng Anh"].input("Cuisine")
    [b for b in at.button if b.label == "Lưu"][0].click()
    at.run()
    assert not at.exception, at.exception
    inputs = {t.label: t for t in at.text_input}
    inputs["Từ tiếng Việt"].input("bún bò | bún bò Huế")
    inputs["Từ tiếng Anh"].input("beef noodle soup")
    [b for b in at.button if b.label == "Lưu"][1].click()
    at.run()
    assert not at.exception, at.exception
    with ctx.db.begin() as session:
        assert session.execute(select(Category.label_en).where(Category.slug == "am-thuc")).scalar_one() == "Cuisine"
        assert session.execute(select(ThesaurusTerm.terms_vi)).scalar_one() == ["bún bò", "bún bò huế"]


def test_settings_and_background_storage_check(open_page, ctx, make_asset):
    make_asset("Ngọ Môn", "Noon Gate", status="published")
    at = open_page("pages/9_system.py", "admin")
    at.text_area(key="sys_set_notice_vi").input("Bảo trì hệ thống lúc 22 giờ.")
    [b for b in at.button if b.label == "Lưu"][0].click()
    at.run()
    assert "Đã lưu 1 thay đổi" in at.success[0].value
    at.toggle(key="sys_hashes").set_value(True)
    at.button(key="sys_start_verify_storage").click().run()
    assert not at.exception, at.exception
    assert any("Đang chờ tiến trình nền" in m.value for m in at.markdown)
    run_worker(ctx, wait=False)
    at.run()
    assert "Đã kiểm tra 3 tệp; 0 vấn đề." in " ".join(s.value for s in at.success), ([m.value for m in at.markdown], [e.value for e in at.error], [w.value for w in at.warning])
    home = open_page("app.py")
    assert home.info[0].value == "Bảo trì hệ thống lúc 22 giờ."


def test_reindex_is_queued_once(open_page, ctx):
    at = open_page("pages/9_system.py", "admin")
    at.button(key="sys_start_reindex").click().run()
    assert not at.exception, at.exception
    assert at.button(key="sys_start_reindex").disabled
    with ctx.db.begin() as session:
        jobs = session.execute(text("SELECT task_name FROM procrastinate_jobs WHERE status = 'todo'")).scalars().all()
        state = session.get(RuntimeSetting, "job.reindex").value
    assert jobs.count("admin.reindex_all") == 1 and state["state"] == "queued"


def test_audit_log_filters_and_export(open_page, ctx):
    with ctx.db.begin() as session:
        users.create_user(session, SYSTEM, username="lan.tran", role="viewer", password=PASSWORD)
        audit.record(session, SYSTEM, "setting.change", object_type="setting", object_id="notice_vi")
    at = open_page("pages/10_audit.py", "admin")
    assert not at.exception, at.exception
    at.selectbox(key="aud_action").set_value("user.create")
    [b for b in at.button if b.label == "Tìm"][0].click()
    at.run()
    assert not at.exception, at.exception
    shown = at.dataframe[0].value
    assert list(shown["Hành động"]) == ["user.create"] and "lan.tran" in shown["Chi tiết"][0]
    assert at.get("download_button")[0].proto.label == "Xuất toàn bộ nhật ký (CSV)"


def test_account_password_change(open_page, ctx):
    at = open_page("pages/11_account.py", "viewer")
    at.text_input(key="acc_current").input(PASSWORD)
    at.text_input(key="acc_new").input("một mật khẩu mới dài")
    at.text_input(key="acc_again").input("một mật khẩu mới dài")
    [b for b in at.button if b.label == "Đổi mật khẩu"][0].click()
    at.run()
    assert not at.exception, at.exception
    assert "Đã đổi mật khẩu." in at.success[0].value
    at.run()  # this session stays signed in after its own change, with a fresh cookie
    at.button(key="auth_continue").click().run()  # (AppTest has no browser to confirm it)
    assert at.title[0].value == "Tài khoản"


def test_reindex_progress_is_shown_live_then_its_result(open_page, ctx, make_asset):
    make_asset("Ngọ Môn", "Noon Gate", status="published")
    at = open_page("pages/9_system.py", "admin")
    at.button(key="sys_start_reindex").click().run()
    # What the worker writes as it goes; the panel (a fragment polling while the job is busy) shows it.
    ui_admin.report_state(ctx, "reindex", state="running", done=3, total=10)
    at.run()
    assert not at.exception, at.exception
    bars = [p for p in at.get("progress") if "3/10 tư liệu" in p.proto.text]
    assert bars and bars[0].value == 30  # per cent
    assert any("Đang chạy" in m.value for m in at.markdown)
    run_worker(ctx, wait=False)
    at.run()
    assert any(s.value.startswith("Đã lập chỉ mục 1 tư liệu") for s in at.success), [s.value for s in at.success]
    assert not at.button(key="sys_start_reindex").disabled
