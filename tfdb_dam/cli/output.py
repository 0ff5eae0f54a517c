"""How the CLI prints: JSON for scripts, short lines for people."""

from __future__ import annotations

import datetime as dt
import enum
import json
import sys
from typing import Any

from tfdb_dam.config import load_config
from tfdb_dam.services.context import Context, open_context


def _default(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return str(value)


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, default=_default)


def emit_json(data: Any) -> None:
    sys.stdout.write(dumps(data) + "\n")
    sys.stdout.flush()


def say(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def warn(line: str) -> None:
    print(f"tfdb: {line}", file=sys.stderr, flush=True)


def context(pool_size: int = 5) -> Context:
    """Open the configured database and store for one command."""
    return open_context(load_config(), pool_size=pool_size)
