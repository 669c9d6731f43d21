"""Base pydantic models: strict, normalized input and ORM-backed output."""

import datetime as dt
import decimal
import re
from functools import lru_cache
from typing import Annotated, Any, Self, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PlainSerializer,
    Strict,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema
from sqlalchemy import Row, inspect
from sqlalchemy.orm import InstanceState

from app.core.text import (
    BIDI_CONTROLS,
    BIDI_MARKS,
    describe_character,
    first_format_character,
    has_visible,
    normalize_input,
)

T = TypeVar("T")

# The records describe the committee's history and plans: dates outside these years are typos
# (and PostgreSQL would store 9999-12-31 as infinity through the driver).
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
# Control characters other than tab and line breaks: invisible, and refused by spreadsheets.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


# ECMAScript's \s spelled out, for patterns the published JSON Schema shares: Python's \s also
# matches \x1c-\x1f and \x85 (and not \ufeff), so a pattern written with it would refuse text
# the schema accepts (those control characters are refused as such, below).
WHITESPACE = r" \t\n\r\f\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"

_PLAIN_INTEGER = re.compile(r"-?[0-9]+")
_PLAIN_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


# The error `type`s of the rules below, which JSON Schema cannot state for every text and date
# field (bench/fuzz_hooks.py accepts them as correct refusals).
CHARACTER_RULES = frozenset({"control_character", "direction_control", "invisible_text"})
DATE_RANGE = "date_out_of_range"


def _refuse(kind: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(kind, message)


def _check_value(value: Any) -> Any:
    if isinstance(value, dt.date) and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise _refuse(DATE_RANGE, f"dates must lie between {EARLIEST_DATE} and {LATEST_DATE}")
    if isinstance(value, str) and _CONTROL.search(value):
        raise _refuse("control_character", "text must not contain control characters")
    if isinstance(value, str) and (override := BIDI_CONTROLS.search(value)):
        raise _refuse(
            "direction_control", f"text must not contain {describe_character(override.group())}"
        )
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
def _offer_no_null(schema: dict[str, Any]) -> None:
    """The schema of a Patch field: its type without the null the validator refuses."""
    branches = [branch for branch in schema.get("anyOf", []) if branch.get("type") != "null"]
    if len(branches) == 1:
        del schema["anyOf"]
        schema.update(branches[0])
    elif branches:
        schema["anyOf"] = branches


# The schema does not offer null, so generated clients and fuzzers see the truth; validation
# stays that of an optional field (a null is one clear error, not one per union branch).
Patch = Annotated[T | None, AfterValidator(_not_null), Field(json_schema_extra=_offer_no_null)]


# Numbers, dates and booleans are taken only in their own form: pydantic's lax mode would take
# `true` for 1, "1_000" for 1000 and 0 for 1970-01-01. FastAPI validates bodies in Python mode,
# where a whole model cannot be strict (enums and dates arrive there as strings), so each field's
# type says it. Their JSON schema stays integer, boolean, date, number.
#
# The validators below (PlainInteger, PlainDecimal, Label, CodeText) go LAST in an Annotated,
# after the Field(...) holding the constraints: `Annotated[str, Field(max_length=200), Label]`.
# Constraints after a validator function are checked in a wrapper pydantic cannot describe, and
# the OpenAPI schema would lose their `pattern`, `minimum` or `maxLength`.


def _plain_integer(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("must be an integer, not a boolean")
    if isinstance(value, str):
        if not _PLAIN_INTEGER.fullmatch(value):
            raise ValueError("must be an integer written with the digits 0-9 only")
        return int(value)
    return value


def _plain_decimal(value: Any) -> Any:
    if isinstance(value, str) and not _PLAIN_DECIMAL.fullmatch(value):
        raise ValueError("must be a number written with the digits 0-9 and at most one '.'")
    return value


def _iso_date(value: Any) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value
    raise ValueError("must be a date written YYYY-MM-DD (ISO 8601)")


def _iso_datetime(value: Any) -> Any:
    if isinstance(value, dt.datetime) or (isinstance(value, str) and _ISO_DATE.match(value)):
        return value
    raise ValueError("must be a date and time in ISO 8601, e.g. 2024-03-14T09:30:00+07:00")


def _label(value: str) -> str:
    bidi = BIDI_CONTROLS.search(value) or BIDI_MARKS.search(value)
    if bidi:
        raise _refuse("direction_control", f"must not contain {describe_character(bidi.group())}")
    if not has_visible(value):
        raise _refuse("invisible_text", "must contain a visible character, not only invisible ones")
    return value


def _code(value: str) -> str:
    invisible = first_format_character(value)
    if invisible is not None:
        raise _refuse("invisible_text", f"must not contain {describe_character(invisible)}")
    return _label(value)


# An integer in a query string or a path: the digits 0-9, a leading minus allowed; never
# "1_000", "+1", " 1", "1.0" or "0x1" (pydantic would read the first four).
PlainInteger = BeforeValidator(_plain_integer)


def _decimal_core(schema: Any) -> dict[str, Any]:
    """The decimal schema (with its max_digits, decimal_places, ge, gt) inside a core schema."""
    if isinstance(schema, dict):
        if schema.get("type") == "decimal":
            return schema
        for value in schema.values():
            if found := _decimal_core(value):
                return found
    if isinstance(schema, list):
        for item in schema:
            if found := _decimal_core(item):
                return found
    return {}


class _PlainDecimal:
    """A decimal in a JSON body: a JSON number, or a string of digits with at most one '.'
    ("25000000.00"); never "1_000.5", "1e3" or "+1" (nor true, which pydantic refuses itself).
    The schema states the field's digits: the string form as a pattern (no sign when the value
    may not be negative), the number form as a bound."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_before_validator_function(_plain_decimal, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        inner = _decimal_core(schema)
        places, digits = inner.get("decimal_places"), inner.get("max_digits")
        whole = f"{{1,{digits - (places or 0)}}}" if digits else "+"
        fraction = f"{{1,{places}}}" if places else "+"
        unsigned = any(inner.get(bound, -1) >= 0 for bound in ("ge", "gt"))
        sign = "" if unsigned else "-?"
        for branch in json_schema.get("anyOf", []):
            if branch.get("type") == "string":
                branch["pattern"] = f"^{sign}[0-9]{whole}(\\.[0-9]{fraction})?$"
            if branch.get("type") == "number" and digits:
                branch["exclusiveMaximum"] = 10 ** (digits - (places or 0))
        return json_schema


PlainDecimal = _PlainDecimal()
# A name, title or place people read and search: something visible (not only zero-width spaces
# or other format characters) and no direction control or mark. Joiners inside a name stay (some
# scripts need them). Free text (notes) stays plain `str`: it keeps format characters (the ZWJ of
# an emoji) but not the direction overrides, which InputModel refuses in every text.
Label = AfterValidator(_label)
# A code, or a number written with letters (zone code, decision number, e-mail): no invisible
# format character at all, so that two codes that look alike are the same code.
CodeText = AfterValidator(_code)

# PostgreSQL's integer: ids and counts beyond it cannot exist (the schema says so).
INT_MIN, INT_MAX = -(2**31), 2**31 - 1


# An integer in a JSON body: a JSON number written without a fraction; never true, 7.0 or "7".
# (Strict: a validator function here would hide the bounds domain types add from the schema.)
Int = Annotated[int, Field(ge=INT_MIN, le=INT_MAX), Strict()]
# A boolean in a JSON body: true or false; never 1 or "yes". (Query strings keep `bool`.)
Bool = Annotated[bool, Strict()]
# An integer in a query string or a path (see PlainInteger).
ParamInt = Annotated[int, Field(ge=INT_MIN, le=INT_MAX), PlainInteger]


def _date_in_range(value: dt.date) -> dt.date:
    return _check_value(value)  # type: ignore[no-any-return]


# A date, in a body or a query string: "YYYY-MM-DD" only, never a number of seconds; between
# 1900 and 2100 wherever it comes from (a path's as_of parameter too).
Date = Annotated[dt.date, BeforeValidator(_iso_date), AfterValidator(_date_in_range)]
# A date and time, in a body or a query string: ISO 8601 only, never a number of seconds.
DateTime = Annotated[dt.datetime, BeforeValidator(_iso_datetime)]


# A decimal in a response (a percentage, an amount): computed and rounded as a Decimal on the
# server, sent as a JSON number (56.4, not "56.4") so that clients compare it as a number.
DecimalNumber = Annotated[
    decimal.Decimal, PlainSerializer(float, return_type=float, when_used="json")
]


class _NormalizedText(BaseModel):
    """Text in, from a body or a query string, is NFC and trimmed."""

    @model_validator(mode="before")
    @classmethod
    def _normalize_text(cls, data: Any) -> Any:
        return normalize_input(data)


class InputModel(_NormalizedText):
    """Request bodies: unknown and server-managed fields are rejected, text is NFC and trimmed
    and free of control characters and direction overrides, dates lie in 1900–2100. Numbers,
    booleans and dates are typed `Int`, `Bool`, `PlainDecimal`, `Date`; names carry `Label` and
    codes `CodeText`."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _plausible_values(cls, value: Any) -> Any:
        return _check_value(value)


class FilterModel(_NormalizedText):
    """A list's filters (see `app.core.pagination.list_query`): each field is one query
    parameter; text is NFC and trimmed like body text, and like it free of control characters
    (a NUL would reach the database) and direction overrides; dates lie in 1900–2100. Integers
    are `ParamInt`, dates `Date`."""

    @field_validator("*", mode="after")
    @classmethod
    def _plausible_values(cls, value: Any) -> Any:
        return _check_value(value)


class OutputModel(BaseModel):
    """Response bodies, read from ORM objects or rows."""

    model_config = ConfigDict(
        from_attributes=True, json_schema_serialization_defaults_required=True
    )

    @classmethod
    def of_record(cls, record: Any, **extra: Any) -> Self:
        """The read model of an ORM object or a result row, with `extra` fields (counts and
        the like): validated once, from a dict of the record's columns, which is twice as fast
        as reading its attributes and then copying the model with the extras (issue 11)."""
        values = _column_values(record)
        if values is None:
            if not extra:
                return cls.model_validate(record)
            # Some columns are not loaded: read them as attributes (refreshed where the session
            # expired them), then add the extras, which may be required fields.
            state: InstanceState[Any] = inspect(record)
            values = {p.key: getattr(record, p.key) for p in state.mapper.column_attrs}
        return cls.model_validate(values | extra if extra else values)


@lru_cache(maxsize=256)
def _row_keys(result_columns: Any) -> tuple[Any, ...]:
    """A result's column names, read once per result (the rows of a page share them): a
    row's `_asdict` looks them up again for every row, a third of a page's conversion."""
    return tuple(result_columns.keys)


def _column_values(record: Any) -> dict[str, Any] | None:
    """A row's columns, or an ORM object's loaded column attributes (None when some are not
    loaded: reading them is left to from_attributes)."""
    if isinstance(record, Row):
        values = dict(zip(_row_keys(record._parent), record, strict=True))
        values.pop(None, None)  # an unnamed column
        return values
    state: InstanceState[Any] | None = inspect(record, raiseerr=False)
    if not isinstance(state, InstanceState):
        return None
    loaded = state.dict
    try:
        return {key: loaded[key] for key in _attribute_keys(state.mapper)}
    except KeyError:  # not loaded
        return None


@lru_cache(maxsize=256)
def _attribute_keys(mapper: Any) -> tuple[str, ...]:
    """A mapper's column attributes, listed once (every row of a page asks)."""
    return tuple(mapper.column_attrs.keys())
