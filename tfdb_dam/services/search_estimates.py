"""What the planner expects a search's filters to keep, asked once per transaction: both legs
choose their way of searching by it (the vector leg an exact sort below ~17 000 assets kept,
the full-text leg whether to check the words on the filters' rows)."""

from __future__ import annotations

import json
import math

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ClauseElement, True_
from sqlalchemy.sql.expression import Executable
from sqlalchemy.sql.visitors import InternalTraversal

from tfdb_dam.db.models import Asset


class _Explain(Executable, ClauseElement):
    """EXPLAIN of a statement, its parameters bound as SQLAlchemy binds them (compiled once per
    shape of the statement, like the statement itself)."""

    inherit_cache = True
    _traverse_internals = [("statement", InternalTraversal.dp_clauseelement)]

    def __init__(self, statement: Select):
        self.statement = statement

    @property
    def _all_selected_columns(self) -> list:
        """None of the statement's columns: the plan is one column, read by position."""
        return []


@compiles(_Explain, "postgresql")
def _compile_explain(element: _Explain, compiler, **kw) -> str:  # noqa: ANN001
    return "EXPLAIN (FORMAT JSON) " + compiler.process(element.statement, **kw)


_KEPT = "tfdb_kept_rows"  # session.info: the estimates made in this transaction


def kept_rows(session: Session, conditions: list[ColumnElement[bool]]) -> float:
    """How many assets ``conditions`` keep, by the planner's estimate (a millisecond; no rows
    are read); infinity when nothing is filtered out. Asked once per transaction for the same
    conditions: the full-text and the vector legs both need it."""
    if unfiltered(conditions):
        return math.inf
    known = session.info.setdefault(_KEPT, [])
    for asked, rows in known:
        if len(asked) == len(conditions) and all(a is b for a, b in zip(asked, conditions)):
            return rows
    plan = session.execute(_Explain(select(Asset.id).where(*conditions))).scalar()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    rows = float(plan[0]["Plan"]["Plan Rows"])
    known.append((tuple(conditions), rows))  # holding the conditions keeps their ids unique
    return rows


def unfiltered(conditions: list[ColumnElement[bool]]) -> bool:
    """Whether ``conditions`` keep every asset (the operator's view with no filter set)."""
    return all(isinstance(condition, True_) for condition in conditions)
