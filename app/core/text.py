"""Unicode hygiene for text input and the diacritic-insensitive search key for Vietnamese."""

import re
import unicodedata
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.orm import InstrumentedAttribute

_SPACES = re.compile(r"\s+")
# Bidirectional embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI) reorder
# the text after them, so that what is shown is not what is stored ("Trojan Source" spoofing).
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# The marks LRM, RLM and ALM only hint a direction to the characters around them: at home in
# Arabic or Hebrew prose, invisible noise in a name or a code.
BIDI_MARKS = re.compile("[\u200e\u200f\u061c]")
# Letters and symbols that are drawn as nothing: the Hangul fillers and the blank braille cell.
_BLANKS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# Letters whose base form is not reached by stripping combining marks.
_FOLD = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o"})


def normalize_text(value: str) -> str:
    """NFC-normalized and trimmed: the form every text is stored in."""
    return unicodedata.normalize("NFC", value).strip()


def has_visible(value: str) -> bool:
    """Whether `value` shows anything: a letter, digit, punctuation mark or symbol. Spaces, format
    characters (category Cf: zero-width space, joiners, U+FEFF, soft hyphen, direction marks),
    lone combining marks and blank fillers do not count."""
    return any(unicodedata.category(ch)[0] in "LNPS" and ch not in _BLANKS for ch in value)


def first_format_character(value: str) -> str | None:
    """The first invisible format character (category Cf) in `value`, if any."""
    return next((ch for ch in value if unicodedata.category(ch) == "Cf"), None)


def describe_character(ch: str) -> str:
    """`U+202E RIGHT-TO-LEFT OVERRIDE`: how messages name an invisible character."""
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')}"


def normalize_input(value: Any) -> Any:
    """Apply normalize_text to every string inside a decoded JSON value."""
    if isinstance(value, str):
        return normalize_text(value)
    if isinstance(value, dict):
        return {key: normalize_input(item) for key, item in value.items()}
    if isinstance(value, list):
        return [normalize_input(item) for item in value]
    return value


def search_key(*parts: str | None) -> str:
    """Tone marks and diacritics stripped, đ→d, casefolded, spaces collapsed.

    "Nguyễn Văn An" and "nguyen van an" have the same key. Computed in Python and stored next to
    the text, so search works on every PostgreSQL without the unaccent extension.
    """
    text = " ".join(part for part in parts if part)
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold().translate(_FOLD)).strip()


def matches_search(
    column: ColumnElement[str] | InstrumentedAttribute[str], query: str
) -> ColumnElement[bool]:
    """A LIKE condition on a stored search key, with wildcards in the query taken literally."""
    key = search_key(query)
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.like(f"%{escaped}%", escape="\\")
