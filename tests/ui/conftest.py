"""AppTest fixtures: the app's cached Context pointed at this test's database, users of every role,
and ``open_page`` to run one page as one of them (AppTest starts from app.py, as Streamlit's own
guidance asks for a ``pages/`` app, then switches to the page)."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from PIL import Image
from streamlit.testing.v1 import AppTest

from tfdb_dam.db.models import Asset, AssetKind, AssetStatus, ProcessingState, Rendition, Role, User
from tfdb_dam.services import users
from tfdb_dam.services.actors import Actor
from tfdb_dam.services.indexing import refresh_documents

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"
ROLES = ("admin", "approver", "contributor", "viewer")


@pytest.fixture
def app_env(config, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:  # noqa: ANN001
    """Point the app's settings (read from the environment) at this test's database and data root."""
    import os

    for name in list(os.environ):
        if name.startswith("TFDB_") or name == "DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.setenv("DATABASE_URL", config.database_url)
    monkeypatch.setenv("TFDB_HOME", str(config.home))
    monkeypatch.setenv("TFDB_EMBEDDING_MODEL", config.tfdb_embedding_model)
    yield
    from tfdb_dam.ui import bootstrap

    bootstrap.close_cached_contexts()
    st.cache_resource.clear()


@pytest.fixture(scope="session")
def password_hash() -> str:
    return users.hash_password(PASSWORD)  # bcrypt is slow on purpose: hash once per run


@pytest.fixture
def accounts(ctx, password_hash: str) -> dict[str, Actor]:  # noqa: ANN001
    """One active user per role (user name = role name), all with PASSWORD."""
    made = {}
    with ctx.db.begin() as session:
        for role in ROLES:
            user = User(username=role, role=Role(role), password_hash=password_hash,
                        display_name=role.title(), source_unit="Sở Ngoại vụ")
            session.add(user)
            session.flush()
            made[role] = Actor(user.id, user.username, user.role)
    return made


@pytest.fixture
def open_page(app_env, accounts) -> Callable[..., AppTest]:  # noqa: ANN001
    def run(script: str, as_role: str | None = None, *, query: dict[str, str] | None = None,
            lang: str = "vi", timeout: float = 60) -> AppTest:
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=timeout)
        if as_role is not None:
            at.session_state["auth_user"] = as_role
        at.session_state["ui_lang"] = lang
        if script != "app.py":
            at.switch_page(script)
        for name, value in (query or {}).items():
            at.query_params[name] = value
        return at.run()

    return run


def jpeg_bytes(colour: tuple[int, int, int], size: tuple[int, int] = (640, 480)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


@pytest.fixture
def make_asset(ctx, accounts):  # noqa: ANN001, ANN201
    """Insert a ready photo asset with thumb and preview renditions in the store (test data,
    as ingest would leave it), indexed for full-text search. Returns its id."""
    counter = iter(range(1, 10_000))

    def make(title_vi: str, title_en: str, *, status: str = "draft", owner: str = "contributor",
             credit: str | None = "Lê Hoa", gps: tuple[float, float] | None = None, **fields: object) -> int:
        n = next(counter)
        # Bytes after the JPEG's end marker keep each file (and so its content address) unique.
        data = jpeg_bytes(((n * 40) % 255, 90, 160)) + f"{n} {title_vi}".encode()
        sha = hashlib.sha256(data).hexdigest()
        owner_id = accounts[owner].user_id
        with ctx.db.begin() as session:
            asset = Asset(kind=AssetKind.photo, status=AssetStatus(status), processing=ProcessingState.ready,
                          sha256=sha, size_bytes=len(data), mime_type="image/jpeg", ext="jpg",
                          original_filename=f"photo-{n}.jpg", width=640, height=480, title_vi=title_vi,
                          title_en=title_en, credit=credit, license="CC-BY-4.0", created_by_id=owner_id,
                          submitted_by_id=owner_id if status != "draft" else None,
                          gps_lat=gps[0] if gps else None, gps_lon=gps[1] if gps else None,
                          exif={"Make": "Canon", "Model": "EOS 5D"}, **fields)
            session.add(asset)
            session.flush()
            ctx.store.original_path(sha, "jpg").parent.mkdir(parents=True, exist_ok=True)
            ctx.store.original_path(sha, "jpg").write_bytes(data)
            for name, box in (("thumb", (320, 240)), ("preview", (640, 480))):
                ctx.store.write_rendition(sha, name, jpeg_bytes(((n * 40) % 255, 90, 160), box))
                session.add(Rendition(asset_id=asset.id, name=name, width=box[0], height=box[1], size_bytes=1000))
            refresh_documents(session, [asset.id])
            return asset.id

    return make
