"""search speed

Revision ID: 0006
Revises: 0005

Search at a million assets (bench/bench_search.py):
- the HNSW indexes hold half-precision vectors (halfvec): half the memory of `vector`, the same
  recall; each is renamed sx_embeddings_halfvec_<d> so that code looking for the new index never
  mistakes an old one for it;
- the folded source unit and credit (what the facet filters compare) and the capture time get
  indexes: with a selective filter, the planner then finds the few rows it keeps and sorts their
  vectors exactly, instead of walking the HNSW graph past thousands of rejected neighbours; the
  creation time too, so that browsing (no words, newest first) reads one page, not a sort;
- tfdb_fold names unaccent with its schema, as an expression index on it requires.
"""

from __future__ import annotations

import re

from alembic import op
from sqlalchemy import text

from tfdb_dam.search.text import fold_sql_function

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

DEFAULT_DIMENSION = 384
FILTER_INDEXES = {
    "sx_assets_source_unit_folded": (
        "CREATE INDEX sx_assets_source_unit_folded ON assets (tfdb_fold(source_unit))"
    ),
    "sx_assets_credit_folded": "CREATE INDEX sx_assets_credit_folded ON assets (tfdb_fold(credit))",
    # Also the browse orders (services.search._ORDER): newest/oldest first, by capture date.
    "sx_assets_created": "CREATE INDEX sx_assets_created ON assets (created_at, id)",
    "sx_assets_captured": "CREATE INDEX sx_assets_captured ON assets (captured_at DESC NULLS LAST, id DESC)",
}


def _dimensions(prefix: str) -> set[int]:
    names = op.get_bind().execute(
        text("SELECT indexname FROM pg_indexes WHERE tablename = 'embeddings' AND indexname LIKE :p"),
        {"p": prefix.replace("_", r"\_") + "%"},
    ).scalars()
    return {int(m.group(1)) for name in names if (m := re.fullmatch(re.escape(prefix) + r"(\d+)", name))}


def _hnsw(dimension: int, kind: str) -> str:
    name = f"sx_embeddings_{'halfvec' if kind == 'halfvec' else 'hnsw'}_{dimension}"
    return (
        f"CREATE INDEX {name} ON embeddings USING hnsw ((vector::{kind}({dimension})) {kind}_cosine_ops) "
        f"WHERE dimension = {dimension}"
    )


def upgrade() -> None:
    schema = op.get_bind().execute(
        text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'unaccent'"
        )
    ).scalar_one()
    op.execute(fold_sql_function(schema))
    # The graph is built in memory up to this much (allocated as it grows); beyond it the build
    # slows down many times over. Only this transaction is affected.
    op.execute("SET LOCAL maintenance_work_mem = '1GB'")
    for dimension in sorted(_dimensions("sx_embeddings_hnsw_") | {DEFAULT_DIMENSION}):
        op.execute(f"DROP INDEX IF EXISTS sx_embeddings_hnsw_{dimension}")
        op.execute(_hnsw(dimension, "halfvec"))
    for ddl in FILTER_INDEXES.values():
        op.execute(ddl)
    op.execute("ANALYZE assets")  # statistics of the folded expressions, for the planner's estimates


def downgrade() -> None:
    for name in FILTER_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    for dimension in sorted(_dimensions("sx_embeddings_halfvec_") | {DEFAULT_DIMENSION}):
        op.execute(f"DROP INDEX IF EXISTS sx_embeddings_halfvec_{dimension}")
        if dimension <= 2000:  # `vector` indexes stop there
            op.execute(_hnsw(dimension, "vector"))
