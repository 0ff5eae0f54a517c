"""the documents indexed again in four slices of the library, read in turn until enough match

Revision ID: 0015
Revises: 0014

The full-text leg scores at most CANDIDATE_CAP (1 000) records, but a GIN bitmap scan cannot stop
early: for two common place names ("Phong Điền", 80 000 of a million records) it read both long
lists and built and sorted a bitmap of every match before handing over the first 1 000, ~25 ms.
Partial GIN indexes over disjoint slices of the records (by id: an eighth, an eighth, a quarter,
a half) let the leg read the slices in that order under one LIMIT, and PostgreSQL starts no slice
once the limit is met: such a search reads an eighth of the lists. Slices growing in size keep a
search whose matches are fewer than the cap to four scans in all. Ids are handed out in sequence,
so each slice holds its share of every year's records. Published assets' documents, indexed apart
for the public (0014), are sliced the same way.

1 M assets, 150 searches, same queries alternating in one process: full-text leg p95 38.9 ->
26.9 ms unfiltered (p50 23.9 -> 16.3), 34.9 -> 28.2 for the public. The whole-library indexes
stay: rare words, words checked on a small filter's rows and the scoring of every match
(bench/search_cap.py) read them in one scan.
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

# tfdb_dam/services/search_lexical_recall.py SLICES holds the same tests, in the order they are read.
_SLICES = ("(id % 8) = 0", "(id % 8) = 1", "(id % 8) BETWEEN 2 AND 3", "(id % 8) >= 4")
_PUBLISHED = "status = 'published'"


def _indexes() -> dict[str, str]:
    """Index name -> the statement that builds it."""
    found = {}
    for number, test in enumerate(_SLICES):
        found[f"sx_assets_slice{number}_folded"] = f"USING gin (search_folded) WHERE {test}"
        found[f"sx_assets_published_slice{number}_folded"] = (
            f"USING gin (search_folded) WHERE {_PUBLISHED} AND {test}"
        )
    return found


def upgrade() -> None:
    for name, definition in _indexes().items():
        op.execute(f"CREATE INDEX {name} ON assets {definition}")


def downgrade() -> None:
    for name in _indexes():
        op.execute(f"DROP INDEX IF EXISTS {name}")
