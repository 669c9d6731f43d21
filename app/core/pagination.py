"""Keyset pagination: `limit` and an opaque `cursor`, a stable order ending on a unique key."""

import base64
import binascii
import datetime as dt
import decimal
import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from inspect import Parameter, Signature
from typing import Annotated, Any, Generic, TypeVar, cast, get_args

from fastapi import Query
from pydantic import Field
from sqlalchemy import ColumnElement, Select, and_, false, or_, tuple_
from sqlalchemy.orm import InstrumentedAttribute

from app.core.errors import RuleViolation
from app.core.problem_codes import ProblemCode
from app.core.schemas import OutputModel, PlainInteger

T = TypeVar("T")
U = TypeVar("U")
SortT = TypeVar("SortT")
FiltersT = TypeVar("FiltersT")
S = TypeVar("S", bound=Select[*tuple[Any, ...]])
SQLColumn = ColumnElement[Any] | InstrumentedAttribute[Any]

DEFAULT_LIMIT = 50
MAX_LIMIT = 500

LimitParam = Annotated[
    int, Query(ge=1, le=MAX_LIMIT, description=f"Page size, 1 to {MAX_LIMIT}."), PlainInteger
]
CursorParam = Annotated[
    str | None,
    Query(max_length=2000, description="Opaque cursor from the previous page's next_cursor."),
]


class Page(OutputModel, Generic[T]):
    """One page of a list, in the list's order."""

    items: list[T]
    next_cursor: str | None = Field(
        default=None, description="Pass as `cursor` to get the next page; null on the last page."
    )


@dataclass(frozen=True)
class Slice(Generic[T]):
    """One page of rows as the repository read them, and the cursor of the next page."""

    items: list[T]
    next_cursor: str | None

    def page(self, view: Callable[[T], U]) -> Page[U]:
        """The response page, each row turned into its read model by `view`."""
        return Page(items=[view(item) for item in self.items], next_cursor=self.next_cursor)


@dataclass(frozen=True)
class ListQuery(Generic[SortT, FiltersT]):
    """What a list request asks for: page size, cursor, order and the list's filters."""

    limit: int
    cursor: str | None
    sort: SortT  # None for a list with one fixed order
    filters: FiltersT  # None for a list without filters


def list_query(
    sort: Any = None, default: str | None = None, filters: type[FiltersT] | None = None
) -> Callable[..., Awaitable[ListQuery[Any, FiltersT]]]:
    """The dependency reading a list's query parameters, in the order every list documents them:
    `limit`, `cursor`, then `sort` (a Literal, with its default) and the `filters` query model's
    fields. Use as `Annotated[ListQuery[XSort, XFilters], Depends(list_query(XSort, "name",
    XFilters))]`."""

    async def read(**values: Any) -> ListQuery[Any, FiltersT]:
        return ListQuery(
            values["limit"],
            values["cursor"],
            values.get("sort"),
            cast(FiltersT, values.get("filters")),
        )

    parameters = [
        Parameter("limit", Parameter.KEYWORD_ONLY, default=DEFAULT_LIMIT, annotation=LimitParam),
        Parameter("cursor", Parameter.KEYWORD_ONLY, default=None, annotation=CursorParam),
    ]
    if sort is not None:
        parameters.append(
            Parameter("sort", Parameter.KEYWORD_ONLY, default=default, annotation=sort)
        )
    if filters is not None:
        parameters.append(
            Parameter("filters", Parameter.KEYWORD_ONLY, annotation=Annotated[filters, Query()])
        )
    read.__signature__ = Signature(parameters)  # type: ignore[attr-defined]
    return read


@dataclass(frozen=True)
class SortKey:
    """One column of an ordering: the SQL expression, the attribute that holds its value on a
    result row, and its direction. Expressions must be NOT NULL."""

    expression: SQLColumn
    attribute: str
    descending: bool = False


@dataclass(frozen=True)
class Ordering:
    name: str
    keys: tuple[SortKey, ...]

    def order_by(self) -> list[ColumnElement[Any]]:
        return list(self._order_by)

    @cached_property
    def _order_by(self) -> tuple[ColumnElement[Any], ...]:
        """Built once: every page of the list asks for it."""
        return tuple(k.expression.desc() if k.descending else k.expression.asc() for k in self.keys)


def _encode_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if hasattr(value, "value") and isinstance(value.value, str):  # StrEnum members
        return value.value
    return value


def _decode_value(value: Any, expression: SQLColumn) -> Any:
    try:
        python_type = expression.type.python_type
    except NotImplementedError:
        return value
    if value is None:
        return None
    if python_type is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if python_type is dt.date:
        return dt.date.fromisoformat(value)
    if python_type is decimal.Decimal:
        return decimal.Decimal(value)
    if not isinstance(value, python_type) or (isinstance(value, bool) and python_type is not bool):
        # A forged cursor: the database would refuse the value with a 500 otherwise.
        raise TypeError(f"{value!r} is not a {python_type.__name__}")
    return value


def _attribute(row: Any, name: str) -> Any:
    """A sort value from an ORM object, or from a result row whose first column is one."""
    try:
        return getattr(row, name)
    except AttributeError:
        return getattr(row[0], name)


def encode_cursor(ordering: Ordering, row: Any) -> str:
    values = [_encode_value(_attribute(row, key.attribute)) for key in ordering.keys]
    raw = json.dumps({"o": ordering.name, "v": values}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _cursor_condition(ordering: Ordering, cursor: str) -> ColumnElement[bool]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(payload, dict) or not isinstance(payload.get("v"), list):
            raise ValueError("not a cursor")
        if payload["o"] != ordering.name or len(payload["v"]) != len(ordering.keys):
            raise ValueError("cursor from another ordering")
        if any(v is None for v in payload["v"]):
            raise ValueError("sort values are never null")
        values = [
            _decode_value(v, k.expression) for v, k in zip(payload["v"], ordering.keys, strict=True)
        ]
    except (ValueError, KeyError, TypeError, ArithmeticError, binascii.Error) as exc:
        raise RuleViolation(
            "cursor is not valid for this list and sort; start again without it",
            code=ProblemCode.INVALID_CURSOR,
        ) from exc
    directions = {key.descending for key in ordering.keys}
    if len(directions) == 1:
        # One direction: a row comparison, which PostgreSQL serves from a composite index.
        row = tuple_(*(key.expression for key in ordering.keys))
        bound = tuple_(*values)
        return row < bound if ordering.keys[0].descending else row > bound
    # Mixed directions: (a, b) after (va, vb) expanded into ORs.
    clauses: list[ColumnElement[bool]] = []
    for index, key in enumerate(ordering.keys):
        equal_prefix = [ordering.keys[i].expression == values[i] for i in range(index)]
        beyond = (
            key.expression < values[index] if key.descending else (key.expression > values[index])
        )
        clauses.append(and_(*equal_prefix, beyond))
    return or_(false(), *clauses)


def keyset(stmt: S, ordering: Ordering, limit: int, cursor: str | None) -> S:
    """The statement for one page: ordered, after the cursor, one row more than the limit."""
    if cursor:
        stmt = stmt.where(_cursor_condition(ordering, cursor))
    return stmt.order_by(*ordering.order_by()).limit(limit + 1)


def page_of(rows: Sequence[T], ordering: Ordering, limit: int) -> Slice[T]:
    """Split the limit+1 fetched rows into the page and the next cursor."""
    items = list(rows[:limit])
    next_cursor = encode_cursor(ordering, items[-1]) if len(rows) > limit and items else None
    return Slice(items, next_cursor)


def orderings(sort: Any, columns: Mapping[str, tuple[SQLColumn, ...]]) -> dict[str, Ordering]:
    """A list's orderings by the values of its `sort` Literal, checked to match it exactly, so
    that the router's parameter and the repository's orderings are one definition. A value
    `"-x"` sorts its columns descending; each column's value is read from the result row's
    attribute of the column's name. The last column must be unique."""
    names = get_args(sort)
    if set(names) != set(columns):
        raise ValueError(f"orderings {sorted(columns)} do not match the sort values {names}")
    return {
        name: by(*keys, descending=name.startswith("-"), name=name)
        for name, keys in columns.items()
    }


def by(*columns: SQLColumn, descending: bool = False, name: str | None = None) -> Ordering:
    """An ordering on `columns`, all in one direction, named after the first unless `name`."""
    keys = tuple(SortKey(column, str(column.key), descending) for column in columns)
    return Ordering(name or str(columns[0].key), keys)
