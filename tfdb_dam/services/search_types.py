"""The search contract's plain data: what a caller asks (request, filters) and gets back (hits, facets)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from tfdb_dam.errors import UsageError

SORTS = ("relevance", "newest", "oldest", "captured")
FACET_KEYS = ("kind", "status", "category", "tags", "source_unit", "credit", "camera", "has_gps", "year")
MAX_PER_PAGE = 500


@dataclass
class SearchFilters:
    kinds: list[str] = field(default_factory=list)  # photo, video, document, audio
    statuses: list[str] = field(default_factory=list)  # only effective inside what the actor may see
    categories: list[str] = field(default_factory=list)  # taxonomy slugs (a parent includes its children)
    tags: list[str] = field(default_factory=list)  # every tag must be present (accents optional)
    source_units: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)
    cameras: list[str] = field(default_factory=list)  # "Make Model"
    licenses: list[str] = field(default_factory=list)  # licence codes, e.g. CC-BY-4.0 (any case)
    captured_from: date | None = None  # calendar days in Vietnam time (UTC+7), inclusive
    captured_to: date | None = None
    has_gps: bool | None = None
    bbox: tuple[float, float, float, float] | None = None  # min_lon, min_lat, max_lon, max_lat
    collection_id: int | None = None
    created_by_me: bool = False


@dataclass
class SearchRequest:
    query: str = ""
    filters: SearchFilters = field(default_factory=SearchFilters)
    page: int = 1  # 1-based
    per_page: int = 60
    sort: str = "relevance"  # relevance | newest | oldest | captured
    with_facets: bool = True
    language: str | None = None  # of the reasons: "vi" or "en"; None: the TFDB_LANGUAGE setting

    def validate(self) -> None:
        if self.page < 1:
            raise UsageError("search.page_start")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise UsageError("search.per_page", limit=MAX_PER_PAGE)
        if self.sort not in SORTS:
            raise UsageError("search.sort_unknown", value=repr(self.sort), known=", ".join(SORTS))
        bbox = self.filters.bbox
        if bbox is not None and not (
            -90 <= bbox[1] <= bbox[3] <= 90 and all(-180 <= v <= 180 for v in bbox[::2])
        ):
            raise UsageError("search.bbox_invalid")


@dataclass
class SearchHit:
    asset_id: int
    score: float
    reasons: list[str]
    title_vi: str | None
    title_en: str | None
    kind: str
    status: str
    sha256: str
    captured_at: datetime | None
    credit: str | None
    has_thumb: bool


@dataclass(frozen=True)
class FacetValue:
    value: str
    label_vi: str
    label_en: str
    count: int


@dataclass
class SearchResult:
    hits: list[SearchHit]
    total: int  # how many assets match; a lower bound when ``total_exact`` is False
    page: int
    per_page: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    # False when counting stopped at a cap (browsing without words, search.BROWSE_COUNT_CAP):
    # then more than ``total`` assets match, and pages past ``total`` still hold the right hits.
    total_exact: bool = True
