"""Unicode hygiene for text input and the diacritic-insensitive search key for Vietnamese."""

import re
import unicodedata
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.orm import InstrumentedAttribute

_SPACES = re.compile(r"\s+")
# Letters whose base form is not reached by stripping combining marks.
_FOLD = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o"})


def normalize_text(value: str) -> str:
    """NFC-normalized and trimmed: the form every text is stored in."""
    return unicodedata.normalize("NFC", value).strip()


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
