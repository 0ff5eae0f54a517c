"""Weighted reciprocal rank fusion of the search legs, with a bilingual explanation per hit.

Each leg (full text in Vietnamese or English, exact accents, trigram spelling, vectors) returns
its own ranked list; scores of different legs are not comparable, ranks are. A hit's fused score
is the sum over the legs that found it of ``weight / (k + rank)`` (Cormack et al., 2009), with
the weights chosen by the query's language. A leg missing from the weights counts with weight 1.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import count
from operator import itemgetter, sub

__all__ = [
    "DEFAULT_K",
    "DEFAULT_WEIGHTS",
    "Evidence",
    "FusedHit",
    "LegHit",
    "LegMatch",
    "Reason",
    "fuse",
    "fused_scores",
    "weights_for",
]

# Per-language leg weights and k, from measuring each leg alone and fused on search-dev (see
# tests/unit/search/test_search_baselines.py). One full-text leg over the folded text of all
# fields plus thesaurus terms is the strongest leg for every query type; equal-weight fusion with
# the other legs lost to it (recall@10 0.90 against 0.97), because legs that rank every record
# lift the full-text leg's weak tail above its last good hits. So the other legs get small
# weights: they break ties and fill the page when full text finds little, and the smaller k
# keeps the first ranks of each list decisive. The English-only MiniLM vectors count a little
# more for English queries. ``fts_vi``/``fts_en`` serve a full-text leg split by language
# (which measured worse: words shared by both languages' fields then vote twice).
DEFAULT_K = 10
DEFAULT_WEIGHTS: Mapping[str, Mapping[str, float]] = {
    "vi": {"fts": 1.0, "fts_vi": 0.6, "fts_en": 0.4, "exact": 0.15, "trigram": 0.15, "vector": 0.1},
    "en": {"fts": 1.0, "fts_vi": 0.4, "fts_en": 0.6, "exact": 0.0, "trigram": 0.15, "vector": 0.15},
    "mixed": {"fts": 1.0, "fts_vi": 0.5, "fts_en": 0.5, "exact": 0.1, "trigram": 0.15, "vector": 0.125},
}

_FIELDS = {
    "title": ("title", "tiêu đề"),
    "description": ("description", "mô tả"),
    "tags": ("tags", "từ khóa"),
    "category": ("category", "chuyên mục"),
    "source_unit": ("source unit", "đơn vị cung cấp"),
    "credit": ("credit", "tác giả"),
    "text": ("text", "nội dung"),
}
_LEG_LABELS = {
    "fts_vi": ("Vietnamese full text", "toàn văn tiếng Việt"),
    "fts_en": ("English full text", "toàn văn tiếng Anh"),
    "fts": ("full text", "toàn văn"),
    "exact": ("exact accents", "đúng dấu"),
    "bm25": ("keyword match", "khớp từ khóa"),
}


@dataclass(frozen=True)
class Evidence:
    """What a leg matched in a record: ``term`` in ``field``, maybe through the thesaurus."""

    field: str
    term: str
    exact_accents: bool = False
    via: str | None = None  # the query word the thesaurus turned into ``term``


@dataclass(frozen=True)
class LegHit:
    asset_id: Hashable
    score: float
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class LegMatch:
    """One leg's contribution to a fused hit."""

    leg: str
    rank: int  # 1-based
    score: float  # the leg's own score
    contribution: float  # weight / (k + rank)
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Reason:
    en: str
    vi: str

    def text(self, lang: str = "en") -> str:
        return self.vi if lang == "vi" else self.en


@dataclass(frozen=True)
class FusedHit:
    asset_id: Hashable
    score: float
    matches: tuple[LegMatch, ...]  # strongest contribution first
    reasons: tuple[Reason, ...]

    def explain(self, lang: str = "en") -> list[str]:
        return [reason.text(lang) for reason in self.reasons]


def weights_for(lang: str | None, overrides: Mapping[str, float] | None = None) -> dict[str, float]:
    """The leg weights for a query language ("vi", "en", "mixed"), with ``overrides`` applied."""
    weights = dict(DEFAULT_WEIGHTS.get(lang or "mixed", DEFAULT_WEIGHTS["mixed"]))
    weights.update(overrides or {})
    return weights


def _as_leg_hit(item: LegHit | tuple) -> LegHit:
    if isinstance(item, LegHit):
        return item
    asset_id, score, *rest = item
    return LegHit(asset_id, float(score), tuple(rest[0]) if rest else ())


def _ranked(hits: Iterable[LegHit | tuple]) -> list[tuple[int, LegHit]]:
    """1-based ranks in the given order, keeping only an asset's best (first) appearance."""
    seen: set[Hashable] = set()
    ranked: list[tuple[int, LegHit]] = []
    for item in hits:
        hit = _as_leg_hit(item)
        if hit.asset_id not in seen:
            seen.add(hit.asset_id)
            ranked.append((len(ranked) + 1, hit))
    return ranked


def fuse(
    legs: Mapping[str, Sequence[LegHit | tuple]],
    weights: Mapping[str, float] | None = None,
    *,
    lang: str | None = "mixed",
    k: int = DEFAULT_K,
    limit: int | None = None,
    explain: bool = True,
) -> list[FusedHit]:
    """Fuse ranked legs (best first) into one ranking, best first.

    ``weights`` defaults to ``weights_for(lang)``; a leg missing from it counts with weight 1,
    a leg with weight 0 is ignored. Items may be ``LegHit`` or ``(asset_id, score[, evidence])``.
    ``explain=False`` leaves the reasons empty: a search fuses a thousand hits and explains only
    the page it shows.
    """
    weights = weights_for(lang) if weights is None else weights
    collected: dict[Hashable, list[LegMatch]] = {}
    for leg, hits in legs.items():
        weight = weights.get(leg, 1.0)
        if weight <= 0:
            continue
        for rank, hit in _ranked(hits):
            match = LegMatch(leg, rank, hit.score, weight / (k + rank), hit.evidence)
            collected.setdefault(hit.asset_id, []).append(match)
    fused = [_fused_hit(asset_id, matches, explain) for asset_id, matches in collected.items()]
    fused.sort(key=_sort_key)
    return fused[:limit] if limit is not None else fused


def fused_scores(
    legs: Mapping[str, Sequence[tuple[Hashable, float]]], weights: Mapping[str, float], *, k: int = DEFAULT_K
) -> list[tuple[Hashable, float]]:
    """``fuse(legs, weights, k=k, explain=False)`` as (asset id, score) pairs, same scores, same
    order: a search fuses a thousand hits per query, and building a FusedHit with its LegMatches
    for each took longer than the database's vector search; so did a sort key per hit."""
    ranked: list[tuple[str, dict[Hashable, int], float]] = []
    for leg, hits in legs.items():
        weight = weights.get(leg, 1.0)
        if weight <= 0:
            continue
        ranked.append((leg, _ranks(hits), weight))
    scores: dict[Hashable, float] = {}  # in the order fuse first finds the assets
    shared: set[Hashable] = set()
    for _, ranks, weight in ranked:
        shared |= scores.keys() & ranks.keys()
        scores.update(zip(ranks, [weight / (k + rank) for rank in range(1, len(ranks) + 1)]))
    # Most assets are found by one leg and scored by its contribution; the few found by several
    # sum theirs strongest first, as _fused_hit does: the same float, so the same ties.
    for asset_id in shared:
        matches = [
            (weight / (k + ranks[asset_id]), leg) for leg, ranks, weight in ranked if asset_id in ranks
        ]
        scores[asset_id] = sum(c for c, _ in sorted(matches, key=lambda m: (-m[0], m[1])))
    fused = sorted(scores.items(), key=itemgetter(1), reverse=True)
    _settle_near_ties(fused, ranked)
    return fused


def _ranks(hits: Sequence[tuple]) -> dict[Hashable, int]:
    """Each asset's 1-based rank in a leg, counting only its first (best) appearance."""
    ranks = dict(zip(map(itemgetter(0), hits), count(1)))
    if len(ranks) < len(hits):  # an asset listed twice: the ranks after its second listing close up
        ranks = dict(zip(dict.fromkeys(map(itemgetter(0), hits)), count(1)))
    return ranks


# _sort_key orders by the score rounded to 12 decimals. Rounding is monotonic, so sorting by the
# exact score gives the same order except among scores that round alike, which lie within 1e-12 of
# each other: only runs of neighbours closer than this need _sort_key's tie-breaks.
_NEAR = 2e-12


def _settle_near_ties(
    fused: list[tuple[Hashable, float]], ranked: list[tuple[str, dict[Hashable, int], float]]
) -> None:
    """Reorder, in place, each run of ``fused`` (sorted by exact score) whose scores may round
    alike as ``fuse`` orders them: by _sort_key, then in the order fuse found them."""
    values = list(map(itemgetter(1), fused))
    # Where a score is near the next one (a NaN gap counts as near).
    near = [i for i, gap in enumerate(map(sub, values, values[1:])) if not gap > _NEAR]
    if not near:
        return

    def key(hit: tuple[Hashable, float]) -> tuple:
        asset_id, score = hit
        found = [(leg, ranks[asset_id]) for leg, (_, ranks, _) in enumerate(ranked) if asset_id in ranks]
        return (-round(score, 12), -len(found), min(rank for _, rank in found), str(asset_id), found[0])

    start = near[0]
    for i, following in zip(near, [*near[1:], None]):
        if following != i + 1:  # the run ends with the score after i
            fused[start : i + 2] = sorted(fused[start : i + 2], key=key)
            start = following


def _fused_hit(asset_id: Hashable, matches: list[LegMatch], explain: bool = True) -> FusedHit:
    ordered = tuple(sorted(matches, key=lambda m: (-m.contribution, m.leg)))
    reasons = _reasons(ordered) if explain else ()
    return FusedHit(asset_id, sum(m.contribution for m in ordered), ordered, reasons)


def _sort_key(hit: FusedHit) -> tuple:
    # Ties (common with equal weights) go to the hit more legs agree on, then to the best
    # single rank, then to the id, so the order never depends on dict iteration.
    best_rank = min(m.rank for m in hit.matches)
    return (-round(hit.score, 12), -len(hit.matches), best_rank, str(hit.asset_id))


def _number(value: float, lang: str) -> str:
    text = f"{value:.2f}"
    return text.replace(".", ",") if lang == "vi" else text


def _evidence_reason(evidence: Evidence) -> Reason:
    if evidence.via:
        return Reason(
            f"thesaurus: {evidence.via} → {evidence.term}",
            f"từ điển đồng nghĩa: {evidence.via} → {evidence.term}",
        )
    field_en, field_vi = _FIELDS.get(evidence.field, (evidence.field or "text", evidence.field or "nội dung"))
    en = f"{field_en} matches '{evidence.term}'"
    vi = f"{field_vi} khớp '{evidence.term}'"
    if evidence.exact_accents:
        en, vi = en + " (exact accents)", vi + " (đúng dấu)"
    return Reason(en, vi)


def _leg_reason(match: LegMatch) -> Reason:
    leg = match.leg
    if leg.startswith(("vector", "semantic", "clip", "image")):
        return Reason(
            f"semantic similarity {_number(match.score, 'en')}",
            f"tương đồng ngữ nghĩa {_number(match.score, 'vi')}",
        )
    if leg.startswith("trigram"):
        return Reason(
            f"similar spelling {_number(match.score, 'en')}",
            f"gần đúng chính tả {_number(match.score, 'vi')}",
        )
    label_en, label_vi = _LEG_LABELS.get(leg, (leg, leg))
    return Reason(f"{label_en}, rank {match.rank}", f"{label_vi}, hạng {match.rank}")


def _reasons(matches: Sequence[LegMatch]) -> tuple[Reason, ...]:
    reasons: dict[Reason, None] = {}
    for match in matches:
        if match.evidence:
            for evidence in match.evidence:
                reasons.setdefault(_evidence_reason(evidence), None)
        else:
            reasons.setdefault(_leg_reason(match), None)
    return tuple(reasons)
