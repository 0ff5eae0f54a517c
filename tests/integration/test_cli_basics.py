"""The `tfdb` command's contract: exit codes, one-sentence errors, --json everywhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import REPO


def test_usage_error_exits_2_with_one_sentence(tfdb):
    result = tfdb("user", "add", "x")
    assert result.returncode == 2
    assert "--role" in result.stderr and "Traceback" not in result.stderr


def test_user_add_reads_password_from_stdin_and_lists(tfdb):
    assert tfdb("init", "--no-admin").returncode == 0
    added = tfdb("user", "add", "lan", "--role", "contributor", "--password-stdin", "--json",
                 input="a long enough secret\n")
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout) == {"id": 1, "username": "lan", "role": "contributor"}
    listed = json.loads(tfdb("user", "list", "--json").stdout)
    assert [u["username"] for u in listed] == ["lan"]


def test_duplicate_user_and_short_password_are_refused_in_one_sentence(tfdb):
    tfdb("init", "--no-admin")
    tfdb("user", "add", "lan", "--role", "viewer", "--password-stdin", input="a long enough secret\n")
    dup = tfdb("user", "add", "LAN", "--role", "viewer", "--password-stdin", input="another long secret\n")
    assert dup.returncode == 1 and "already taken" in dup.stderr
    short = tfdb("user", "add", "minh", "--role", "viewer", "--password-stdin", input="short\n")
    assert short.returncode == 1 and "at least 10 characters" in short.stderr
    assert short.stderr.count("\n") == 1


def test_unknown_asset_is_not_found(tfdb):
    tfdb("init")
    result = tfdb("show", "999", "--json")
    assert result.returncode == 1 and "no asset 999" in result.stderr


def test_unreachable_database_is_a_configuration_error(tmp_path):
    env = dict(os.environ, DATABASE_URL=f"postgresql://nobody@/tfdb?host={tmp_path}", TFDB_HOME=str(tmp_path))
    result = subprocess.run([sys.executable, "-m", "tfdb_dam", "init"], env=env, cwd=REPO,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith("tfdb: Cannot connect to the server in DATABASE_URL")
    assert "Traceback" not in result.stderr


def test_bad_setting_is_a_configuration_error(tmp_path):
    env = dict(os.environ, TFDB_MAX_UPLOAD_MB="huge", TFDB_HOME=str(tmp_path))
    result = subprocess.run([sys.executable, "-m", "tfdb_dam", "verify"], env=env, cwd=REPO,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "TFDB_MAX_UPLOAD_MB" in result.stderr
