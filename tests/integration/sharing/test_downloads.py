"""Press-ready downloads: credit, licence and bilingual caption inside every JPEG, read back three ways;
downloads logged with purpose; originals only where allowed; non-JPEG originals served as they are."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from tests.integration.sharing.conftest import issue
from tests.integration.sharing.factory import jpeg_bytes, make_asset, make_user
from tests.integration.sharing.readback import exif_tags, image_data, iptc_text, xmp_alt, xmp_root, xmp_text
from tfdb_dam.db.models import Asset, AssetKind, AuditEntry, Download, Role
from tfdb_dam.errors import PermissionDenied, ValidationError
from tfdb_dam.services import downloads
from tfdb_dam.services.actors import PUBLIC

CAPTION_VI = "Ngọ Môn trong sương sớm, nhìn từ Kỳ Đài."
CAPTION_EN = "Ngo Mon gate in the morning mist, seen from the Flag Tower."


def _sha(path) -> str:  # noqa: ANN001
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_downloaded_preview_carries_credit_licence_and_caption(api, ctx):
    asset_id = make_asset(ctx)
    with ctx.db.begin() as session:
        sha = session.get(Asset, asset_id).sha256
    stored = ctx.store.rendition_path(sha, "preview")
    before = _sha(stored)
    response = api.get(f"/api/v1/assets/{asset_id}/download", params={"purpose": "press"})
    assert response.status_code == 200 and response.headers["content-type"] == "image/jpeg"
    assert response.headers["content-disposition"].startswith('attachment; filename="tfdb-')
    jpeg = response.content
    assert image_data(jpeg) == image_data(stored.read_bytes())  # pixels untouched
    assert _sha(stored) == before  # the stored rendition is never modified

    exif = exif_tags(jpeg)
    assert exif["Image Artist"] == "Nguyễn Thị Hường"
    assert exif["Image Copyright"] == (
        "© Nguyễn Thị Hường — Creative Commons Ghi công 4.0 Quốc tế / "
        "Creative Commons Attribution 4.0 International"
    )
    assert exif["Image ImageDescription"] == f"{CAPTION_VI}\n{CAPTION_EN}"

    iptc = iptc_text(jpeg)
    assert iptc["by_line"] == "Nguyễn Thị Hường"
    assert iptc["credit"] == "Ảnh: Nguyễn Thị Hường / Photo: Nguyễn Thị Hường"
    assert iptc["copyright"] == exif["Image Copyright"]
    assert iptc["caption"] == f"{CAPTION_VI}\n{CAPTION_EN}"
    assert iptc["source"] == "Sở Văn hóa và Thể thao"
    assert iptc["keywords"] == ["di sản", "Đại Nội"]

    xmp = xmp_root(jpeg)
    assert [
        li.text
        for li in xmp.findall(
            ".//dc:creator/rdf:Seq/rdf:li",
            {"dc": "http://purl.org/dc/elements/1.1/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"},
        )
    ] == ["Nguyễn Thị Hường"]
    assert xmp_alt(xmp, "dc:description") == {"x-default": CAPTION_VI, "vi": CAPTION_VI, "en": CAPTION_EN}
    assert xmp_alt(xmp, "dc:title") == {
        "x-default": "Đại Nội Huế lúc bình minh",
        "vi": "Đại Nội Huế lúc bình minh",
        "en": "Hue Imperial City at dawn",
    }
    assert xmp_alt(xmp, "dc:rights") == {"x-default": exif["Image Copyright"]}
    assert xmp_text(xmp, "photoshop:Credit") == "Ảnh: Nguyễn Thị Hường / Photo: Nguyễn Thị Hường"
    assert xmp_text(xmp, "xmpRights:WebStatement") == "https://creativecommons.org/licenses/by/4.0/"
    assert "creativecommons.org/licenses/by/4.0" in xmp_alt(xmp, "xmpRights:UsageTerms")["x-default"]


def test_download_is_logged_with_who_what_and_purpose(api, ctx):
    asset_id = make_asset(ctx)
    key = issue(ctx, "read:published")
    assert (
        api.get(
            f"/api/v1/assets/{asset_id}/download", params={"purpose": "tv"}, headers={"X-API-Key": key.secret}
        ).status_code
        == 200
    )
    with ctx.db.begin() as session:
        logged = session.execute(select(Download)).scalars().all()
        entry = session.execute(select(AuditEntry).where(AuditEntry.action == "asset.download")).scalar_one()
        assert [(d.asset_id, d.rendition, d.purpose, d.api_key_id) for d in logged] == [
            (asset_id, "preview", "tv", key.key.id)
        ]
        assert entry.actor == f"apikey:{key.key.prefix}" and entry.details["purpose"] == "tv"
        assert entry.object_id == str(asset_id) and entry.address == "testclient"
    bad = api.get(f"/api/v1/assets/{asset_id}/download", params={"purpose": "radio"})
    assert bad.status_code == 422 and "press, print, web, tv, other" in bad.json()["error"]["message"]
    thumb = api.get(f"/api/v1/assets/{asset_id}/renditions/thumb")
    assert thumb.status_code == 200 and exif_tags(thumb.content)["Image Artist"] == "Nguyễn Thị Hường"
    with ctx.db.begin() as session:  # thumbnails for display are not downloads
        assert session.execute(select(Download)).scalars().all().__len__() == 1


def test_originals_need_the_download_original_scope(api, ctx):
    original = jpeg_bytes((120, 80))
    asset_id = make_asset(ctx, original=original)
    url = f"/api/v1/assets/{asset_id}/download?rendition=original&purpose=print"
    refused = api.get(url)
    assert refused.status_code == 403 and refused.json()["error"]["type"] == "PermissionDenied"
    assert api.get(url, headers={"X-API-Key": issue(ctx, "read:published").secret}).status_code == 403
    full = issue(ctx, "read:published", "download:original")
    detail = api.get(f"/api/v1/assets/{asset_id}", headers={"X-API-Key": full.secret}).json()
    assert "original" in detail["renditions"]
    got = api.get(url, headers={"Authorization": f"Bearer {full.secret}"})
    assert got.status_code == 200 and image_data(got.content) == image_data(original)
    assert iptc_text(got.content)["by_line"] == "Nguyễn Thị Hường"


def test_non_jpeg_originals_are_served_as_they_are_and_logged(api, ctx):
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + bytes(range(256))
    asset_id = make_asset(
        ctx,
        kind=AssetKind.document,
        original=pdf,
        ext="pdf",
        mime="application/pdf",
        renditions=("thumb", "preview"),
    )
    key = issue(ctx, "read:published", "download:original")
    got = api.get(
        f"/api/v1/assets/{asset_id}/download",
        params={"rendition": "original", "purpose": "web"},
        headers={"X-API-Key": key.secret},
    )
    assert got.status_code == 200 and got.headers["content-type"] == "application/pdf"
    assert got.content == pdf
    with ctx.db.begin() as session:
        assert [(d.rendition, d.purpose) for d in session.execute(select(Download)).scalars()] == [
            ("original", "web")
        ]


def test_video_downloads_its_poster_by_default(api, ctx):
    asset_id = make_asset(
        ctx,
        kind=AssetKind.video,
        original=b"\x00\x00\x00\x18ftypmp42" + bytes(100),
        ext="mp4",
        mime="video/mp4",
        renditions=("thumb", "poster"),
    )
    got = api.get(f"/api/v1/assets/{asset_id}/download")
    assert got.status_code == 200 and got.headers["content-type"] == "image/jpeg"
    assert iptc_text(got.content)["credit"] == "Video: Nguyễn Thị Hường / Video: Nguyễn Thị Hường"


def test_service_download_for_the_app(ctx):
    """The app calls the same service: signed-in users may take originals, the public never."""
    asset_id = make_asset(ctx)
    viewer = make_user(ctx, "phong-vien", Role.viewer)
    result = downloads.download_asset(ctx, viewer, asset_id, purpose="press", rendition="original")
    assert result.mime == "image/jpeg" and result.filename == f"tfdb-{asset_id}-hue-imperial-city-at-dawn.jpg"
    assert result.credit_line == "Ảnh: Nguyễn Thị Hường / Photo: Nguyễn Thị Hường"
    assert exif_tags(result.content())["Image Artist"] == "Nguyễn Thị Hường"
    with pytest.raises(PermissionDenied):
        downloads.download_asset(ctx, PUBLIC, asset_id, purpose="press", rendition="original")
    with pytest.raises(ValidationError):
        downloads.download_asset(ctx, viewer, asset_id, purpose="")
    with ctx.db.begin() as session:
        rows = session.execute(select(Download)).scalars().all()
        assert [(r.user_id, r.rendition, r.purpose) for r in rows] == [(viewer.user_id, "original", "press")]
        asset = session.get(Asset, asset_id)
        assert downloads.credit_line(asset) == "Ảnh: Nguyễn Thị Hường / Photo: Nguyễn Thị Hường"
        asset.credit = None
        assert downloads.credit_line(asset) == "Ảnh: Sở Văn hóa và Thể thao / Photo: Sở Văn hóa và Thể thao"
