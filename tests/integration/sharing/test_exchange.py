"""Exchange ZIPs: export a collection or a search (files, import-format CSV, Dublin Core valid against the
XML Schema inside the ZIP), import it into ANOTHER fresh database, compare; the import is safe."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import zipfile

import pytest
import xmlschema
from lxml import etree
from PIL import Image
from sqlalchemy import select

from tests.integration.sharing.conftest import drop_database, new_database
from tests.integration.sharing.factory import jpeg_bytes, make_asset, make_user, set_fields
from tests.integration.sharing.readback import exif_tags
from tfdb_dam.db.models import (
    Asset,
    AssetKind,
    AssetStatus,
    Collection,
    CollectionItem,
    ProcessingState,
    Role,
)
from tfdb_dam.errors import NotFound, RejectedFile, UsageError
from tfdb_dam.jobs.worker import run_worker
from tfdb_dam.services import exchange, exchange_import, search
from tfdb_dam.services.actors import PUBLIC, SYSTEM
from tfdb_dam.services.exchange import EXPORT_COLUMNS, export_zip
from tfdb_dam.services.ingest_metadata import CSV_COLUMNS
from tfdb_dam.services.visibility import office_today


def _pdf() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (200, 280), (250, 250, 240)).save(buffer, "PDF")
    return buffer.getvalue()


PDF = _pdf()
FIELDS = (
    "title_vi",
    "title_en",
    "description_vi",
    "description_en",
    "source_unit",
    "credit",
    "license",
    "usage_terms",
    "rights_expires_on",
    "captured_at",
    "captured_tz_offset_min",
    "kind",
    "mime_type",
    "sha256",
    "original_filename",
)


def _collection(ctx, owner, asset_ids, shared=False) -> int:  # noqa: ANN001
    with ctx.db.begin() as session:
        collection = Collection(name="Bộ ảnh gửi Bộ Ngoại giao", owner_id=owner.user_id, shared=shared)
        session.add(collection)
        session.flush()
        session.add_all(CollectionItem(collection_id=collection.id, asset_id=a) for a in asset_ids)
        return collection.id


def _snapshot(ctx, asset_id) -> dict:  # noqa: ANN001
    with ctx.db.begin() as session:
        asset = session.get(Asset, asset_id)
        data = {f: getattr(asset, f) for f in FIELDS}
        data.update(
            kind=asset.kind.value,
            tags=sorted(t.name for t in asset.tags),
            category=asset.category.slug if asset.category else None,
        )
        return data


def _source(ctx):  # noqa: ANN001, ANN202
    """A viewer's collection: two assets the viewer may see (a photo, a PDF), two it may not."""
    viewer = make_user(ctx, "bao-tthue", Role.viewer)
    photo = make_asset(
        ctx,
        original=jpeg_bytes((120, 90)),
        tags=("Huế", "Áo dài", "lễ hội"),
        category="du-lich",
        description_en='Quoted "text", commas, and a\nnew line.',
    )
    set_fields(
        ctx,
        photo,
        usage_terms="Chỉ dùng cho báo chí, ghi rõ nguồn.",
        rights_expires_on=dt.date(2031, 12, 31),
        captured_tz_offset_min=420,
        captured_at=dt.datetime(2024, 4, 30, 1, 15, tzinfo=dt.timezone.utc),
    )
    pdf = make_asset(
        ctx,
        kind=AssetKind.document,
        status=AssetStatus.approved,
        original=PDF,
        ext="pdf",
        mime="application/pdf",
        title_vi="Kế hoạch 157/KH-UBND",
        title_en="Plan 157/KH-UBND",
        license="all-rights-reserved",
        category="doi-ngoai",
        tags=("kế hoạch",),
        captured_at=None,
    )
    draft = make_asset(ctx, status=AssetStatus.draft, title_en="Draft, never to leave")
    expired = make_asset(
        ctx, rights_expires_on=office_today() - dt.timedelta(days=3), title_en="Rights over"
    )
    return viewer, [photo, pdf], _collection(ctx, viewer, [photo, pdf, draft, expired])


def test_export_holds_files_import_csv_and_valid_dublin_core(ctx, tmp_path):
    viewer, ids, collection = _source(ctx)
    out = tmp_path / "xuat.zip"
    report = export_zip(ctx, viewer, out, collection_id=collection)
    assert sorted(report.asset_ids) == sorted(ids) and report.originals == 2
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
        rows = list(csv.DictReader(io.StringIO(archive.read("metadata.csv").decode("utf-8-sig"))))
        xml = archive.read("dublin_core.xml")
        archive.extractall(tmp_path / "unpacked", [n for n in names if n.startswith("schemas/")])
        files = {n: archive.read(n) for n in names if n.startswith("files/")}
    assert {
        "metadata.csv",
        "dublin_core.xml",
        "schemas/tfdb-exchange.xsd",
        "schemas/dc.xsd",
        "schemas/xml.xsd",
    } <= names
    assert tuple(rows[0].keys()) == EXPORT_COLUMNS and EXPORT_COLUMNS[: len(CSV_COLUMNS)] == CSV_COLUMNS
    by_title = {r["title_en"]: r for r in rows}
    assert set(by_title) == {"Hue Imperial City at dawn", "Plan 157/KH-UBND"}
    photo_row = by_title["Hue Imperial City at dawn"]
    assert sorted(photo_row["tags"].split(";")) == sorted(["Áo dài", "Huế", "lễ hội"])
    assert photo_row["captured_at"] == "2024-04-30T08:15:00+07:00"
    assert photo_row["description_en"] == 'Quoted "text", commas, and a\nnew line.'
    assert photo_row["rights_expires_on"] == "2031-12-31" and photo_row["category"] == "du-lich"
    assert by_title["Plan 157/KH-UBND"]["captured_at"] == ""
    with ctx.db.begin() as session:
        stored = {a.sha256 for a in session.execute(select(Asset).where(Asset.id.in_(ids))).scalars()}
    assert {hashlib.sha256(data).hexdigest() for data in files.values()} == stored  # originals as stored
    assert set(files) == {r["filename"] for r in rows}

    schema = xmlschema.XMLSchema(
        str(tmp_path / "unpacked/schemas/tfdb-exchange.xsd"),
        base_url=str(tmp_path / "unpacked/schemas"),
        allow="sandbox",
    )
    root = etree.fromstring(xml)
    schema.validate(root, use_location_hints=False)
    ns = {"t": "urn:tfdb-dam:exchange:1", "dc": "http://purl.org/dc/elements/1.1/"}
    record = root.find(f"t:record[@file='{photo_row['filename']}']", ns)
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert {t.get(lang): t.text for t in record.findall("dc:title", ns)} == {
        "vi": "Đại Nội Huế lúc bình minh",
        "en": "Hue Imperial City at dawn",
    }
    assert record.get("rightsExpireAfter") == "2031-12-31"
    assert "Chỉ dùng cho báo chí, ghi rõ nguồn." in [r.text for r in record.findall("dc:rights", ns)]
    broken = etree.fromstring(xml)
    broken.find("t:record", ns).set("sha256", "not-a-hash")
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        schema.validate(broken, use_location_hints=False)


def test_round_trip_into_another_instance(ctx, tmp_path, pg_admin_url, template_database):
    viewer, ids, collection = _source(ctx)
    out = tmp_path / "exchange.zip"
    export_zip(ctx, viewer, out, collection_id=collection)
    before = sorted((_snapshot(ctx, i) for i in ids), key=lambda s: s["sha256"])

    other, name = new_database(pg_admin_url, template_database, tmp_path / "other-home")
    try:
        importer = make_user(other, "nhap-lieu", Role.contributor)
        archive, rows = exchange_import.open_exchange_zip(other, out)
        with archive:
            outcomes = list(exchange_import.store_rows(other, importer, archive, rows))
        assert [o.status for o in outcomes] == ["queued", "queued"]
        run_worker(other, wait=False)  # the processing jobs, in this process
        after = sorted((_snapshot(other, o.asset_id) for o in outcomes), key=lambda s: s["sha256"])
        assert after == before
        with other.db.begin() as session:
            for asset in session.execute(select(Asset)).scalars():
                assert asset.status is AssetStatus.draft and asset.processing is ProcessingState.ready
                assert asset.created_by_id == importer.user_id
                assert asset.field_sources["title_vi"] == "import"
                if asset.kind is AssetKind.photo:
                    assert (
                        asset.field_sources["rights_expires_on"]
                        == asset.field_sources["usage_terms"]
                        == "import"
                    )
                    assert asset.width == 120 and {r.name for r in asset.renditions} >= {"thumb", "preview"}
                assert other.store.original_path(asset.sha256, asset.ext).is_file()
        # The same ZIP again: every file is recognised by its content.
        archive, rows = exchange_import.open_exchange_zip(other, out)
        with archive:
            assert [o.status for o in exchange_import.store_rows(other, importer, archive, rows)] == [
                "duplicate"
            ] * 2
    finally:
        drop_database(pg_admin_url, other, name)


def test_public_export_of_a_search_gets_previews_with_credit(ctx, tmp_path):
    make_asset(ctx, title_vi="Cầu Trường Tiền về đêm", title_en="Truong Tien bridge at night")
    make_asset(ctx, status=AssetStatus.approved, title_vi="Cầu Trường Tiền, bản chưa đăng", title_en="x")
    out = tmp_path / "public.zip"
    report = export_zip(ctx, PUBLIC, out, query="cau truong tien")
    assert len(report.asset_ids) == 1 and report.previews == 1 and report.originals == 0
    with zipfile.ZipFile(out) as archive:
        (entry,) = [n for n in archive.namelist() if n.startswith("files/")]
        assert entry.endswith("-preview.jpg")
        assert exif_tags(archive.read(entry))["Image Artist"] == "Nguyễn Thị Hường"
    with pytest.raises(NotFound):  # the public has no collections
        export_zip(ctx, PUBLIC, tmp_path / "c.zip", collection_id=1)
    with pytest.raises(UsageError):
        export_zip(ctx, SYSTEM, tmp_path / "d.zip", collection_id=1, query="x")


def _zip(path, entries: dict[str, bytes], rows: list[dict[str, str]], compression=zipfile.ZIP_DEFLATED):  # noqa: ANN001, ANN202
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["filename", "title_vi", "title_en"])
    writer.writeheader()
    writer.writerows(rows)
    with zipfile.ZipFile(path, "w", compression) as archive:
        archive.writestr("metadata.csv", buffer.getvalue().encode("utf-8"))
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def test_zip_names_are_never_paths_and_each_file_is_checked(ctx, tmp_path):
    work = tmp_path / "deep" / "er"
    work.mkdir(parents=True)
    photo = jpeg_bytes((64, 48))
    hostile = _zip(
        work / "x.zip",
        {
            "../../escaped.jpg": photo,
            "/etc/absolute.jpg": jpeg_bytes((64, 48)),
            "nested.zip": _inner_zip(),
            "program.exe": b"MZ" + bytes(300),
        },
        [
            {"filename": n, "title_vi": "Tiêu đề", "title_en": "Title"}
            for n in ("../../escaped.jpg", "/etc/absolute.jpg", "nested.zip", "program.exe", "missing.jpg")
        ],
    )
    archive, rows = exchange_import.open_exchange_zip(ctx, hostile)
    with archive:
        outcomes = {o.path: o for o in exchange_import.store_rows(ctx, SYSTEM, archive, rows)}
    assert outcomes["../../escaped.jpg"].status == outcomes["/etc/absolute.jpg"].status == "queued"
    assert {outcomes[n].status for n in ("nested.zip", "program.exe", "missing.jpg")} == {"rejected"}
    assert "archive" in outcomes["nested.zip"].error and "program" in outcomes["program.exe"].error
    assert not (tmp_path / "escaped.jpg").exists() and not (tmp_path / "deep" / "escaped.jpg").exists()
    with ctx.db.begin() as session:
        names = set(session.execute(select(Asset.original_filename)).scalars())
    assert names == {"escaped.jpg", "absolute.jpg"}


def test_zip_bombs_and_damaged_entries_are_refused(ctx, tmp_path, monkeypatch):
    zeros = bytes(3 * 1024 * 1024)  # compresses to a few KB
    ctx.config = ctx.config.replace(tfdb_max_upload_mb=1, tfdb_import_zip_max_mb=2)
    bomb = _zip(tmp_path / "bomb.zip", {"big.jpg": zeros}, [{"filename": "big.jpg"}])
    assert bomb.stat().st_size < 100_000
    with pytest.raises(RejectedFile, match="TFDB_IMPORT_ZIP_MAX_MB"):
        exchange_import.open_exchange_zip(ctx, bomb)
    ctx.config = ctx.config.replace(tfdb_import_zip_max_mb=100)
    archive, rows = exchange_import.open_exchange_zip(ctx, bomb)
    with archive:
        (outcome,) = exchange_import.store_rows(ctx, SYSTEM, archive, rows)
    assert outcome.status == "rejected" and "larger than the limit of 1 MB" in outcome.error

    monkeypatch.setattr(exchange_import, "MAX_ENTRIES", 3)
    many = _zip(tmp_path / "many.zip", {f"{i}.jpg": b"x" for i in range(5)}, [])
    with pytest.raises(RejectedFile, match="entries"):
        exchange_import.open_exchange_zip(ctx, many)
    monkeypatch.setattr(exchange_import, "MAX_ENTRIES", 10_000)

    damaged_path = _zip(
        tmp_path / "damaged.zip",
        {"a.jpg": jpeg_bytes((64, 48))},
        [{"filename": "a.jpg"}],
        compression=zipfile.ZIP_STORED,
    )
    raw = bytearray(damaged_path.read_bytes())
    at = raw.index(b"\xff\xd8\xff")  # the JPEG's bytes inside the stored entry
    raw[at + 200] ^= 0xFF
    damaged_path.write_bytes(bytes(raw))
    archive, rows = exchange_import.open_exchange_zip(ctx, damaged_path)
    with archive:
        (outcome,) = exchange_import.store_rows(ctx, SYSTEM, archive, rows)
    assert outcome.status == "rejected" and "damaged" in outcome.error
    with pytest.raises(UsageError, match="not a readable ZIP"):
        exchange_import.open_exchange_zip(ctx, _write(tmp_path / "fake.zip", b"not a zip at all"))


def _inner_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as inner:
        inner.writestr("photo.jpg", jpeg_bytes((32, 32)))
    return buffer.getvalue()


def _write(path, data: bytes):  # noqa: ANN001, ANN202
    path.write_bytes(data)
    return path


def test_export_of_a_browse_past_the_count_cap_holds_every_asset(ctx, tmp_path, monkeypatch):
    # Browsing counts only up to the cap; the export must page until the hits run out.
    monkeypatch.setattr(search, "BROWSE_COUNT_CAP", 2)
    monkeypatch.setattr(exchange, "SEARCH_MAX_PER_PAGE", 2)
    ids = [make_asset(ctx, title_vi=f"Cầu Trường Tiền {i}", title_en=f"Bridge {i}") for i in range(5)]
    report = export_zip(ctx, PUBLIC, tmp_path / "all.zip", query="")
    assert sorted(report.asset_ids) == sorted(ids)
    monkeypatch.setattr(exchange, "MAX_EXPORT_ASSETS", 4)
    with pytest.raises(UsageError):  # and still notices when there are too many
        export_zip(ctx, PUBLIC, tmp_path / "too-many.zip", query="")
