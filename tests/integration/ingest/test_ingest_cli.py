"""`tfdb import` as people run it: CSV metadata, --by, --json, exit codes, then search, show, verify."""

from __future__ import annotations

import csv
import json

from PIL import Image

from tests.conftest import corpus_path
from tfdb_dam.cli import main
from tfdb_dam.db.models import Asset
from tfdb_dam.services import users
from tfdb_dam.services.actors import SYSTEM
from tfdb_dam.services.search import search
from tfdb_dam.services.search_types import SearchRequest


def _jpegs_named_in_the_csv(folder, csv_path, count=8):
    names = [row["filename"] for row in csv.DictReader(csv_path.open(encoding="utf-8"))
             if row["filename"].endswith(".jpg")][:count]
    for i, name in enumerate(names):
        Image.new("RGB", (96, 64), (30 * i % 256, 90, 160)).save(folder / name)
    return names


def test_import_with_csv_metadata_by_a_user_then_search_show_verify_and_import_again(tfdb, ctx, tmp_path):
    corpus_csv = corpus_path("search-dev", "corpus.csv")
    gps = corpus_path("exif-samples", "jpg", "gps")
    folder = tmp_path / "photos"
    folder.mkdir()
    names = _jpegs_named_in_the_csv(folder, corpus_csv)
    with ctx.db.begin() as session:
        users.create_user(session, SYSTEM, username="lan", role="contributor", password="a-long-password")

    run = tfdb("import", str(folder), str(gps), "--metadata", str(corpus_csv), "--by", "lan", "--json",
               "--workers", "1")
    assert run.returncode == 1, run.stderr  # gps/README is not media: refused, the rest imported
    rows = json.loads(run.stdout)
    assert sorted(r["status"] for r in rows) == ["imported"] * (len(names) + 9) + ["rejected"]
    warnings = [line for line in run.stderr.splitlines() if "does not know" in line]
    assert len(warnings) == 1 and "key" in warnings[0] and "kind" in warnings[0], run.stderr
    by_name = {r["path"].rsplit("/", 1)[1]: r for r in rows}

    shown = json.loads(tfdb("show", str(by_name["DSCN0010.jpg"]["asset_id"]), "--json").stdout)
    assert round(shown["gps_lat"], 5) == 43.46745 and round(shown["gps_lon"], 5) == 11.88513
    assert shown["processing"] == "ready" and shown["renditions"] == ["preview", "thumb"]
    assert shown["history"][0]["actor"] == "lan" and shown["history"][0]["action"] == "import"
    with ctx.db.begin() as session:
        d001 = session.get(Asset, by_name["D001.jpg"]["asset_id"])
        assert (d001.title_vi, d001.field_sources["title_vi"]) == ("Biển Thuận An ngày nắng", "import")
        assert d001.category.slug == "du-lich" and "tắm biển" in {t.name for t in d001.tags}
        # Searchable as the import ends (the search service `tfdb search` calls, in this process):
        found = search(session, ctx, SYSTEM, SearchRequest(query="Thuận An", with_facets=False)).hits
        assert found[0].asset_id == d001.id
        by_meaning = search(session, ctx, SYSTEM, SearchRequest(query="beach holiday", with_facets=False)).hits
        assert d001.id in [hit.asset_id for hit in by_meaning[:3]]
    assert tfdb("verify").returncode == 0

    again = tfdb("import", str(folder), "--json", "--workers", "1")
    assert again.returncode == 0, again.stderr
    assert {(r["status"], r["asset_id"]) for r in json.loads(again.stdout)} == {
        ("duplicate", by_name[n]["asset_id"]) for n in names}


def test_usage_errors_exit_2_with_one_sentence(cli_env, monkeypatch, capsys, tmp_path):
    for name, value in cli_env.items():  # the real command, run in this process (no interpreter start)
        monkeypatch.setenv(name, value)
    (tmp_path / "a.jpg").write_bytes(b"")
    bad_csv = tmp_path / "meta.csv"
    bad_csv.write_text("filename,category\na.jpg,no-such-area\n", encoding="utf-8")
    for args, words in ((["import", str(tmp_path), "--by", "nobody"], "nobody"),
                        (["import", str(tmp_path / "not-there")], "No such file"),
                        (["import", str(tmp_path / "a.jpg"), "--metadata", str(bad_csv)], "no-such-area"),
                        (["import", str(tmp_path), "--workers", "-1"], "--workers")):
        assert main(args) == 2, args
        error = capsys.readouterr().err.strip()
        assert words in error and error.count("\n") == 0 and error.endswith("."), error
