"""ingest schema

Revision ID: 0004
Revises: 0003

A partial index for the assets still waiting for processing: crash recovery (ingest_process.
requeue_orphans) and waiting imports look them up, and they are few among many.
"""
from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX sx_assets_pending ON assets (id) WHERE processing = 'pending'")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS sx_assets_pending")
