"""Why each hit matched, in the searcher's language: which words were found in which field,
through the thesaurus or a spelling correction, and how close the vectors were."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from sqlalchemy import ARRAY, BigInteger, Row, any_, bindparam, exists, func, select
from sqlalchemy.dialects.postgresql import aggregate_order_by, array_agg
from sqlalchemy.orm import Session

from tfdb_dam.db.models import Asset, AssetTag, Category, Rendition, Tag
from tfdb_dam.search.fusion import Reason
from tfdb_dam.search.text import fold, words_laid_out
from tfdb_dam.services.search_lexical_terms import LexTerm
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


# Built once: building them for each search took longer than PostgreSQL took to run them.
_HIT_IDS = bindparam("hit_ids", type_=ARRAY(BigInteger))
# The hits' tags by name, grouped apart rather than read by a subquery per hit: PostgreSQL then
# reads the small tags table once.
_TAGS = (
    select(AssetTag.asset_id, array_agg(aggregate_order_by(Tag.name, Tag.name)).label("names"))
    .join(Tag, Tag.id == AssetTag.tag_id)
    .where(AssetTag.asset_id == any_(_HIT_IDS))
    .group_by(AssetTag.asset_id)
    .subquery()
)
_HITS = (
    select(
        Asset.id, Asset.title_vi, Asset.title_en, Asset.description_vi, Asset.description_en,
        Asset.source_unit, Asset.credit, Asset.original_filename, Asset.kind, Asset.status,
        Asset.sha256, Asset.captured_at,
        func.substr(Asset.extracted_text, 1, TEXT_READ).label("text"),
        Category.label_vi.label("category_vi"), Category.label_en.label("category_en"),
        exists().where(Rendition.asset_id == Asset.id, Rendition.name == "thumb").label("has_thumb"),
        _TAGS.c.names.label("tags"),
    )
    .outerjoin(Category, Category.id == Asset.category_id)
    .outerjoin(_TAGS, _TAGS.c.asset_id == Asset.id)
    .where(Asset.id == any_(_HIT_IDS))
)


def _records(session: Session, ids: Sequence[int]) -> dict[int, _Record]:
    # A Core statement on the session's connection: the ORM's handling of a page of plain rows
    # took longer than the statement.
    rows = session.connection().execute(_HITS, {"hit_ids": list(ids)})
    return {row.id: _Record(row, row.tags or []) for row in rows}


def _phrases(term: LexTerm) -> list[str]:
    return [f" {' '.join(form)} " for form in term.forms if form]


class _Fields:
    """The fields of a page's records as words, folded or with accents, each record's laid end to
    end in field order (``words_laid_out``) so that the first field holding a word or a phrase is
    where its first occurrence falls. The records are laid out together, in one call per column
    when a term first needs it, and searched together; a document's text, longer than all the
    rest, is laid out only for a term no other field of its record holds."""

    def __init__(self, *records: _Record):
        values = [record.fields() for record in records]
        self._documents = [[text for text in value.pop("text") if text] for value in values]
        self._names = [[name for name, texts in value.items() for text in texts if text] for value in values]
        self._heads = [[text for texts in value.values() for text in texts if text] for value in values]
        self._pages: dict[str, tuple[str, list[int]]] = {}
        self._documents_laid_out: dict[tuple[str, int], str] = {}

    def where(self, term: LexTerm, record: int = 0) -> str | None:
        """The first field (title first) of the ``record``-th record holding one of the term's
        forms (sequences of words as ``tokens`` cuts them)."""
        return self.found(term.column, _phrases(term)).get(record)

    def found(self, column: str, phrases: list[str]) -> dict[int, str]:
        """``where`` for a term's column and ``_phrases``, for every record that holds one."""
        text, starts = self._page(column)
        first: dict[int, int] = {}  # record → where its first phrase found starts
        for phrase in phrases:
            at = text.find(phrase)
            while at >= 0:
                record = bisect_right(starts, at) - 1
                if record not in first or at < first[record]:
                    first[record] = at
                at = text.find(phrase, starts[record + 1])  # on to the next record
        # The n-th NUL in a record's part ends its n-th value.
        fields = {n: self._names[n][text.count("\0", starts[n], at)] for n, at in first.items()}
        for record, documents in enumerate(self._documents):
            if documents and record not in fields and self._in_document(column, record, phrases):
                fields[record] = "text"
        return fields

    def _page(self, column: str) -> tuple[str, list[int]]:
        """The records laid out one after another (a SOH between them), where each starts, and the
        end."""
        if column not in self._pages:
            laid_out = words_laid_out(self._heads, exact=column == "exact")
            starts = list(accumulate(map((1).__add__, map(len, laid_out)), initial=0))
            self._pages[column] = ("\1".join(laid_out), starts)
        return self._pages[column]

    def _in_document(self, column: str, record: int, phrases: list[str]) -> bool:
        if (column, record) not in self._documents_laid_out:
            laid_out = words_laid_out([self._documents[record]], exact=column == "exact")[0]
            self._documents_laid_out[(column, record)] = laid_out
        return any(phrase in self._documents_laid_out[(column, record)] for phrase in phrases)


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


class _TermReasons:
    """The term reasons of a page's hits: each term is looked for in all the records at once, and
    each reason is made once."""

    def __init__(self, records: Sequence[_Record], terms: Sequence[LexTerm]):
        fields = _Fields(*records)
        # Where each accented query word was found with its accents, by its folded form.
        accents = {fold(t.words[0]): fields.found(t.column, _phrases(t)) for t in terms if t.kind == "accent"}
        self._found = [
            (term, fields.found(term.column, _phrases(term)), self._accent(term, accents))
            for term in terms
            if term.kind != "accent"
        ]
        self._made: dict[tuple[int, str, bool], Reason] = {}

    @staticmethod
    def _accent(term: LexTerm, accents: dict[str, dict[int, str]]) -> dict[int, str]:
        """Where a one-word query term was found with its accents (if it was: "exact accents")."""
        return accents.get(term.words[0], {}) if term.kind == "query" and len(term.words) == 1 else {}

    def of(self, record: int) -> list[Reason]:
        """The reasons of the ``record``-th hit, in the order of the terms."""
        reasons = []
        for index, (term, found, accented) in enumerate(self._found):
            field = found.get(record)
            if field is not None:
                exact = accented.get(record) == field
                if (index, field, exact) not in self._made:
                    self._made[(index, field, exact)] = _term_reason(term, field, exact)
                reasons.append(self._made[(index, field, exact)])
        return reasons


def hit_reasons(term_reasons: list[Reason], similarities: dict[str, float], lang: str) -> list[str]:
    """Reasons for one hit, strongest evidence first, at most ``MAX_REASONS``."""
    reasons = dict.fromkeys(term_reasons)
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
    page = [records[asset_id] for asset_id in ids]
    term_reasons = _TermReasons(page, terms) if terms else None
    hits = []
    for index, (asset_id, record) in enumerate(zip(ids, page)):
        row = record.row
        reasons = list((extra or {}).get(asset_id, []))
        if terms or similarities:
            found = term_reasons.of(index) if term_reasons else []
            reasons += hit_reasons(found, (similarities or {}).get(asset_id, {}), lang)
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
