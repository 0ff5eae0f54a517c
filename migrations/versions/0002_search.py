"""search schema

Revision ID: 0002
Revises: 0001

The folding function, the two full-text documents of an asset and their GIN indexes, the
vocabulary for spelling tolerance (trigram index), and the HNSW index for the default model's
384-dimensional vectors. Indexes named sx_* are declared here only (see migrations/env.py);
``tfdb reindex`` adds the HNSW index of another dimension when a model of that size is configured.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from tfdb_dam.search.text import FOLD_SQL_FUNCTION

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

DEFAULT_DIMENSION = 384


def upgrade() -> None:
    op.execute(FOLD_SQL_FUNCTION)
    op.add_column("assets", sa.Column("search_folded", postgresql.TSVECTOR(), nullable=True))
    op.add_column("assets", sa.Column("search_exact", postgresql.TSVECTOR(), nullable=True))
    op.create_table(
        "search_terms",
        sa.Column("term", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("term", name=op.f("pk_search_terms")),
    )
    op.execute("CREATE INDEX sx_assets_search_folded ON assets USING gin (search_folded)")
    op.execute("CREATE INDEX sx_assets_search_exact ON assets USING gin (search_exact)")
    op.execute("CREATE INDEX sx_search_terms_trgm ON search_terms USING gin (term gin_trgm_ops)")
    op.execute(
        f"CREATE INDEX sx_embeddings_hnsw_{DEFAULT_DIMENSION} ON embeddings USING hnsw "
        f"((vector::vector({DEFAULT_DIMENSION})) vector_cosine_ops) WHERE dimension = {DEFAULT_DIMENSION}"
    )


def downgrade() -> None:
    op.execute(f"DROP INDEX IF EXISTS sx_embeddings_hnsw_{DEFAULT_DIMENSION}")
    op.execute("DROP INDEX IF EXISTS sx_search_terms_trgm")
    op.execute("DROP INDEX IF EXISTS sx_assets_search_exact")
    op.execute("DROP INDEX IF EXISTS sx_assets_search_folded")
    op.drop_table("search_terms")
    op.drop_column("assets", "search_exact")
    op.drop_column("assets", "search_folded")
    op.execute("DROP FUNCTION IF EXISTS tfdb_fold(text)")
