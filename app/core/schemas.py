"""Base pydantic models: strict, normalized input and ORM-backed output."""

import datetime as dt
import re
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, field_validator, model_validator

from app.core.text import normalize_input

T = TypeVar("T")

# The records describe the committee's history and plans: dates outside these years are typos
# (and PostgreSQL would store 9999-12-31 as infinity through the driver).
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
# Control characters other than tab and line breaks: invisible, and refused by spreadsheets.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _check_value(value: Any) -> Any:
    if isinstance(value, dt.date) and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValueError(f"dates must lie between {EARLIEST_DATE} and {LATEST_DATE}")
    if isinstance(value, str) and _CONTROL.search(value):
        raise ValueError("text must not contain control characters")
    if isinstance(value, list):
        for item in value:
            _check_value(item)
    return value


def _not_null(value: Any) -> Any:
    if value is None:
        raise ValueError("may not be null; omit the field to keep its value")
    return value


# A PATCH field whose column is required: it may be omitted (kept), never sent as null. Every
# update schema spells such a field `Patch[Type] = None`; a null is a 422 validation_error.
Patch = Annotated[T | None, AfterValidator(_not_null)]


class _NormalizedText(BaseModel):
    """Text in, from a body or a query string, is NFC and trimmed."""

    @model_validator(mode="before")
    @classmethod
    def _normalize_text(cls, data: Any) -> Any:
        return normalize_input(data)


class InputModel(_NormalizedText):
    """Request bodies: unknown and server-managed fields are rejected, text is NFC and trimmed
    and free of control characters, dates lie in 1900–2100."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _plausible_values(cls, value: Any) -> Any:
        return _check_value(value)


class FilterModel(_NormalizedText):
    """A list's filters (see `app.core.pagination.list_query`): each field is one query
    parameter; text is NFC and trimmed like body text."""


class OutputModel(BaseModel):
    """Response bodies, read from ORM objects or rows."""

    model_config = ConfigDict(from_attributes=True)
