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


# A digest of the administrators' terms and the category labels, computed by PostgreSQL: every
# search checks it (one small query) and reads the rows themselves only when it changed.
_THESAURUS_DIGEST = text(
    "SELECT md5(concat_ws('#', "
    "(SELECT string_agg(concat_ws(':', t.id, t.terms_vi::text, t.terms_en::text, c.slug), '|' ORDER BY t.id) "
    "FROM thesaurus_terms t LEFT JOIN categories c ON c.id = t.category_id), "
    "(SELECT string_agg(concat_ws(':', id, label_vi, label_en, slug), '|' ORDER BY id) FROM categories)))"
)


def thesaurus_for(session: Session) -> Thesaurus:
    """The built-in thesaurus plus the administrators' terms and the category labels (cached
    until any of them changes)."""
    key = (str(session.get_bind().url), session.execute(_THESAURUS_DIGEST).scalar_one())
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
