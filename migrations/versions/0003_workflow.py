"""workflow schema: email outbox on notifications, rights-expiry marker, sign-in throttling, audit head

Revision ID: 0003
Revises: 0002
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("assets", sa.Column("rights_expiry_notified_on", sa.Date(), nullable=True))
    op.add_column("sign_in_attempts", sa.Column("throttled", sa.Boolean(), server_default="false",
                                                nullable=False))
    op.add_column("notifications", sa.Column("email_state", sa.String(length=10), server_default="none",
                                             nullable=False))
    op.add_column("notifications", sa.Column("email_attempts", sa.SmallInteger(), server_default="0",
                                             nullable=False))
    op.add_column("notifications", sa.Column("email_error", sa.Text(), nullable=True))
    op.add_column("notifications", sa.Column("email_retry_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "audit_head",
        sa.Column("id", sa.SmallInteger(), nullable=False),
        sa.Column("last_id", sa.BigInteger(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.Column("entries", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    _audit_head()
    _indexes()


def _audit_head() -> None:
    # Start the head at the newest entry already written (a database upgraded from 0002 has some).
    op.execute("""
        INSERT INTO audit_head (id, last_id, last_hash, entries)
        SELECT 1, coalesce(max(id), 0),
               coalesce((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), repeat('0', 64)),
               count(*)
        FROM audit_log;
        CREATE FUNCTION audit_head_forbid_delete() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'audit_head cannot be deleted';
        END $$;
        CREATE TRIGGER audit_head_keep BEFORE DELETE ON audit_head
            FOR EACH ROW EXECUTE FUNCTION audit_head_forbid_delete();
    """)


def _indexes() -> None:
    # Throttling counts recent failures per user and per address; the outbox and the expiry
    # sweep look at few rows of big tables.
    op.execute("""
        CREATE INDEX sx_sign_in_attempts_username_at ON sign_in_attempts (username, at);
        CREATE INDEX sx_sign_in_attempts_address_at ON sign_in_attempts (address, at);
        CREATE INDEX sx_notifications_email_pending ON notifications (email_retry_at)
            WHERE email_state = 'pending';
        CREATE INDEX sx_notifications_unread ON notifications (user_id, created_at) WHERE read_at IS NULL;
        CREATE INDEX sx_assets_rights_expiry ON assets (rights_expires_on)
            WHERE rights_expires_on IS NOT NULL AND status IN ('approved', 'published');
    """)


def downgrade() -> None:
    op.execute("""
        DROP INDEX IF EXISTS sx_assets_rights_expiry;
        DROP INDEX IF EXISTS sx_notifications_unread;
        DROP INDEX IF EXISTS sx_notifications_email_pending;
        DROP INDEX IF EXISTS sx_sign_in_attempts_address_at;
        DROP INDEX IF EXISTS sx_sign_in_attempts_username_at;
    """)
    op.drop_table("audit_head")
    op.execute("DROP FUNCTION IF EXISTS audit_head_forbid_delete()")
    op.drop_column("notifications", "email_retry_at")
    op.drop_column("notifications", "email_error")
    op.drop_column("notifications", "email_attempts")
    op.drop_column("notifications", "email_state")
    op.drop_column("sign_in_attempts", "throttled")
    op.drop_column("assets", "rights_expiry_notified_on")
