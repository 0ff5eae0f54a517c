"""Collections (create, add from the library, see, remove; shared ones visible to colleagues) and
the dashboard (counts by status, category and unit; refused to viewers)."""

from __future__ import annotations

from sqlalchemy import select

from tests.ui.conftest import asset_cards
from tfdb_dam.db.models import Category, CollectionItem


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
