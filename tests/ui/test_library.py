"""Library page: for every signed-in role; refused to the public; search finds the asset;
a bulk workflow step acts on the selection."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.ui.conftest import asset_cards
from tfdb_dam.db.models import Asset, AssetStatus


def test_public_is_refused(open_page):
    at = open_page("pages/2_library.py")
    assert at.warning and not at.text_input and not at.title


@pytest.mark.parametrize("role", ["admin", "approver", "contributor", "viewer"])
def test_renders_for_each_role(open_page, make_asset, role):
    make_asset("Lễ hội Huế", "Huế Festival", status="published")
    make_asset("Bản nháp riêng", "A private draft", status="draft")
    at = open_page("pages/2_library.py", role)
    assert not at.exception, at.exception
    titles = asset_cards(at)
    # Drafts are the contributor's own; a viewer sees only approved and published assets.
    expected = 1 if role == "viewer" else 2
    assert len(titles) == expected, titles


def test_search_finds_the_asset_without_accents(open_page, make_asset):
    make_asset("Chùa Thiên Mụ", "Thien Mu Pagoda", status="published")
    make_asset("Cầu Trường Tiền", "Truong Tien Bridge", status="published")
    at = open_page("pages/2_library.py", "approver")
    at.text_input(key="lib_q_input").input("chua thien mu")
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert asset_cards(at) == ["Chùa Thiên Mụ"]
    assert "1 kết quả" in [m.value for m in at.markdown]


def test_bulk_approve_selected(open_page, make_asset, ctx):
    ids = [make_asset(f"Ảnh {n}", f"Photo {n}", status="submitted") for n in (1, 2)]
    at = open_page("pages/2_library.py", "approver")
    at.toggle(key="lib_selecting").set_value(True).run()
    for asset_id in ids:
        at.checkbox(key=f"lib_sel_{asset_id}").check()
    at.run()
    at.button(key="lib_bulk_approve").click().run()
    assert not at.exception, at.exception
    assert "Đã duyệt 2 tư liệu" in at.success[0].value
    with ctx.db.begin() as session:
        assert set(session.execute(select(Asset.status)).scalars()) == {AssetStatus.approved}


def _select(at, ids):  # noqa: ANN001, ANN202
    at.toggle(key="lib_selecting").set_value(True).run()
    for asset_id in ids:
        at.checkbox(key=f"lib_sel_{asset_id}").check()
    return at.run()


def test_bulk_edit_selected(open_page, make_asset, ctx):
    ids = [make_asset(f"Ảnh {n}", f"Photo {n}", status="draft") for n in (1, 2)]
    other = make_asset("Không chọn", "Not selected", status="draft")
    at = _select(open_page("pages/2_library.py", "contributor"), ids)
    at.text_input(key="lib_bulk_edit_credit").input("Phòng Thông tin đối ngoại")
    at.multiselect(key="lib_bulk_edit_tags").set_value(["Festival Huế"])
    [b for b in at.button if b.label == "Áp dụng cho các tư liệu đã chọn"][0].click()
    at.run()
    assert not at.exception, at.exception
    assert f"Đã cập nhật 2 tư liệu: #{ids[0]}, #{ids[1]}." in at.success[0].value
    with ctx.db.begin() as session:
        assets = {a.id: a for a in session.execute(select(Asset)).scalars()}
        assert {assets[i].credit for i in ids} == {"Phòng Thông tin đối ngoại"}
        assert [t.name for t in assets[ids[0]].tags] == ["Festival Huế"]
        assert assets[ids[0]].field_sources["credit"] == "manual"
        assert assets[other].credit == "Lê Hoa"


@pytest.mark.parametrize("role, before, step, after", [
    ("contributor", "draft", "submit", AssetStatus.submitted),
    ("approver", "approved", "publish", AssetStatus.published),
])
def test_bulk_workflow_step_by_role(open_page, make_asset, ctx, role, before, step, after):
    ids = [make_asset(f"Ảnh {n}", f"Photo {n}", status=before) for n in (1, 2)]
    at = _select(open_page("pages/2_library.py", role), ids)
    at.button(key=f"lib_bulk_{step}").click().run()
    assert not at.exception, at.exception
    assert at.success[0].value.startswith("Đã ")
    with ctx.db.begin() as session:
        assert set(session.execute(select(Asset.status)).scalars()) == {after}


def test_viewer_gets_no_workflow_steps(open_page, make_asset):
    asset_id = make_asset("Lễ hội Huế", "Huế Festival", status="published")
    at = _select(open_page("pages/2_library.py", "viewer"), [asset_id])
    assert not [b for b in at.button if b.key and b.key.startswith("lib_bulk_")]


def test_a_new_query_ranks_by_relevance(open_page, make_asset):
    make_asset("Chùa Thiên Mụ", "Thien Mu Pagoda", status="published")
    make_asset("Cầu Trường Tiền", "Truong Tien Bridge", status="published")
    at = open_page("pages/2_library.py", "approver")
    assert at.selectbox(key="lib_sort").value == "newest"
    at.text_input(key="lib_q_input").input("cau truong tien")
    at.button[0].click().run()
    assert at.selectbox(key="lib_sort").value == "relevance"
    assert asset_cards(at)[0] == "Cầu Trường Tiền"
