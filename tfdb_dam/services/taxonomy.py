"""Administering the taxonomy: categories with bilingual labels, and the thesaurus's own terms."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tfdb_dam.db.models import Asset, Category, ThesaurusTerm
from tfdb_dam.errors import NotFound, ValidationError
from tfdb_dam.services import audit, permissions
from tfdb_dam.services.actors import Actor
from tfdb_dam.services.permissions import Capability

_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
LABEL_MAX = 500


def _clean(text: str | None, lang: str) -> str:
    value = " ".join(unicodedata.normalize("NFC", text or "").split())
    if not value:
        raise ValidationError({"vi": "taxonomy.label_vi_missing", "en": "taxonomy.label_en_missing"}[lang])
    if len(value) > LABEL_MAX:
        raise ValidationError({"vi": "taxonomy.label_vi_too_long", "en": "taxonomy.label_en_too_long"}[lang],
                              limit=LABEL_MAX)
    return value


def _slug(slug: str) -> str:
    value = (slug or "").strip().lower()
    if not _SLUG.match(value) or len(value) > 100:
        raise ValidationError("taxonomy.slug_invalid")
    return value


def list_categories(session: Session) -> list[Category]:
    return list(session.execute(select(Category).order_by(Category.sort_order, Category.id)).scalars())


def get_category(session: Session, category_id: int) -> Category:
    category = session.get(Category, category_id)
    if category is None:
        raise NotFound("taxonomy.category_missing", category_id=category_id)
    return category


def _parent(session: Session, parent_id: int | None, child_id: int | None = None) -> int | None:
    if parent_id is None:
        return None
    parent = get_category(session, parent_id)
    ancestor: Category | None = parent
    while ancestor is not None:  # a category cannot sit under itself, however deep
        if ancestor.id == child_id:
            raise ValidationError("taxonomy.parent_cycle")
        ancestor = session.get(Category, ancestor.parent_id) if ancestor.parent_id else None
    return parent.id


def create_category(session: Session, actor: Actor, *, slug: str, label_vi: str, label_en: str,
                    parent_id: int | None = None, sort_order: int = 0) -> Category:
    permissions.require(actor, Capability.manage_taxonomy)
    slug = _slug(slug)
    if session.execute(select(Category.id).where(Category.slug == slug)).first():
        raise ValidationError("taxonomy.slug_taken", slug=repr(slug))
    category = Category(slug=slug, label_vi=_clean(label_vi, "vi"),
                        label_en=_clean(label_en, "en"),
                        parent_id=_parent(session, parent_id), sort_order=int(sort_order))
    session.add(category)
    session.flush()
    audit.record(session, actor, "category.create", object_type="category", object_id=category.id,
                 details=_category_fields(category))
    return category


def _category_fields(category: Category) -> dict[str, Any]:
    return {"slug": category.slug, "label_vi": category.label_vi, "label_en": category.label_en,
            "parent_id": category.parent_id, "sort_order": category.sort_order}


def update_category(session: Session, actor: Actor, category_id: int, *, label_vi: str | None = None,
                    label_en: str | None = None, parent_id: int | None = None, clear_parent: bool = False,
                    sort_order: int | None = None) -> Category:
    """Change labels, place or order; the slug stays (links and the search index use it)."""
    permissions.require(actor, Capability.manage_taxonomy)
    category = get_category(session, category_id)
    before = _category_fields(category)
    if label_vi is not None:
        category.label_vi = _clean(label_vi, "vi")
    if label_en is not None:
        category.label_en = _clean(label_en, "en")
    if clear_parent or parent_id is not None:
        category.parent_id = None if clear_parent else _parent(session, parent_id, category.id)
    if sort_order is not None:
        category.sort_order = int(sort_order)
    session.flush()
    after = _category_fields(category)
    changed = {k: {"before": before[k], "after": after[k]} for k in after if before[k] != after[k]}
    if changed:
        audit.record(session, actor, "category.edit", object_type="category", object_id=category.id,
                     details=changed)
    return category


def delete_category(session: Session, actor: Actor, category_id: int) -> None:
    """Delete an unused category; one still holding assets or subcategories is refused."""
    permissions.require(actor, Capability.manage_taxonomy)
    category = get_category(session, category_id)
    used = session.execute(select(func.count()).select_from(Asset)
                           .where(Asset.category_id == category.id)).scalar_one()
    if used:
        raise ValidationError("taxonomy.category_in_use", slug=repr(category.slug), count=used)
    if session.execute(select(Category.id).where(Category.parent_id == category.id)).first():
        raise ValidationError("taxonomy.category_has_children", slug=repr(category.slug))
    details = _category_fields(category)
    session.delete(category)
    session.flush()
    audit.record(session, actor, "category.delete", object_type="category", object_id=category_id,
                 details=details)


def _terms(terms: Iterable[str] | str, lang: str) -> list[str]:
    if isinstance(terms, str):
        terms = terms.split("|")
    cleaned = dict.fromkeys(" ".join(unicodedata.normalize("NFC", t).lower().split()) for t in terms)
    cleaned.pop("", None)
    if not cleaned:
        raise ValidationError({"vi": "taxonomy.terms_vi_missing", "en": "taxonomy.terms_en_missing"}[lang])
    return list(cleaned)


def list_terms(session: Session) -> list[ThesaurusTerm]:
    return list(session.execute(select(ThesaurusTerm).order_by(ThesaurusTerm.id)).scalars())


def get_term(session: Session, term_id: int) -> ThesaurusTerm:
    term = session.get(ThesaurusTerm, term_id)
    if term is None:
        raise NotFound("taxonomy.term_missing", term_id=term_id)
    return term


def _term_fields(term: ThesaurusTerm) -> dict[str, Any]:
    return {"terms_vi": list(term.terms_vi), "terms_en": list(term.terms_en), "category_id": term.category_id}


def create_term(session: Session, actor: Actor, *, terms_vi: Iterable[str] | str,
                terms_en: Iterable[str] | str, category_id: int | None = None) -> ThesaurusTerm:
    """A same-meaning group: Vietnamese and English terms (lists, or "a|b" strings)."""
    permissions.require(actor, Capability.manage_taxonomy)
    category = get_category(session, category_id).id if category_id is not None else None
    term = ThesaurusTerm(terms_vi=_terms(terms_vi, "vi"), terms_en=_terms(terms_en, "en"),
                         category_id=category)
    session.add(term)
    session.flush()
    audit.record(session, actor, "thesaurus.create", object_type="thesaurus_term", object_id=term.id,
                 details=_term_fields(term))
    return term


def update_term(session: Session, actor: Actor, term_id: int, *, terms_vi: Iterable[str] | str | None = None,
                terms_en: Iterable[str] | str | None = None, category_id: int | None = None,
                clear_category: bool = False) -> ThesaurusTerm:
    permissions.require(actor, Capability.manage_taxonomy)
    term = get_term(session, term_id)
    before = _term_fields(term)
    if terms_vi is not None:
        term.terms_vi = _terms(terms_vi, "vi")
    if terms_en is not None:
        term.terms_en = _terms(terms_en, "en")
    if clear_category or category_id is not None:
        term.category_id = None if clear_category else get_category(session, category_id).id
    session.flush()
    after = _term_fields(term)
    if after != before:
        audit.record(session, actor, "thesaurus.edit", object_type="thesaurus_term", object_id=term.id,
                     details={"before": before, "after": after})
    return term


def delete_term(session: Session, actor: Actor, term_id: int) -> None:
    permissions.require(actor, Capability.manage_taxonomy)
    term = get_term(session, term_id)
    details = _term_fields(term)
    session.delete(term)
    session.flush()
    audit.record(session, actor, "thesaurus.delete", object_type="thesaurus_term", object_id=term_id,
                 details=details)
