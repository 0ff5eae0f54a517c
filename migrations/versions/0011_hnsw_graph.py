"""the HNSW graphs are built with a wider beam

Revision ID: 0011
Revises: 0010

A search walks the graph with a beam of ``hnsw.ef_search`` candidates, and its cost grows with the
beam; a graph built with a wider beam of its own (``ef_construction``) reaches the same recall
with a narrower search beam. At a million assets (bench/results/search-bench-1000000.md), built
with ef_construction 128 instead of pgvector's default 64, recall@10 0.963 needs a beam of 96
instead of 128, and the walk's median time falls from 8.7 to 6.6 ms. The build takes twice as
long: about 22 minutes at a million assets on two cores.

Each index is built anew under another name and then takes the old one's place, all in the
migration's transaction: searches keep reading the old index during the build (CREATE INDEX
only blocks writes), and a crash leaves the old one as it was. Indexes already built this way
(``tfdb reindex`` and new dimensions use the same options) are left alone.

These numbers are written here rather than read from the code, which may change them later:
services/indexing_vectors.py's HNSW_OPTIONS must stay equal to them (a test compares them).
"""

from __future__ import annotations

import re

from alembic import op
from sqlalchemy import text

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

OPTIONS = {"m": "16", "ef_construction": "128"}


def _indexes() -> list[tuple[str, int, dict[str, str]]]:
    """The halfvec HNSW indexes of embeddings: name, dimension, options."""
    rows = (
        op.get_bind()
        .execute(
            text(
                "SELECT c.relname, c.reloptions FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "WHERE i.indrelid = 'embeddings'::regclass AND c.relname LIKE 'sx\\_embeddings\\_halfvec\\_%'"
            )
        )
        .all()
    )
    found = []
    for name, options in rows:
        if match := re.fullmatch(r"sx_embeddings_halfvec_(\d+)", name):
            pairs = dict(option.split("=", 1) for option in options or [])
            found.append((name, int(match.group(1)), pairs))
    return found


def _rebuild(name: str, dimension: int, options: dict[str, str]) -> None:
    spelled = ", ".join(f"{key} = {int(value)}" for key, value in options.items())
    with_clause = f"WITH ({spelled}) " if options else ""
    op.execute(
        f"CREATE INDEX {name}_rebuilt ON embeddings USING hnsw ((vector::halfvec({dimension})) "
        f"halfvec_cosine_ops) {with_clause}WHERE dimension = {dimension}"
    )
    op.execute(f"DROP INDEX {name}")
    op.execute(f"ALTER INDEX {name}_rebuilt RENAME TO {name}")


def upgrade() -> None:
    # Built in memory up to this much (a million 384-d vectors need about 1.2 GB); beyond it the
    # build slows down many times over. Only this transaction is affected.
    op.execute("SET LOCAL maintenance_work_mem = '1GB'")
    for name, dimension, options in _indexes():
        if options != OPTIONS:
            _rebuild(name, dimension, OPTIONS)


def downgrade() -> None:
    op.execute("SET LOCAL maintenance_work_mem = '1GB'")
    for name, dimension, options in _indexes():
        if options:
            _rebuild(name, dimension, {})
