"""collection shares

Revision ID: 0007
Revises: 0006

A collection may be shared with named colleagues (each view-only or allowed to edit its assets),
besides the existing "shared with everyone" flag.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "collection_shares",
        sa.Column("collection_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("can_edit", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("shared_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["collection_id"], ["collections.id"],
            name=op.f("fk_collection_shares_collection_id_collections"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_collection_shares_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("collection_id", "user_id", name=op.f("pk_collection_shares")),
    )
    op.create_index(op.f("ix_collection_shares_user_id"), "collection_shares", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_collection_shares_user_id"), table_name="collection_shares")
    op.drop_table("collection_shares")
