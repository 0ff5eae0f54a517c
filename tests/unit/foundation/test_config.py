"""Settings: declared once, validated with one sentence, documented in the README."""

from __future__ import annotations

import re

import pytest

from tfdb_dam.config import PROJECT_ROOT, SETTINGS, load_config, settings_table_markdown
from tfdb_dam.errors import ConfigError


def test_defaults_load_and_data_root_is_storage_in_the_checkout(tmp_path):
    config = load_config(env={}, secrets_path=tmp_path / "none.toml")
    assert config.home == PROJECT_ROOT / "storage"
    assert config.max_upload_bytes == 500 * 1024 * 1024
    assert config.database_url == ""
    assert config.worker_count >= 1


def test_environment_overrides_secrets_file_which_overrides_defaults(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('TFDB_MAX_UPLOAD_MB = 7\nTFDB_LANGUAGE = "en"\n', encoding="utf-8")
    config = load_config(env={"TFDB_MAX_UPLOAD_MB": "9"}, secrets_path=secrets)
    assert config.tfdb_max_upload_mb == 9
    assert config.tfdb_language == "en"


@pytest.mark.parametrize("name, value, fragment", [
    ("TFDB_MAX_UPLOAD_MB", "lots", "TFDB_MAX_UPLOAD_MB"),
    ("TFDB_MAX_UPLOAD_MB", "0", "above zero"),
    ("TFDB_LANGUAGE", "fr", "vi or en"),
    ("DATABASE_URL", "mysql://x", "postgresql://"),
    ("TFDB_SMTP_STARTTLS", "maybe", "true or false"),
    ("TFDB_SESSION_HOURS", "48", "at most 24"),
])
def test_invalid_values_are_refused_in_one_sentence(tmp_path, name, value, fragment):
    with pytest.raises(ConfigError) as info:
        load_config(env={name: value}, secrets_path=tmp_path / "none.toml")
    message = str(info.value)
    assert fragment in message
    assert message.endswith(".") and "\n" not in message


def test_broken_secrets_file_is_one_sentence(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text("TFDB_LANGUAGE = \n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(env={}, secrets_path=secrets)


def test_readme_settings_table_matches_the_code():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert settings_table_markdown() in readme, "Regenerate the README table with config.settings_table_markdown()"
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", readme, flags=re.M))
    assert documented == {s.name for s in SETTINGS}


def test_every_setting_has_help_and_parses_its_default():
    for setting in SETTINGS:
        assert setting.help.strip().endswith((".", ")")), setting.name
        setting.parse(setting.default)


def test_cli_command_table_names_what_each_module_registers():
    from tfdb_dam.cli import COMMANDS, build_parser

    parser = build_parser(everything=True)
    registered = set(parser._subparsers._group_actions[0].choices)  # argparse keeps them here
    assert registered == {name for names in COMMANDS.values() for name in names}
    for module, names in COMMANDS.items():
        for name in names:
            sub = build_parser([name])._subparsers._group_actions[0].choices
            assert name in sub, f"{name} should come from {module}"
