"""Fixtures for the app's own query services: an office of four users and an asset factory."""

from __future__ import annotations

import pytest

from tests.integration.ui_queries.factory import insert_asset, make_users
from tfdb_dam.services import users
from tfdb_dam.services.actors import Actor


@pytest.fixture(scope="session")
def password_hash() -> str:
    return users.hash_password("correct horse battery")


@pytest.fixture
def office(ctx, password_hash: str) -> dict[str, Actor]:  # noqa: ANN001
    return make_users(ctx, password_hash)


@pytest.fixture
def asset(ctx, office):  # noqa: ANN001, ANN201
    def make(title_vi: str, title_en: str = "", *, owner: str = "contributor", **fields: object) -> int:
        return insert_asset(ctx, office[owner], title_vi, title_en or title_vi, **fields)

    return make
