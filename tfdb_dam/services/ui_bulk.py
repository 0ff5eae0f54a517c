"""The same metadata edit applied to many assets (bulk edit in the library and after an upload).

Each asset is edited by ``metadata.edit_metadata`` in its own transaction, under the same rules
as a single edit; one refusal does not undo the others, and each outcome is reported.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tfdb_dam.errors import TfdbError, ValidationError
from tfdb_dam.services import metadata
from tfdb_dam.services.actors import Actor
from tfdb_dam.services.context import Context


@dataclass(frozen=True)
class EditOutcome:
    id: int
    ok: bool
    changed: tuple[str, ...] = ()
    error: str | None = None


def edit_many(ctx: Context, actor: Actor, asset_ids: Sequence[int], changes: Mapping[str, Any],
              versions: Mapping[int, int] | None = None) -> list[EditOutcome]:
    """Apply ``changes`` to each asset; ``versions`` (id -> version seen) guards against lost updates."""
    if not changes:
        raise ValidationError("bulk.no_fields")
    versions = versions or {}
    outcomes = []
    for asset_id in dict.fromkeys(asset_ids):
        try:
            with ctx.db.begin() as session:
                result = metadata.edit_metadata(session, ctx, actor, asset_id, changes,
                                                expected_version=versions.get(asset_id))  # type: ignore[arg-type]
            outcomes.append(EditOutcome(asset_id, True, tuple(result.changed)))
        except TfdbError as exc:
            outcomes.append(EditOutcome(asset_id, False, error=str(exc)))
    return outcomes
