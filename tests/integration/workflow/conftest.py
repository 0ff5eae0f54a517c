"""Fixtures for workflow tests: the people of a small office."""

from __future__ import annotations

import io
import os

import pytest

from tests.integration.workflow.factory import People, make_people


@pytest.fixture
def people(ctx) -> People:  # noqa: ANN001
    with ctx.db.begin() as session:
        return make_people(session)


@pytest.fixture
def run_cli(cli_env, monkeypatch, capsys):  # noqa: ANN001, ANN201
    """`tfdb ARGS…` in this process (the same main() as the command; no interpreter start-up per call).

    Returns (exit code, stdout, stderr). Tests that need the real process use the ``tfdb`` fixture.
    """
    from tfdb_dam.cli import main

    for key in [k for k in os.environ if k.startswith("TFDB_") or k == "DATABASE_URL"]:
        monkeypatch.delenv(key)

    def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
        for key, value in cli_env.items():  # as the test left it (it may add settings)
            monkeypatch.setenv(key, value)
        if stdin is not None:
            monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run
