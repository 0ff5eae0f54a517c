"""Bilingual (Vietnamese/English) search: text folding, thesaurus, query parsing, rank fusion, evaluation."""

from tfdb_dam.search.fusion import DEFAULT_K, DEFAULT_WEIGHTS, Evidence, FusedHit, LegHit, LegMatch, Reason, fuse, weights_for
from tfdb_dam.search.query import ParsedQuery, detect_language, parse_query
from tfdb_dam.search.text import FOLD_SQL, FOLD_SQL_FUNCTION, exact_tokens, fold, nfc, normalize_tone_placement, tokens
from tfdb_dam.search.thesaurus import Entry, ExpandedTerm, Expansion, Thesaurus, default_thesaurus, expand

__all__ = [
    "DEFAULT_K",
    "DEFAULT_WEIGHTS",
    "Entry",
    "Evidence",
    "ExpandedTerm",
    "Expansion",
    "FOLD_SQL",
    "FOLD_SQL_FUNCTION",
    "FusedHit",
    "LegHit",
    "LegMatch",
    "ParsedQuery",
    "Reason",
    "Thesaurus",
    "default_thesaurus",
    "detect_language",
    "exact_tokens",
    "expand",
    "fold",
    "fuse",
    "nfc",
    "normalize_tone_placement",
    "parse_query",
    "tokens",
    "weights_for",
]
