"""a version number for the thesaurus, kept by triggers

Revision ID: 0013
Revises: 0012

Every search checks whether the thesaurus it expands queries with is still current. It did so by
having PostgreSQL hash all the admins' terms and category labels (~1.4 ms a search with 7
categories and no terms, and growing with both). A counter raised by statement triggers on
``thesaurus_terms`` and ``categories`` is one row read instead. It is raised inside the changing
transaction, so a search never sees the new number before the new rows.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_TABLES = ("thesaurus_terms", "categories")


def upgrade() -> None:
    op.create_table(
        "search_versions",
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_search_versions")),
    )
    op.execute("INSERT INTO search_versions (name, version) VALUES ('thesaurus', 1)")
    # An upsert, so that a counter row deleted by hand comes back instead of failing every edit.
    op.execute(
        "CREATE FUNCTION tfdb_thesaurus_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "INSERT INTO search_versions (name, version) VALUES ('thesaurus', 1) "
        "ON CONFLICT (name) DO UPDATE SET version = search_versions.version + 1; "
        "RETURN NULL; END $$"
    )
    for table in _TABLES:
        op.execute(
            f"CREATE TRIGGER tr_{table}_thesaurus_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION tfdb_thesaurus_changed()"
        )


def downgrade() -> None:
    for table in _TABLES:
        op.execute(f"DROP TRIGGER tr_{table}_thesaurus_version ON {table}")
    op.execute("DROP FUNCTION tfdb_thesaurus_changed()")
    op.drop_table("search_versions")
