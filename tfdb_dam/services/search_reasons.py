"""Why each hit matched, in the searcher's language: which words were found in which field,
through the thesaurus or a spelling correction, and how close the vectors were."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Row, exists, func, select
from sqlalchemy.orm import Session

from tfdb_dam.db.models import Asset, AssetTag, Category, Rendition, Tag
from tfdb_dam.search.fusion import Reason
from tfdb_dam.search.text import fold, tokens_of_each
from tfdb_dam.services.search_filters import among
from tfdb_dam.services.search_lexical import LexTerm
from tfdb_dam.services.search_types import SearchHit

MAX_REASONS = 6
TEXT_READ = 100_000  # characters of a document's text searched for the reasons
_FIELD_LABELS = {
    "title": ("title", "tiêu đề"),
    "tags": ("tags", "từ khóa"),
    "category": ("category", "chuyên mục"),
    "description": ("description", "mô tả"),
    "source_unit": ("source unit", "đơn vị cung cấp"),
    "credit": ("credit", "tác giả"),
    "file_name": ("file name", "tên tệp"),
    "text": ("document text", "nội dung tài liệu"),
}


@dataclass
class _Record:
    """What a hit shows and its reasons read, loaded as plain columns (no ORM objects)."""

    row: Row
    tags: list[str] = field(default_factory=list)

    def fields(self) -> dict[str, list[str]]:
        row = self.row
        return {
            "title": [row.title_vi or "", row.title_en or ""],
            "tags": self.tags,
            "category": [row.category_vi or "", row.category_en or ""],
            "description": [row.description_vi or "", row.description_en or ""],
            "source_unit": [row.source_unit or ""],
            "credit": [row.credit or ""],
            "file_name": [row.original_filename or ""],
            "text": [row.text or ""],
        }


def _records(session: Session, ids: Sequence[int]) -> dict[int, _Record]:
    thumb = exists().where(Rendition.asset_id == Asset.id, Rendition.name == "thumb")
    rows = session.execute(
        select(
            Asset.id, Asset.title_vi, Asset.title_en, Asset.description_vi, Asset.description_en,
            Asset.source_unit, Asset.credit, Asset.original_filename, Asset.kind, Asset.status,
            Asset.sha256, Asset.captured_at,
            func.substr(Asset.extracted_text, 1, TEXT_READ).label("text"),
            Category.label_vi.label("category_vi"), Category.label_en.label("category_en"),
            thumb.label("has_thumb"),
        )
        .outerjoin(Category, Category.id == Asset.category_id)
        .where(among(ids, "hit_ids"))
    ).all()
    records = {row.id: _Record(row) for row in rows}
    # Apart, not as a subquery per hit: PostgreSQL then reads the small tags table once.
    tags = session.execute(
        select(AssetTag.asset_id, Tag.name)
        .join(Tag, Tag.id == AssetTag.tag_id)
        .where(among(ids, "tag_asset_ids", AssetTag.asset_id))
        .order_by(Tag.name)
    ).all()
    for asset_id, name in tags:
        records[asset_id].tags.append(name)
    return records


def _split_values(values: dict[str, list[str]], column: str) -> list[tuple[str, list[list[str]]]]:
    """Each field's values as words, folded or with accents (all of a record's values in one call)."""
    named = [(name, text) for name, texts in values.items() for text in texts if text]
    fields: dict[str, list[list[str]]] = {}
    for (name, _), words in zip(named, tokens_of_each([t for _, t in named], exact=column == "exact")):
        fields.setdefault(name, []).append(words)
    return list(fields.items())


class _Fields:
    """A record's fields as words, folded or with accents (split once, when first needed), laid
    end to end in field order as " word word … " so that the first field holding a word or a
    phrase is where its first occurrence falls."""

    def __init__(self, record: _Record):
        self._values = record.fields()
        self._joined: dict[str, tuple[str, list[int], list[str]]] = {}

    def _text(self, column: str) -> tuple[str, list[int], list[str]]:
        if column not in self._joined:
            parts, starts, names, length = [], [], [], 0
            for name, words in _split_values(self._values, column):
                # NUL between values: no phrase runs from one value into the next.
                part = "\0".join(f" {' '.join(value)} " for value in words if value)
                if part:
                    parts.append(part)
                    starts.append(length)
                    names.append(name)
                    length += len(part) + 1
            self._joined[column] = ("\0".join(parts), starts, names)
        return self._joined[column]

    def where(self, term: LexTerm) -> str | None:
        """The first field (title first) holding one of the term's forms."""
        text, starts, names = self._text(term.column)
        found = [p for p in (text.find(f" {' '.join(form)} ") for form in term.forms if form) if p >= 0]
        return names[bisect_right(starts, min(found)) - 1] if found else None


def _term_reason(term: LexTerm, field: str, exact_accents: bool) -> Reason:
    field_en, field_vi = _FIELD_LABELS[field]
    if term.kind == "thesaurus":
        return Reason(
            f"thesaurus: {term.via} → {term.shown} ({field_en})",
            f"từ điển đồng nghĩa: {term.via} → {term.shown} ({field_vi})",
        )
    if term.kind == "spelling":
        return Reason(
            f"similar spelling: {term.via} → {term.shown} ({field_en})",
            f"gần đúng chính tả: {term.via} → {term.shown} ({field_vi})",
        )
    if exact_accents:
        return Reason(
            f"{field_en} matches '{term.shown}' (exact accents)", f"{field_vi} khớp '{term.shown}' (đúng dấu)"
        )
    return Reason(f"{field_en} matches '{term.shown}'", f"{field_vi} khớp '{term.shown}'")


def _similarity(value: float, lang: str) -> str:
    text = f"{value:.2f}"
    return text.replace(".", ",") if lang == "vi" else text


def hit_reasons(
    record: _Record, terms: Sequence[LexTerm], similarities: dict[str, float], lang: str
) -> list[str]:
    """Reasons for one hit, strongest evidence first, at most ``MAX_REASONS``."""
    reasons: dict[Reason, None] = {}
    if terms:
        fields = _Fields(record)
        # Where each accented query word was found with its accents, by its folded form.
        accents = {fold(t.words[0]): fields.where(t) for t in terms if t.kind == "accent"}
        for term in terms:
            field = fields.where(term) if term.kind != "accent" else None
            if field is not None:
                exact = term.kind == "query" and len(term.words) == 1 and accents.get(term.words[0]) == field
                reasons.setdefault(_term_reason(term, field, exact), None)
    for leg, value in similarities.items():
        if leg == "image":
            reasons.setdefault(
                Reason(
                    f"image similarity {_similarity(value, 'en')}",
                    f"tương đồng hình ảnh {_similarity(value, 'vi')}",
                ),
                None,
            )
        else:
            reasons.setdefault(
                Reason(
                    f"semantic similarity {_similarity(value, 'en')}",
                    f"tương đồng ngữ nghĩa {_similarity(value, 'vi')}",
                ),
                None,
            )
    return [reason.text(lang) for reason in list(reasons)[:MAX_REASONS]]


def build_hits(
    session: Session,
    ids: Sequence[int],
    scores: dict[int, float] | None = None,
    terms: Sequence[LexTerm] = (),
    similarities: dict[int, dict[str, float]] | None = None,
    *,
    lang: str = "vi",
    extra: dict[int, list[str]] | None = None,
) -> list[SearchHit]:
    """Hits for ``ids`` in that order, each with its reasons (``extra`` reasons come first)."""
    records = _records(session, ids) if ids else {}
    hits = []
    for asset_id in ids:
        record = records[asset_id]
        row = record.row
        reasons = list((extra or {}).get(asset_id, []))
        if terms or similarities:
            reasons += hit_reasons(record, terms, (similarities or {}).get(asset_id, {}), lang)
        hits.append(
            SearchHit(
                asset_id=row.id,
                score=round((scores or {}).get(asset_id, 0.0), 6),
                reasons=reasons[:MAX_REASONS],
                title_vi=row.title_vi,
                title_en=row.title_en,
                kind=row.kind.value,
                status=row.status.value,
                sha256=row.sha256,
                captured_at=row.captured_at,
                credit=row.credit,
                has_thumb=bool(row.has_thumb),
            )
        )
    return hits
