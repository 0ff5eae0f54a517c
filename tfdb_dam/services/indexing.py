"""Keeping assets findable: their full-text documents, the spelling vocabulary, and their vectors.

Ingest and metadata edits call ``index_assets`` in their own transaction after they change what an
asset says: the full-text documents change with the edit (same transaction), the vectors follow in
a background job (``jobs.search_tasks``) unless the caller asks for them at once. Documents are
made here, in Python, from the same ``tokens``/``exact_tokens`` the query parser uses, so the
database never has to agree with Python on word boundaries, accents or case.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from tfdb_dam.db.models import Asset, Embedding
from tfdb_dam.search.text import exact_tokens, tokens
from tfdb_dam.services.context import Context
from tfdb_dam.services.indexing_vectors import embed_assets, embedding_text

EMBED_TASK = "search.embed_assets"
MAX_EXTRACTED_CHARS = 100_000  # a tsvector holds at most 16 383 positions; the rest adds nothing
WEIGHTS = "ABCD"  # title, tags/category, description, the rest (see ts_rank weights in search_lexical)


@dataclass(frozen=True)
class SearchDocument:
    """An asset's words per weight class, folded and with accents, as space-joined tokens."""

    folded: dict[str, str]
    exact: dict[str, str]


def _fields_by_weight(asset: Asset) -> dict[str, list[str | None]]:
    category = asset.category
    return {
        "A": [asset.title_vi, asset.title_en],
        "B": [tag.name for tag in asset.tags] + ([category.label_vi, category.label_en] if category else []),
        "C": [asset.description_vi, asset.description_en],
        "D": [
            asset.source_unit,
            asset.credit,
            asset.original_filename,
            (asset.extracted_text or "")[:MAX_EXTRACTED_CHARS],
        ],
    }


def search_document(asset: Asset) -> SearchDocument:
    """The words search finds ``asset`` by, grouped by how much a match in them weighs."""
    fields = _fields_by_weight(asset)
    folded = {w: " ".join(t for value in values for t in tokens(value)) for w, values in fields.items()}
    exact = {w: " ".join(t for value in values for t in exact_tokens(value)) for w, values in fields.items()}
    return SearchDocument(folded, exact)


def _tsvector_sql(prefix: str) -> str:
    return " || ".join(f"setweight(to_tsvector('simple', :{prefix}{w}), '{w}')" for w in WEIGHTS)


_UPDATE_DOCUMENTS = text(
    f"UPDATE assets SET search_folded = {_tsvector_sql('f')}, search_exact = {_tsvector_sql('e')} "
    "WHERE id = :id"
)
# Sorted, in one statement: concurrent indexers then take the new words' locks in the same order.
_ADD_TERMS = text(
    "INSERT INTO search_terms (term) SELECT DISTINCT word FROM assets a, "
    "unnest(tsvector_to_array(a.search_folded)) AS word WHERE a.id = ANY(:ids) "
    "AND length(word) BETWEEN 3 AND 100 AND word !~ '^[0-9]+$' ORDER BY word ON CONFLICT DO NOTHING"
)


def refresh_documents(session: Session, asset_ids: Sequence[int]) -> int:
    """Rewrite the full-text documents of these assets and add their new words to the vocabulary."""
    ids = sorted(set(asset_ids))
    if not ids:
        return 0
    session.flush()
    assets = session.execute(select(Asset).where(Asset.id.in_(ids))).scalars().all()
    rows = []
    for asset in assets:
        document = search_document(asset)
        row = {"id": asset.id}
        row.update({f"f{w}": document.folded[w] for w in WEIGHTS})
        row.update({f"e{w}": document.exact[w] for w in WEIGHTS})
        rows.append(row)
    if rows:
        session.execute(_UPDATE_DOCUMENTS, rows)
        session.execute(_ADD_TERMS, {"ids": [row["id"] for row in rows]})
    return len(rows)


def index_assets(
    session: Session, ctx: Context, asset_ids: Sequence[int], *, embed_now: bool = False
) -> None:
    """Make these assets findable as they are now: documents at once, vectors now or in a job.

    ``embed_now`` computes the vectors in this transaction (the CLI's reindex, tests, a worker
    that already holds the model); otherwise a ``search.embed_assets`` job is queued with the
    caller's transaction, so an edit in the app never waits for a model to load.
    """
    ids = sorted(set(asset_ids))
    if not ids:
        return
    refresh_documents(session, ids)
    if embed_now:
        embed_assets(session, ctx, ids)
    else:
        from tfdb_dam.jobs.queue import defer

        defer(session, EMBED_TASK, asset_ids=ids)


def rebuild_vocabulary(session: Session) -> int:
    """Forget words no asset says any more: the vocabulary made again from every document."""
    session.execute(text("DELETE FROM search_terms"))
    session.execute(
        text(
            "INSERT INTO search_terms (term) SELECT DISTINCT word FROM assets a, "
            "unnest(tsvector_to_array(a.search_folded)) AS word "
            "WHERE length(word) BETWEEN 3 AND 100 AND word !~ '^[0-9]+$' ORDER BY word ON CONFLICT DO NOTHING"
        )
    )
    return session.execute(text("SELECT count(*) FROM search_terms")).scalar_one()


def assets_missing_vectors(
    session: Session, model: str, *, after_id: int = 0, limit: int = 1000
) -> list[int]:
    """Ids of assets with no text vector from ``model``, in id order (for catching up).

    Assets still pending processing are left out: their processing job embeds them once their
    renditions exist, and embedding them now would do it twice (a CLIP model from the original).
    """
    query = text(
        "SELECT a.id FROM assets a WHERE a.id > :after AND a.processing <> 'pending' AND NOT EXISTS ("
        "SELECT 1 FROM embeddings e WHERE e.asset_id = a.id AND e.source = 'text' AND e.model = :model) "
        "ORDER BY a.id LIMIT :limit"
    )
    return list(session.execute(query, {"after": after_id, "model": model, "limit": limit}).scalars())


def drop_other_models(session: Session, model: str) -> int:
    """Delete the vectors of every model but ``model`` (after a switch has been caught up)."""
    result = session.execute(delete(Embedding).where(Embedding.model != model))
    return result.rowcount or 0


__all__ = [
    "EMBED_TASK",
    "SearchDocument",
    "assets_missing_vectors",
    "drop_other_models",
    "embed_assets",
    "embedding_text",
    "index_assets",
    "rebuild_vocabulary",
    "refresh_documents",
    "search_document",
]
