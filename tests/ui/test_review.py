"""Review queue: approvers and admins only; oldest first; approve one, reject one with a reason,
publish an approved one; bulk approve."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tfdb_dam.db.models import Asset, AssetStatus, ReviewEvent


@pytest.mark.parametrize("role", ["contributor", "viewer"])
def test_refused_to_non_approvers(open_page, role):
    at = open_page("pages/4_review.py", role)
    assert not at.exception
    assert "không được dùng trang này" in at.error[0].value
    assert not at.title


@pytest.mark.parametrize("role", ["approver", "admin"])
def test_queue_oldest_first(open_page, make_asset, role):
    first = make_asset("Ảnh cũ", "Older photo", status="submitted")
    make_asset("Ảnh mới", "Newer photo", status="submitted")
    at = open_page("pages/4_review.py", role)
    assert not at.exception, at.exception
    cards = [m.value for m in at.markdown if m.value.startswith("**")]
    assert cards[0].startswith("**Ảnh cũ**") and cards[1].startswith("**Ảnh mới**")
    assert at.button(key=f"rev_approve_{first}")


def test_approve_reject_publish(open_page, make_asset, ctx):
    keep = make_asset("Lễ hội", "Festival", status="submitted")
    drop = make_asset("Ảnh mờ", "Blurred photo", status="submitted")
    at = open_page("pages/4_review.py", "approver")
    at.button(key=f"rev_approve_{keep}").click().run()
    assert "Đã duyệt 1 tư liệu" in at.success[0].value
    at.text_input(key=f"rev_reason_{drop}").input("Ảnh bị mờ, hãy gửi bản khác.")
    [b for b in at.button if b.label == "Từ chối"][0].click()  # the reason form's submit button
    at.run()
    assert not at.exception, at.exception
    assert "Đã từ chối 1 tư liệu" in at.success[0].value
    at.segmented_control(key="rev_status").set_value("approved").run()
    at.button(key=f"rev_publish_{keep}").click().run()
    assert "Đã công bố 1 tư liệu" in at.success[0].value
    with ctx.db.begin() as session:
        statuses = dict(session.execute(select(Asset.id, Asset.status)).all())
        reason = session.execute(select(ReviewEvent.comment).where(ReviewEvent.action == "reject")).scalar_one()
    assert statuses == {keep: AssetStatus.published, drop: AssetStatus.rejected}
    assert reason == "Ảnh bị mờ, hãy gửi bản khác."


def test_bulk_approve(open_page, make_asset, ctx):
    ids = [make_asset(f"Ảnh {n}", f"Photo {n}", status="submitted") for n in range(3)]
    at = open_page("pages/4_review.py", "admin")
    at.button(key="rev_select_page").click().run()
    at.button(key="rev_bulk_approve").click().run()
    assert not at.exception, at.exception
    assert "Đã duyệt 3 tư liệu" in at.success[0].value
    with ctx.db.begin() as session:
        assert set(session.execute(select(Asset.status).where(Asset.id.in_(ids))).scalars()) == {AssetStatus.approved}


def test_bulk_reject_needs_a_reason_and_keeps_it(open_page, make_asset, ctx):
    for n in range(2):
        make_asset(f"Ảnh {n}", f"Photo {n}", status="submitted")
    at = open_page("pages/4_review.py", "approver")
    at.button(key="rev_select_page").click().run()
    reject = [b for b in at.button if b.label == "Từ chối" and b.form_id == "rev_bulk_reject"][0]
    reject.click().run()  # no reason: each asset is refused, nothing changes
    assert not at.exception, at.exception
    assert len(at.error) == 2 and all(e.value.startswith("#") for e in at.error)
    with ctx.db.begin() as session:
        assert set(session.execute(select(Asset.status)).scalars()) == {AssetStatus.submitted}

    at.button(key="rev_select_page").click().run()
    at.text_input(key="rev_bulk_reason").input("Thiếu thông tin người trong ảnh.")
    [b for b in at.button if b.label == "Từ chối" and b.form_id == "rev_bulk_reject"][0].click().run()
    assert "Đã từ chối 2 tư liệu" in at.success[0].value
    with ctx.db.begin() as session:
        assert set(session.execute(select(Asset.status)).scalars()) == {AssetStatus.rejected}
        reasons = session.execute(select(ReviewEvent.comment).where(ReviewEvent.action == "reject")).scalars().all()
    assert reasons == ["Thiếu thông tin người trong ảnh."] * 2


def test_duplicate_warning_beside_the_item(open_page, make_asset):
    first = make_asset("Ngọ Môn", "Noon Gate", status="published")
    again = make_asset("Ngọ Môn (bản khác)", "Noon Gate again", status="submitted", near_duplicate_of_id=first)
    at = open_page("pages/4_review.py", "approver")
    assert not at.exception, at.exception
    assert f"Có thể trùng với tư liệu #{first}; hãy so sánh trước khi duyệt." in [w.value for w in at.warning]
    assert at.button(key=f"rev_approve_{again}")
