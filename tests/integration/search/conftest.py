"""Search test fixtures: the encoder loaded once per test run, and one database per test module
for the tests that only read (search never writes), so a library is indexed once per module."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import psycopg
import pytest

from tests.conftest import _config
from tfdb_dam.services.context import Context, open_context

_modules = itertools.count()


@pytest.fixture(scope="session")
def encoder():  # noqa: ANN201
    """The default model, loaded once for every search test."""
    from tfdb_dam.embeddings import load_encoder

    return load_encoder()


@pytest.fixture
def sctx(ctx: Context, encoder) -> Context:  # noqa: ANN001
    """The test's own Context (fresh database) with the session's encoder already in it."""
    ctx._encoder = encoder
    return ctx


@pytest.fixture(scope="module")
def module_ctx(pg_admin_url: str, template_database: str, tmp_path_factory, encoder) -> Iterator[Context]:  # noqa: ANN001
    """A Context on a database shared by the tests of one module (they must only read)."""
    name = f"s_{os.getpid()}_{next(_modules)}"
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {template_database} STRATEGY FILE_COPY")
    home = tmp_path_factory.mktemp("search-home")
    context = open_context(_config(pg_admin_url, name, home))
    context._encoder = encoder
    yield context
    context.close()
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
