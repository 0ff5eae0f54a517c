"""the full-text documents stay in the asset's row

Revision ID: 0010
Revises: 0009

A row of ``assets`` is about 2.3 kB, over PostgreSQL's 2 kB threshold, so the toaster moved its
largest value out of line: the accented document (``search_exact``) of 96 % of the assets. The
full-text leg reads both documents of up to a thousand candidates per query, and each out-of-line
read costs three extra page reads and a detoast: at a million assets the ranking SQL of queries
with accented words took 36 ms on average (median 43 ms) against 30 ms (33 ms) with both
documents in the row. MAIN storage keeps them in the row (compressed if need be, out of line only
when nothing else can go); the descriptions and extracted text, read for the 20-60 hits shown,
go out instead. Rows written before keep their layout until rewritten, hence the CLUSTER (by
primary key; a rewrite like VACUUM FULL that can run inside the migration's transaction; at a
million assets about three minutes, with the table locked).
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "ALTER TABLE assets ALTER COLUMN search_folded SET STORAGE MAIN, "
        "ALTER COLUMN search_exact SET STORAGE MAIN"
    )
    op.execute("CLUSTER assets USING pk_assets")
    op.execute("ANALYZE assets")


def downgrade() -> None:
    op.execute(
        "ALTER TABLE assets ALTER COLUMN search_folded SET STORAGE EXTENDED, "
        "ALTER COLUMN search_exact SET STORAGE EXTENDED"
    )
