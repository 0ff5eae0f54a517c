"""Weighted reciprocal rank fusion of the search legs, with a bilingual explanation per hit.

Each leg (full text in Vietnamese or English, exact accents, trigram spelling, vectors) returns
its own ranked list; scores of different legs are not comparable, ranks are. A hit's fused score
is the sum over the legs that found it of ``weight / (k + rank)`` (Cormack et al., 2009), with
the weights chosen by the query's language. A leg missing from the weights counts with weight 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Hashable, Iterable, Mapping, Sequence

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
    for each took longer than the database's vector search."""
    collected: dict[Hashable, list[tuple[float, str, int]]] = {}
    for leg, hits in legs.items():
        weight = weights.get(leg, 1.0)
        if weight <= 0:
            continue
        seen: set[Hashable] = set()
        for asset_id, *_ in hits:
            if asset_id not in seen:
                seen.add(asset_id)
                collected.setdefault(asset_id, []).append((weight / (k + len(seen)), leg, len(seen)))
    keyed = []
    for asset_id, matches in collected.items():
        if len(matches) == 1:  # most hits: found by one leg
            score, _, best_rank = matches[0]
        else:
            # Summed strongest first, as _fused_hit sums: the same float, so the same ties.
            score = sum(c for c, _, _ in sorted(matches, key=lambda m: (-m[0], m[1])))
            best_rank = min(rank for _, _, rank in matches)
        keyed.append(((-round(score, 12), -len(matches), best_rank, str(asset_id)), asset_id, score))
    keyed.sort(key=lambda item: item[0])
    return [(asset_id, score) for _, asset_id, score in keyed]


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
