"""The thesaurus a search expands its query with: the built-in one plus the administrators'
terms and the category labels, rebuilt only when those change."""

from __future__ import annotations

import threading

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from tfdb_dam.db.models import Category, ThesaurusTerm
from tfdb_dam.search.thesaurus import Entry, Thesaurus

__all__ = ["thesaurus_for"]

_thesauri: dict[tuple[str, str], Thesaurus] = {}
_thesauri_lock = threading.Lock()


# Raised with every change to the administrators' terms or the categories (migration 0013): every
# search reads it (one row) and reads the terms themselves only when it moved.
_THESAURUS_VERSION = text("SELECT version FROM search_versions WHERE name = 'thesaurus'")


def thesaurus_for(session: Session) -> Thesaurus:
    """The built-in thesaurus plus the administrators' terms and the category labels (cached
    until any of them changes)."""
    key = (str(session.get_bind().url), session.execute(_THESAURUS_VERSION).scalar())
    with _thesauri_lock:
        if key in _thesauri:
            return _thesauri[key]
    admin = session.execute(
        select(ThesaurusTerm.terms_vi, ThesaurusTerm.terms_en, Category.slug)
        .outerjoin(Category, Category.id == ThesaurusTerm.category_id)
        .order_by(ThesaurusTerm.id)
    ).all()
    labels = session.execute(
        select(Category.label_vi, Category.label_en, Category.slug).order_by(Category.id)
    ).all()
    extra = [Entry.of(vi or [], en or [], slug) for vi, en, slug in admin]
    extra += [Entry.of([vi], [en], slug) for vi, en, slug in labels]
    thesaurus = Thesaurus.builtin().extended(extra)
    with _thesauri_lock:
        _thesauri.clear()  # one database per process in practice; tests use many
        _thesauri[key] = thesaurus
    return thesaurus
