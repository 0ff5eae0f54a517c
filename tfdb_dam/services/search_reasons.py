"""Why each hit matched, in the searcher's language: which words were found in which field,
through the thesaurus or a spelling correction, and how close the vectors were."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tfdb_dam.db.models import Asset
from tfdb_dam.search.fusion import Reason
from tfdb_dam.search.text import exact_tokens, fold, tokens
from tfdb_dam.services.search_lexical import LexTerm
from tfdb_dam.services.search_types import SearchHit

MAX_REASONS = 6
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


@dataclass(frozen=True)
class _Fields:
    folded: dict[str, set[tuple[str, ...]]]
    exact: dict[str, set[tuple[str, ...]]]


def _ngrams(words: list[str], longest: int = 4) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for n in range(1, longest + 1) for i in range(len(words) - n + 1)}


def _asset_fields(asset: Asset) -> dict[str, list[str]]:
    category = asset.category
    return {
        "title": [asset.title_vi or "", asset.title_en or ""],
        "tags": [tag.name for tag in asset.tags],
        "category": [category.label_vi, category.label_en] if category else [],
        "description": [asset.description_vi or "", asset.description_en or ""],
        "source_unit": [asset.source_unit or ""],
        "credit": [asset.credit or ""],
        "file_name": [asset.original_filename or ""],
        "text": [(asset.extracted_text or "")[:100_000]],
    }


def _index(asset: Asset) -> _Fields:
    folded, exact = {}, {}
    for name, values in _asset_fields(asset).items():
        folded[name] = set().union(*(_ngrams(tokens(v)) for v in values)) if values else set()
        exact[name] = set().union(*(_ngrams(exact_tokens(v)) for v in values)) if values else set()
    return _Fields(folded, exact)


def _where(fields: _Fields, term: LexTerm) -> str | None:
    table = fields.exact if term.column == "exact" else fields.folded
    return next((name for name, grams in table.items() if any(form in grams for form in term.forms)), None)


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
    asset: Asset, terms: Sequence[LexTerm], similarities: dict[str, float], lang: str
) -> list[str]:
    """Reasons for one hit, strongest evidence first, at most ``MAX_REASONS``."""
    reasons: dict[Reason, None] = {}
    if terms:
        fields = _index(asset)
        # Where each accented query word was found with its accents, by its folded form.
        accents = {fold(t.words[0]): _where(fields, t) for t in terms if t.kind == "accent"}
        for term in terms:
            field = _where(fields, term) if term.kind != "accent" else None
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
    assets = (
        {a.id: a for a in session.execute(select(Asset).where(Asset.id.in_(list(ids)))).scalars()}
        if ids
        else {}
    )
    hits = []
    for asset_id in ids:
        asset = assets[asset_id]
        reasons = list((extra or {}).get(asset_id, []))
        if terms or similarities:
            reasons += hit_reasons(asset, terms, (similarities or {}).get(asset_id, {}), lang)
        hits.append(
            SearchHit(
                asset_id=asset.id,
                score=round((scores or {}).get(asset_id, 0.0), 6),
                reasons=reasons[:MAX_REASONS],
                title_vi=asset.title_vi,
                title_en=asset.title_en,
                kind=asset.kind.value,
                status=asset.status.value,
                sha256=asset.sha256,
                captured_at=asset.captured_at,
                credit=asset.credit,
                has_thumb=any(r.name == "thumb" for r in asset.renditions),
            )
        )
    return hits
