"""an agency's material in one subject, found from the index alone

Revision ID: 0012
Revises: 0011

Migration 0009's index on (agency, subject) finds an agency's records in one subject, but every
match was then read from the table only to learn its id, the key to its vectors and words: at a
million assets, 7 229 matches meant 7 159 table pages and ~20 ms of a selective vector search's
~75. Carrying the id (and the agency as written, which PostgreSQL needs at hand before it answers
an expression's match from the index) lets it answer from the index alone, for the pages the
visibility map marks all-visible, which autovacuum keeps so on a live server: 2 ms instead of 20
(bench/results/search-bench-1000000.md).

Built under another name and swapped in within the migration's transaction, as 0011 does.
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_COLUMNS = "(tfdb_fold(source_unit), category_id)"


def _replace(include: str) -> None:
    op.execute(f"CREATE INDEX sx_assets_unit_category_new ON assets {_COLUMNS}{include}")
    op.execute("DROP INDEX sx_assets_unit_category")
    op.execute("ALTER INDEX sx_assets_unit_category_new RENAME TO sx_assets_unit_category")
    # The planner's statistics of tfdb_fold(source_unit) belong to the index (see 0009).
    op.execute("ANALYZE assets")


def upgrade() -> None:
    _replace(" INCLUDE (source_unit, id)")


def downgrade() -> None:
    _replace("")
