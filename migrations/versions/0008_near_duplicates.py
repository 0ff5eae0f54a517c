"""near-duplicate lookup by index

Revision ID: 0008
Revises: 0007

The near-duplicate check compared each new photo's perceptual hash with every stored one: a scan
of the whole library per job, which grows with it. The 64-bit hash is cut into four 16-bit bands;
two hashes within NEAR_DUPLICATE_BITS (6) differ in at most one bit in at least one band
(pigeonhole: four bands, six bits), so the candidates are the photos holding, in some band, the
new hash's value or one of its 16 one-bit neighbours — a GIN lookup of 68 keys — and only they
are compared exactly.
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# Band i of hash h as one integer key: i * 65536 + the band's 16 bits (hex digits 4i+1 .. 4i+4).
# Mirrored in Python by services.ingest_apply.band_keys; NULL for anything but 16 hex digits.
PHASH_BANDS = """
CREATE FUNCTION tfdb_phash_bands(h text) RETURNS integer[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURNS NULL ON NULL INPUT AS $$
  SELECT CASE WHEN h ~ '^[0-9a-f]{16}$' THEN ARRAY[
    CAST(CAST('x' || substr(h, 1, 4) AS bit(16)) AS integer),
    65536 + CAST(CAST('x' || substr(h, 5, 4) AS bit(16)) AS integer),
    131072 + CAST(CAST('x' || substr(h, 9, 4) AS bit(16)) AS integer),
    196608 + CAST(CAST('x' || substr(h, 13, 4) AS bit(16)) AS integer)] END
$$
"""


def upgrade() -> None:
    op.execute(PHASH_BANDS)
    op.execute("CREATE INDEX sx_assets_phash_bands ON assets USING gin (tfdb_phash_bands(phash))")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS sx_assets_phash_bands")
    op.execute("DROP FUNCTION IF EXISTS tfdb_phash_bands(text)")
