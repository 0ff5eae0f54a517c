"""The filters as the full-text leg hands them to PostgreSQL's planner: broad ones hidden from its
index choice, the public's status test left in sight for the published assets' GIN indexes."""

from __future__ import annotations

import math

from sqlalchemy import ColumnElement, and_, false, func
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import BinaryExpression, BindParameter, BooleanClauseList, ColumnClause

from tfdb_dam.db.models import Asset
from tfdb_dam.services.search_terms import TermStats
from tfdb_dam.services.visibility import PUBLIC_STATUSES

# Filters keeping at least this share of the records are checked on the candidates' rows rather
# than through their own indexes (see as_filters).
BROAD_FILTER_SHARE = 0.2
# The statuses of the one view whose documents have GIN indexes of their own: the public's
# (migration 0014, whose predicate names the same; test_search_plans checks that the public reads
# it). Not the journalists' (approved or published): with indexes for both views, PostgreSQL served
# some of the public's searches from the journalists' and ANDed the status index in (1M, p95 80 ms).
INDEXED_VIEW = frozenset(status.value for status in PUBLIC_STATUSES)


def as_filters(
    kept: float, conditions: list[ColumnElement[bool]], stats: TermStats
) -> list[ColumnElement[bool]]:
    """Conditions that keep much of the library, hidden from the planner's index choice: it
    otherwise ANDs the full-text bitmap with, say, the bitmap of every published asset (half a
    million entries at 1 M assets, 250 ms), where checking the few candidates' rows costs
    nothing. Selective filters keep their indexes. The status tests stay in sight (see
    status_tests). ``kept``: the records the filters keep, by the planner's estimate (kept_rows)."""
    if math.isinf(kept) or kept < BROAD_FILTER_SHARE * max(stats.rows, 1.0):
        return conditions
    return [*status_tests(conditions), func.coalesce(and_(*conditions), false())]


def status_tests(conditions: list[ColumnElement[bool]]) -> list[ColumnElement[bool]]:
    """The test of the status ANDed into ``conditions`` when it names exactly the statuses of
    INDEXED_VIEW: the public's rule, or a staff filter naming the same. In the planner's sight it
    lets it read that view's GIN indexes, whose lists hold only what such a search may find. Any
    other status test stays hidden: PostgreSQL would AND the full-text bitmap with the status
    index's."""
    pending = list(conditions)
    while pending:
        condition = pending.pop()
        if isinstance(condition, BooleanClauseList) and condition.operator is operators.and_:
            pending.extend(condition.clauses)
        elif _tests_status(condition) and _values(condition.right) == INDEXED_VIEW:
            return [condition]
    return []


def _tests_status(condition: ColumnElement[bool]) -> bool:
    return (
        isinstance(condition, BinaryExpression)
        and condition.operator in (operators.in_op, operators.eq)
        and isinstance(condition.left, ColumnClause)
        and condition.left.table is Asset.__table__
        and condition.left.name == "status"
    )


def _values(side: ColumnElement) -> frozenset[str] | None:
    """The status values a test's right side names (None: not bound values)."""
    if not isinstance(side, BindParameter):
        return None
    values = side.value if side.expanding else [side.value]
    return frozenset(getattr(value, "value", value) for value in values or [])
