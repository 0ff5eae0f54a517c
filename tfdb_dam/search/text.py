"""Text normalisation for search: NFC, accent folding, tone placement and tokens, written once.

The folding rule (``fold``) is the Python twin of the database expression ``FOLD_SQL``:

    fold(s) == lower(unaccent(s)) with đ/Đ → d and runs of whitespace collapsed to one space

``unaccent`` here is PostgreSQL's contrib dictionary with its stock ``unaccent.rules``. Agreement
is exact for Vietnamese and English text: every Vietnamese letter in NFC or NFD, ASCII, the
Latin-1 and Latin Extended-A letters, and the typographic dashes, quotes and ellipsis of
U+2010–U+204E (``tests/unit/search/test_search_text.py`` checks this against the rules file
that ships with the embedded PostgreSQL). Outside that range (Greek, ligature presentation forms,
mathematical alphabets, exotic Unicode spaces) the two may differ, which only affects text that
is not Vietnamese or English. ``unaccent`` runs before ``lower`` so that the database's
``lower`` only ever sees ASCII letters and does not depend on the server's locale.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from itertools import chain

__all__ = [
    "FOLD_SQL",
    "FOLD_SQL_FUNCTION",
    "exact_tokens",
    "fold",
    "fold_sql_function",
    "has_vietnamese_marks",
    "nfc",
    "normalize_tone_placement",
    "tokens",
    "tokens_of_each",
    "words_laid_out",
]

# The SQL side of the contract. A generated column or an expression index needs an IMMUTABLE
# function, which unaccent() is not (its dictionary could change); wrapping it is the usual fix.
FOLD_SQL = "tfdb_fold({})"
_FOLD_FUNCTION = r"""
CREATE OR REPLACE FUNCTION tfdb_fold(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT btrim(regexp_replace(
    lower(translate({schema}unaccent('{schema}unaccent'::regdictionary, $1), 'Đđ', 'Dd')),
    '[\s\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+', ' ', 'g'))
$$;
""".strip()
# As first created (migration 0002): unaccent found through the search_path.
FOLD_SQL_FUNCTION = "CREATE EXTENSION IF NOT EXISTS unaccent;\n" + _FOLD_FUNCTION.replace("{schema}", "")


def fold_sql_function(schema: str) -> str:
    """tfdb_fold with unaccent named in its ``schema``: index builds and ANALYZE (which compute
    expression indexes) run with only pg_catalog on the search_path since PostgreSQL 17."""
    quoted = '"' + schema.replace('"', '""') + '".'
    return _FOLD_FUNCTION.replace("{schema}", quoted)

# Letters and punctuation that NFD cannot decompose but unaccent.rules maps, limited to the
# ranges a Vietnamese/English newsroom meets. Đ is the one that matters: it has no NFD form.
_UNACCENT_EXTRA = {
    "Đ": "D", "đ": "d", "Ð": "D", "ð": "d", "Æ": "AE", "æ": "ae", "Ø": "O", "ø": "o",
    "Þ": "TH", "þ": "th", "ß": "ss", "Œ": "OE", "œ": "oe", "Ł": "L", "ł": "l", "Ħ": "H",
    "ħ": "h", "ı": "i", "Ĳ": "IJ", "ĳ": "ij", "ĸ": "q", "Ŀ": "L", "ŀ": "l", "ŉ": "'n",
    "Ŋ": "N", "ŋ": "n", "Ŧ": "T", "ŧ": "t", "ſ": "s", "ª": "a", "º": "o", "µ": "μ",
    "¡": "!", "©": "(C)", "«": "<<", "\u00ad": "-", "®": "(R)", "±": "+/-", "»": ">>",
    "¼": " 1/4", "½": " 1/2", "¾": " 3/4", "¿": "?", "×": "*", "÷": "/",
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "‖": "||",
    "‘": "'", "’": "'", "‚": ",", "‛": "'", "“": '"', "”": '"', "„": ",,", "‟": '"',
    "․": ".", "‥": "..", "…": "...", "′": "'", "″": '"', "‹": "<", "›": ">",
    "‼": "!!", "⁄": "/", "⁅": "[", "⁆": "]", "⁇": "??", "⁈": "?!", "⁉": "!?", "⁎": "*",
}
# Replaced by a regular expression rather than str.translate: translate looks every character
# up in the table, and a long Vietnamese text took longer there than in all the other steps.
_EXTRA = re.compile("[" + "".join(map(re.escape, _UNACCENT_EXTRA)) + "]")

# unaccent.rules deletes the combining diacritical marks U+0300–U+0362 (the medieval
# superscript letters U+0363–U+036F are kept); deleting the same set keeps NFD input in step.
_COMBINING_DROPPED = re.compile("[\u0300-\u0362]")
# Anything else beyond ASCII: without it, NFD text is ASCII letters and marks to drop.
_BEYOND_DROPPED = re.compile("[^\x00-\x7f\u0300-\u0362]")
_WORD = re.compile(r"[^\W_]+")
# words_laid_out's words and the NUL and SOH it puts after each text and each group.
_WORDS_AND_ENDS = re.compile(r"[^\W_]+|[\0\1]")
# A character beyond ASCII that _WORD leaves out (a typographic dash, a no-break space).
_BLANK_BEYOND_ASCII = re.compile(r"[^\x00-\x7f\w]")
# In UTF-8 text whose non-ASCII characters are all letters or digits, a blank byte is an ASCII
# byte that is neither a letter, a digit, nor a NUL or SOH.
_BYTE_BLANKS = bytes(b if b >= 128 or b < 2 or chr(b).isalnum() else 32 for b in range(256))
# The same set as FOLD_SQL_FUNCTION's class: ASCII whitespace plus the Unicode spaces (no-break
# spaces above all) that text pasted from Word or the web is full of; PostgreSQL's \s alone
# misses those, Python's \s adds control characters PostgreSQL keeps.
_SPACES = re.compile("[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
# Vietnamese vowel/consonant marks: breve, circumflex, horn, plus the tones; and đ.
_VIETNAMESE_MARKS = _TONE_MARKS | frozenset("\u0302\u0306\u031b")


def nfc(s: str | None) -> str:
    """Return ``s`` in Unicode NFC; ``None`` becomes the empty string."""
    return unicodedata.normalize("NFC", s) if s else ""


def fold(s: str | None) -> str:
    """Lower-case ``s`` without accents, đ as d, whitespace collapsed (see the module docstring)."""
    if not s:
        return ""
    return _SPACES.sub(" ", _fold_letters(s)).strip(" ")


def _fold_letters(s: str) -> str:
    """``fold`` but for the whitespace: where text is cut into words, collapsing it is wasted."""
    # đ and Đ, the ones Vietnamese text is full of, first: the expression calls back for each.
    s = s.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", _EXTRA.sub(lambda found: _UNACCENT_EXTRA[found[0]], s))
    if not _BEYOND_DROPPED.search(decomposed):
        # ASCII letters and dropped marks, as Vietnamese and English text becomes: dropping every
        # character beyond ASCII is then the same, and much faster than removing mark by mark.
        return decomposed.encode("ascii", "ignore").decode().lower()
    stripped = _COMBINING_DROPPED.sub("", decomposed)
    # NFC again so scripts that NFD splits without accents (Hangul) come back as stored.
    return unicodedata.normalize("NFC", stripped).lower()


def tokens(s: str | None) -> list[str]:
    """Folded words of ``s``: runs of letters and digits (underscore and punctuation split)."""
    return _WORD.findall(fold(s))


def exact_tokens(s: str | None) -> list[str]:
    """Words of ``s`` keeping accents: NFC, lower-case, one tone placement (for exact matching)."""
    return _WORD.findall(normalize_tone_placement(s).lower())


def tokens_of_each(texts: Sequence[str], *, exact: bool = False) -> list[list[str]]:
    """``tokens`` (``exact_tokens`` if ``exact``) of each text, normalised in one call with NUL
    between the texts: neither folding nor tone placement reaches across a NUL, and stored text
    never holds one. Many short texts are split several times faster so."""
    if any("\0" in text for text in texts):
        return [exact_tokens(text) if exact else tokens(text) for text in texts]
    joined = "\0".join(texts)
    normalised = normalize_tone_placement(joined).lower() if exact else fold(joined)
    return [_WORD.findall(text) for text in normalised.split("\0")] if texts else []


def words_laid_out(groups: Sequence[Sequence[str]], *, exact: bool = False) -> list[str]:
    """Each group of texts as one string of their words (``tokens``, ``exact_tokens`` if ``exact``),
    " w1 w2 \\0 w3 … ", in which " w1 w2 " occurs exactly when one text of the group holds those
    words in a row: one space between words, a NUL between texts (the n-th NUL ends the n-th
    text). All groups are normalised in one call, the way ``tokens_of_each`` does it."""
    if not groups:
        return []
    every_text = "".join(chain.from_iterable(groups))
    if "\0" in every_text or "\1" in every_text:
        # Blanks to ``tokens`` either way; here they would end a text or a group.
        groups = [[text.replace("\0", " ").replace("\1", " ") for text in texts] for texts in groups]
    joined = "\1".join(map("\0".join, groups))
    normalised = normalize_tone_placement(joined).lower() if exact else _fold_letters(joined)
    return _spaced(normalised).split("\1")


def _spaced(text: str) -> str:
    """The words and ends in ``text`` (_WORDS_AND_ENDS) one space apart, a space before and after."""
    if not text.isascii() and _BLANK_BEYOND_ASCII.search(text):
        return f" {' '.join(_WORDS_AND_ENDS.findall(text))} "
    # Every byte is then a letter or digit but for the ASCII blanks: a table lookup per byte and
    # a few passes over the bytes take a fraction of the time of a regular expression's matches.
    data = text.encode().translate(_BYTE_BLANKS).replace(b"\0", b" \0 ").replace(b"\1", b" \1 ")
    while b"  " in data:
        data = data.replace(b"  ", b" ")
    return f" {data.strip(b' ').decode()} "


def has_vietnamese_marks(s: str | None) -> bool:
    """True when ``s`` carries a Vietnamese diacritic (tone, breve, circumflex, horn) or đ/Đ."""
    if not s:
        return False
    if "đ" in s or "Đ" in s:
        return True
    return any(ch in _VIETNAMESE_MARKS for ch in unicodedata.normalize("NFD", s))


# Old placement puts the tone on the second vowel of an open oa/oe/uy syllable (hoà, khoẻ,
# thuỷ); the canonical form here is the one most Vietnamese news text uses: hòa, khỏe, thủy.
# Only word-final pairs move: with a final consonant (hoàng, toán, khuyến) both styles agree,
# and in "qu" the u belongs to the consonant (quý keeps its tone on y).
# Only a second vowel that carries a tone and nothing else is matched (à, é, ỵ …; "ấ" has two
# marks): a pattern that finds nothing else is several times faster on long texts. The "qu" case
# and the pairs (o with a or e, u with y) are checked on what it finds.
_TONED_AE = "".join(unicodedata.normalize("NFC", vowel + tone) for vowel in "aAeE" for tone in _TONE_MARKS)
_TONED_Y = "".join(unicodedata.normalize("NFC", vowel + tone) for vowel in "yY" for tone in _TONE_MARKS)
_OLD_PLACEMENT = re.compile(rf"([oOuU])([{_TONED_AE}{_TONED_Y}])(?![^\W\d_])")


def _move_tone(match: re.Match[str]) -> str:
    glide, vowel = match[1], match[2]
    after_q = match.start() > 0 and match.string[match.start() - 1] in "qQ"
    if after_q or (glide in "oO") != (vowel in _TONED_AE):
        return match[0]
    base, tone = unicodedata.normalize("NFD", vowel)
    return unicodedata.normalize("NFC", glide + tone) + base


def normalize_tone_placement(s: str | None) -> str:
    """NFC ``s`` with oà/oé/uỳ-style tone placement moved to òa/óe/ùy, so hoà == hòa."""
    return _OLD_PLACEMENT.sub(_move_tone, nfc(s))
