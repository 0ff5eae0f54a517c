"""The sharing commands, run as the real `tfdb` program: apikey create/list/revoke, export, import-zip."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import zipfile

from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.conftest import REPO
from tests.integration.sharing.factory import make_asset, make_user
from tfdb_dam.api.app import create_app
from tfdb_dam.db.models import Asset, AssetStatus, Role
from tfdb_dam.jobs.worker import run_worker


def test_apikey_commands(tfdb, ctx):
    created = tfdb(
        "apikey",
        "create",
        "Cổng thông tin điện tử tỉnh",
        "--scope",
        "read:approved",
        "--scope",
        "download:original",
        "--json",
    )
    assert created.returncode == 0, created.stderr
    key = json.loads(created.stdout)
    assert key["key"].startswith(f"tfdb_{key['prefix']}_") and key["scopes"] == [
        "read:approved",
        "download:original",
    ]
    approved = make_asset(ctx, status=AssetStatus.approved)
    with TestClient(create_app(ctx)) as api:
        assert api.get(f"/api/v1/assets/{approved}", headers={"X-API-Key": key["key"]}).status_code == 200
        assert tfdb("apikey", "revoke", str(key["id"])).returncode == 0
        assert api.get(f"/api/v1/assets/{approved}", headers={"X-API-Key": key["key"]}).status_code == 401
    listed = tfdb("apikey", "list", "--json")
    # The secret is never shown again. It is all that follows the prefix: token_urlsafe may put
    # "_" inside it, so split("_") could leave a fragment as short as one character.
    secret = key["key"].removeprefix(f"tfdb_{key['prefix']}_")
    assert len(secret) >= 40 and secret not in listed.stdout
    assert [(k["name"], k["active"]) for k in json.loads(listed.stdout)] == [
        ("Cổng thông tin điện tử tỉnh", False)
    ]
    bad_scope = tfdb("apikey", "create", "x", "--scope", "write:all")
    assert bad_scope.returncode == 2 and "Traceback" not in bad_scope.stderr
    missing = tfdb("apikey", "revoke", "999")
    assert (
        missing.returncode == 1
        and missing.stderr.strip() == "tfdb: There is no API key 999; `tfdb apikey list` shows them."
    )


def test_export_and_import_zip_commands(tfdb, cli_env, ctx, tmp_path):
    make_user(ctx, "nhap-lieu", Role.contributor)
    make_asset(ctx, title_vi="Chùa Thiên Mụ", title_en="Thien Mu pagoda")
    make_asset(ctx, status=AssetStatus.draft, title_vi="Chùa Thiên Mụ (nháp)", title_en="Thien Mu draft")
    out = tmp_path / "thien-mu.zip"
    exported = tfdb("export", "--query", "thien mu", "--output", str(out), "--public", "--json")
    assert exported.returncode == 0, exported.stderr
    assert json.loads(exported.stdout)["previews"] == 1
    with zipfile.ZipFile(out) as archive:
        assert sum(n.startswith("files/") for n in archive.namelist()) == 1
    # --workers 0: the command relies on running workers, played here by one in this process.
    command = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tfdb_dam",
            "import-zip",
            str(out),
            "--by",
            "nhap-lieu",
            "--workers",
            "0",
            "--json",
        ],
        env=cli_env,
        cwd=REPO,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while command.poll() is None and time.monotonic() < deadline:
        run_worker(ctx, wait=False)
        time.sleep(0.3)
    stdout, stderr = command.communicate(timeout=30)
    assert command.returncode == 0, stderr
    (outcome,) = json.loads(stdout)
    assert outcome["status"] == "imported"
    with ctx.db.begin() as session:
        asset = session.get(Asset, outcome["asset_id"])
        assert (asset.title_vi, asset.status, asset.credit) == (
            "Chùa Thiên Mụ",
            AssetStatus.draft,
            "Nguyễn Thị Hường",
        )
        assert asset.original_filename.endswith("-preview.jpg") and asset.width == 48
        assert len(session.execute(select(Asset.id)).all()) == 3
