"""Fixtures for the sharing tests: an API client over a real app, keys, assets in every status.

Read-only tests share one database per module (``module_ctx``); a fresh database per test costs
seconds on this machine, and these tests only look.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator

import psycopg
import pytest
from fastapi.testclient import TestClient

from tests.conftest import _config
from tests.integration.sharing.factory import make_asset
from tfdb_dam.api.app import create_app
from tfdb_dam.db.models import AssetStatus
from tfdb_dam.services import apikeys
from tfdb_dam.services.actors import SYSTEM
from tfdb_dam.services.context import Context, open_context
from tfdb_dam.services.visibility import office_today

_names = itertools.count()


def new_database(pg_admin_url: str, template: str, home) -> tuple[Context, str]:  # noqa: ANN001
    """A fresh migrated database (a copy of the template) and a Context on it with ``home`` as data root."""
    name = f"sharing_{next(_names)}_{dt.datetime.now():%H%M%S%f}"
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    home.mkdir(parents=True, exist_ok=True)
    return open_context(_config(pg_admin_url, name, home)), name


def drop_database(pg_admin_url: str, ctx: Context, name: str) -> None:
    ctx.close()
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="module")
def module_ctx(pg_admin_url, template_database, tmp_path_factory) -> Iterator[Context]:  # noqa: ANN001
    ctx, name = new_database(pg_admin_url, template_database, tmp_path_factory.mktemp("module-home"))
    yield ctx
    drop_database(pg_admin_url, ctx, name)


def client_for(ctx: Context, rate_limit: int = 100_000) -> TestClient:
    ctx.config = ctx.config.replace(tfdb_api_rate_limit=rate_limit)
    return TestClient(create_app(ctx))


@pytest.fixture
def api(ctx) -> Iterator[TestClient]:  # noqa: ANN001
    """A TestClient over a real app on this test's database (rate limit raised out of the way)."""
    with client_for(ctx) as client:
        yield client


def issue(ctx: Context, *scopes: str, name: str = "Cổng thông tin điện tử tỉnh") -> apikeys.IssuedKey:
    with ctx.db.begin() as session:
        return apikeys.create_key(session, SYSTEM, name, list(scopes) or None)


def assets_in_every_status(ctx: Context) -> dict[str, int]:
    """One asset in each status, a published one whose rights ended yesterday and one ending today."""
    ids = {
        status.value: make_asset(ctx, status=status, title_en=f"Asset {status.value}")
        for status in AssetStatus
    }
    ids["expired"] = make_asset(
        ctx,
        status=AssetStatus.published,
        title_en="Asset expired",
        rights_expires_on=office_today() - dt.timedelta(days=1),
    )
    ids["expires_today"] = make_asset(
        ctx, status=AssetStatus.published, title_en="Asset expires today", rights_expires_on=office_today()
    )
    return ids
