"""Licences as people write them, and the bilingual text of notifications and emails."""

from __future__ import annotations

import email
import email.policy

import pytest

from tfdb_dam.db.models import Asset
from tfdb_dam.errors import ValidationError
from tfdb_dam.services import mailer, notify, rights


def test_the_licence_list_has_the_cc_licences_and_all_rights_reserved():
    codes = [lic.code for lic in rights.list_licences()]
    assert set(codes) == {"CC0-1.0", "CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-4.0", "CC-BY-NC-SA-4.0",
                          "CC-BY-ND-4.0", "CC-BY-NC-ND-4.0", "all-rights-reserved"}
    for lic in rights.list_licences():
        assert lic.label_vi and lic.label_en and lic.label_vi != lic.label_en
        assert (lic.url is None) == (lic.code == "all-rights-reserved")
    assert rights.licence("CC-BY-SA-4.0").url == "https://creativecommons.org/licenses/by-sa/4.0/"


@pytest.mark.parametrize(("written", "code"), [
    ("CC BY-NC-SA 4.0", "CC-BY-NC-SA-4.0"), ("cc-by", "CC-BY-4.0"), ("CC0", "CC0-1.0"),
    ("All rights reserved", "all-rights-reserved"), ("Bảo lưu mọi quyền", "all-rights-reserved"),
    ("https://creativecommons.org/licenses/by-nd/4.0/deed.vi", "CC-BY-ND-4.0"),
    ("http://creativecommons.org/publicdomain/zero/1.0/legalcode", "CC0-1.0"), ("  ", None),
])
def test_licences_are_read_however_they_are_written(written, code):
    assert rights.parse_licence(written) == code


def test_unknown_licences_are_refused():
    with pytest.raises(ValidationError, match="Unknown licence 'GPL-3.0'"):
        rights.parse_licence("GPL-3.0")
    with pytest.raises(ValidationError, match="not one of the supported licences"):
        rights.parse_licence("https://creativecommons.org/licenses/by/3.0/")


def test_notifications_say_it_in_vietnamese_first_then_english():
    asset = Asset(id=12, title_vi="Lăng Tự Đức", original_filename="x.jpg")
    subject, body = notify.compose("reject", asset, "lan", "Ảnh bị nghiêng.")
    assert subject == "[TFDB DAM] Bị từ chối / Rejected: #12 Lăng Tự Đức"
    vietnamese, english = body.split("\n\n")
    assert vietnamese == "Tư liệu #12 «Lăng Tự Đức» bị lan từ chối. Lý do: Ảnh bị nghiêng."
    assert english == "Asset #12 “Lăng Tự Đức” was rejected by lan. Reason: Ảnh bị nghiêng."
    assert notify.compose("submit", Asset(id=3, original_filename="IMG_1.JPG"), "hoa")[0].endswith("#3 IMG_1.JPG")


def test_emails_are_utf8_and_survive_the_wire():
    message = mailer.compose("tfdb@so.example", "hoa@so.example", "Đã duyệt / Approved", "Tư liệu đã được duyệt.")
    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    assert parsed["Subject"] == "Đã duyệt / Approved" and parsed.get_content().strip() == "Tư liệu đã được duyệt."
    assert message.get_content_charset() == "utf-8" and message["Message-ID"].endswith("@so.example>")
