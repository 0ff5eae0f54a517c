"""Collections (create, add from the library, see, remove; shared ones visible to colleagues) and
the dashboard (counts by status, category and unit; refused to viewers)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.ui.conftest import asset_cards
from tfdb_dam.db.models import Category, CollectionItem
from tfdb_dam.services import ui_collections, users


def test_create_collection_add_from_library_and_share(open_page, make_asset, ctx):
    first = make_asset("Ngọ Môn", "Noon Gate", status="published")
    make_asset("Chợ Đông Ba", "Dong Ba market", status="published")
    at = open_page("pages/5_collections.py", "contributor")
    assert "Chưa có bộ sưu tập nào" in at.info[0].value
    at.text_input(key="col_new_name").input("Di sản Huế")
    [b for b in at.button if b.label == "Tạo"][0].click()
    at.run()
    assert not at.exception, at.exception
    assert at.subheader[0].value == "Di sản Huế"

    library = open_page("pages/2_library.py", "contributor")
    library.toggle(key="lib_selecting").set_value(True).run()
    library.checkbox(key=f"lib_sel_{first}").check().run()
    [b for b in library.button if b.label == "Thêm"][0].click()
    library.run()
    assert not library.exception, library.exception
    assert "Đã thêm 1 tư liệu vào bộ sưu tập." in library.success[0].value

    colleague = open_page("pages/5_collections.py", "viewer")
    assert colleague.subheader[0].value == "Di sản Huế"
    assert asset_cards(colleague) == ["Ngọ Môn"]
    assert not colleague.get("popover")  # only the owner changes it

    at.run()
    at.toggle(key="col_selecting").set_value(True).run()
    at.checkbox(key=f"col_sel_{first}").check().run()
    at.button(key="col_remove").click().run()
    with ctx.db.begin() as session:
        assert session.execute(select(CollectionItem)).all() == []


def test_public_is_refused_collections(open_page):
    at = open_page("pages/5_collections.py")
    assert at.warning and not at.title


def test_dashboard_counts(open_page, make_asset, ctx):
    with ctx.db.begin() as session:
        culture = session.execute(select(Category.id).where(Category.slug == "van-hoa-di-san")).scalar_one()
    make_asset("Ngọ Môn", "Noon Gate", status="published", category_id=culture, source_unit="Sở Du lịch",
               gps=(16.4668, 107.5786))
    make_asset("Bản nháp", "Draft", status="draft", source_unit="Sở Ngoại vụ")
    at = open_page("pages/6_dashboard.py", "approver")
    assert not at.exception, at.exception
    figures = {m.label: m.value for m in at.metric}
    assert figures["Tổng số"] == "2" and figures["Đã công bố"] == "1" and figures["Nháp"] == "1"
    assert "Bản đồ 1 tư liệu đã công bố có tọa độ" in " ".join(m.value for m in at.markdown)


def test_dashboard_refused_to_viewers(open_page):
    at = open_page("pages/6_dashboard.py", "viewer")
    assert "không được dùng trang này" in at.error[0].value and not at.metric


@pytest.mark.parametrize("role", ["admin", "approver", "contributor", "viewer"])
def test_collections_render_for_each_signed_in_role(open_page, role):
    at = open_page("pages/5_collections.py", role)
    assert not at.exception, at.exception
    assert at.title[0].value == "Bộ sưu tập" and at.text_input(key="col_new_name")


def test_owner_makes_a_collection_private_and_colleagues_lose_it(open_page, make_asset, ctx):
    first = make_asset("Ngọ Môn", "Noon Gate", status="published")
    with ctx.db.begin() as session:
        owner = users.actor_for(session, "contributor")
        box = ui_collections.create_collection(session, owner, name="Di sản Huế")
        ui_collections.add_assets(session, owner, box.id, [first])
    assert open_page("pages/5_collections.py", "viewer").subheader[0].value == "Di sản Huế"
    at = open_page("pages/5_collections.py", "contributor")
    assert "Liên kết chia sẻ: " in " ".join(c.value for c in at.caption)
    shared = [t for t in at.toggle if t.label == "Chia sẻ với mọi đồng nghiệp" and t.key != "col_new_shared"][0]
    shared.set_value(False)
    [b for b in at.button if b.label == "Lưu"][0].click()
    at.run()
    assert not at.exception, at.exception
    assert "Riêng tư" in " ".join(c.value for c in at.caption)
    colleague = open_page("pages/5_collections.py", "viewer")
    assert "Chưa có bộ sưu tập nào" in colleague.info[0].value


@pytest.mark.parametrize("role", ["admin", "approver", "contributor"])
def test_dashboard_renders_charts_and_map_for_staff(open_page, make_asset, role):
    make_asset("Ngọ Môn", "Noon Gate", status="published", source_unit="Sở Du lịch", gps=(16.4668, 107.5786))
    at = open_page("pages/6_dashboard.py", role)
    assert not at.exception, at.exception
    assert len(at.get("vega_lite_chart")) == 2  # monthly, by source unit (no category yet)
    assert len(at.get("deck_gl_json_chart")) == 1
