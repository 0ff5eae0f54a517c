"""Public gallery and asset page: the public sees published assets only, with credit, licence and a
download; staff see history and can edit metadata (each field's source shown) and take steps."""

from __future__ import annotations

import pytest

from tests.ui.conftest import asset_cards
from tfdb_dam.db.models import Asset, AssetStatus
from tfdb_dam.services import search


@pytest.mark.parametrize("role", [None, "viewer", "admin"])
def test_gallery_shows_published_only_to_everyone(open_page, make_asset, role):
    make_asset("Ngọ Môn", "Noon Gate", status="published")
    make_asset("Ảnh đã duyệt", "Approved photo", status="approved")
    at = open_page("pages/1_gallery.py", role)
    assert not at.exception, at.exception
    assert asset_cards(at) == ["Ngọ Môn"]


def test_gallery_search(open_page, make_asset):
    make_asset("Ngọ Môn Đại Nội", "Noon Gate", status="published")
    make_asset("Chợ Đông Ba", "Dong Ba market", status="published")
    at = open_page("pages/1_gallery.py")
    at.text_input(key="gal_q_input").input("dong ba")
    at.button[0].click().run()
    assert asset_cards(at) == ["Chợ Đông Ba"]


@pytest.mark.parametrize("lang, shown", [("vi", "hơn 2 kết quả"), ("en", "2+ results")])
def test_gallery_says_more_than_when_browsing_stops_counting(open_page, make_asset, monkeypatch, lang, shown):
    monkeypatch.setattr(search, "BROWSE_COUNT_CAP", 2)
    for title in ("Ngọ Môn", "Chợ Đông Ba", "Cầu Trường Tiền"):
        make_asset(title, title, status="published")
    at = open_page("pages/1_gallery.py", lang=lang)
    assert not at.exception, at.exception
    assert shown in [m.value for m in at.markdown]
    assert len(asset_cards(at)) == 3  # every hit is shown, only the count stopped


def test_public_asset_page_shows_credit_licence_and_download(open_page, make_asset):
    asset_id = make_asset("Ngọ Môn", "Noon Gate", status="published", credit="Nguyễn Minh Châu",
                          gps=(16.4668, 107.5786))
    at = open_page("pages/12_asset.py", query={"id": str(asset_id)})
    assert not at.exception, at.exception
    assert at.title[0].value == "Ngọ Môn"
    text = " ".join(m.value for m in at.markdown)
    assert "Ảnh: Nguyễn Minh Châu / Photo: Nguyễn Minh Châu" in text
    assert "Creative Commons" in text
    assert at.get("download_button")[0].proto.label == "Tải về"
    assert at.get("deck_gl_json_chart")  # the map, drawn without tiles
    # The public gets no history, no edit form, no workflow steps.
    assert not at.button and not [t for t in at.tabs if t.label == "Lịch sử"]


def test_unpublished_asset_is_not_found_for_the_public(open_page, make_asset):
    asset_id = make_asset("Bản nháp", "Draft", status="draft")
    at = open_page("pages/12_asset.py", query={"id": str(asset_id)})
    assert "Không tìm thấy." in at.error[0].value
    assert not at.title


def test_contributor_edits_metadata_and_sees_sources(open_page, make_asset, ctx):
    asset_id = make_asset("Tiêu đề cũ", "Old title", status="draft", field_sources={"title_vi": "file"})
    at = open_page("pages/12_asset.py", "contributor", query={"id": str(asset_id)})
    assert not at.exception, at.exception
    title_box = at.text_input(key=f"asset_{asset_id}_v1_title_vi")
    assert "từ tệp" in title_box.label
    title_box.input("Tiêu đề mới")
    [b for b in at.button if b.label == "Lưu"][0].click()
    at.run()
    assert not at.exception, at.exception
    assert "Đã lưu: Tiêu đề (tiếng Việt)." in at.success[0].value
    with ctx.db.begin() as session:
        asset = session.get(Asset, asset_id)
        assert asset.title_vi == "Tiêu đề mới" and asset.field_sources["title_vi"] == "manual"


def test_approver_takes_a_step_from_the_asset_page(open_page, make_asset, ctx):
    asset_id = make_asset("Lễ hội", "Festival", status="submitted")
    at = open_page("pages/12_asset.py", "approver", query={"id": str(asset_id)})
    at.button(key="wf_approve").click().run()
    assert not at.exception, at.exception
    assert "Đã duyệt 1 tư liệu" in at.success[0].value
    with ctx.db.begin() as session:
        assert session.get(Asset, asset_id).status is AssetStatus.approved
    history = " ".join(m.value for m in at.markdown)
    assert "**Duyệt** · approver" in history


@pytest.mark.parametrize("role, staff", [(None, False), ("viewer", False), ("contributor", True),
                                         ("approver", True), ("admin", True)])
def test_asset_page_for_each_role(open_page, make_asset, role, staff):
    asset_id = make_asset("Ngọ Môn", "Noon Gate", status="published", gps=(16.4668, 107.5786))
    at = open_page("pages/12_asset.py", role, query={"id": str(asset_id)})
    assert not at.exception, at.exception
    assert at.title[0].value == "Ngọ Môn"
    assert any(img.proto.imgs[0].url for img in at.get("image"))  # the large preview
    exif = at.dataframe[0].value
    assert dict(zip(exif.iloc[:, 0], exif.iloc[:, 1])) == {"Make": "Canon", "Model": "EOS 5D"}
    assert at.get("deck_gl_json_chart")  # the map, since the asset has GPS
    tabs = [t.label for t in at.tabs]
    assert ("Lịch sử" in tabs and "Có thể trùng lặp" in tabs) is staff
    assert bool([b for b in at.button if b.label == "Lưu"]) is staff  # the metadata form


def test_possible_duplicates_are_shown_to_staff(open_page, make_asset):
    first = make_asset("Ngọ Môn", "Noon Gate", status="published")
    again = make_asset("Ngọ Môn (bản khác)", "Noon Gate again", status="submitted", near_duplicate_of_id=first)
    at = open_page("pages/12_asset.py", "approver", query={"id": str(again)})
    assert "1 tư liệu có thể là bản trùng của tư liệu này." in [w.value for w in at.warning]
    assert "Ngọ Môn" in asset_cards(at)
