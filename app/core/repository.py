"""The base every repository extends: get, get_or_none, reference, add, delete and a keyset page.

A domain repository names its model and the noun its messages use, and adds only its own queries
(polar's `kit/repository/base.py`). Repositories flush, never commit: the request's session is
committed once by `app.core.db.get_session`.

A domain repository's list method is called `list`; inside its class body that name then hides
the builtin, so annotations after it write `builtins.list[...]` or come before it.
"""

from collections.abc import Awaitable, Callable
from inspect import Parameter, Signature
from typing import Any, Generic, Literal, TypeVar, TypeVarTuple, overload

from fastapi import Request
from pydantic import BaseModel
from sqlalchemy import Row, Select, func
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import SAFE_METHODS, SessionDep
from app.core.errors import NotFound, RuleViolation
from app.core.pagination import Ordering, Slice, keyset, page_of
from app.core.problem_codes import ProblemCode
from app.core.reads import by_id, detached
from app.core.schemas import ParamInt

M = TypeVar("M")
# Row locks, held until the request's transaction ends. "update" (FOR NO KEY UPDATE) serializes
# the writes of one row: the second writer waits, then sees the first one's result (a status
# already changed is a 409, a version already moved a 412). "share" (FOR SHARE) keeps a row a
# write depends on (the organization a member joins) from changing until the write commits.
Lock = Literal["update", "share"]
_FOR = {"update": {"key_share": True}, "share": {"read": True}}


def path_lock(request: Request) -> Lock | None:
    """The lock a row named in the path takes: "update" when the request writes."""
    return None if request.method in SAFE_METHODS else "update"


T = TypeVar("T")
Ts = TypeVarTuple("Ts")


class Repository(Generic[M]):
    """Queries and writes over one aggregate. Subclasses set `model` and `noun`."""

    model: type[M]
    noun: str  # how messages name one row: "industrial zone"

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_or_none(self, ident: Any, *, lock: Lock | None = None) -> M | None:
        with_for_update = _FOR[lock] if lock else None
        return await self.session.get(self.model, ident, with_for_update=with_for_update)

    async def get(self, ident: Any, *, lock: Lock | None = None) -> M:
        """The row with primary key `ident`, or a 404 naming what was looked for."""
        row = await self.get_or_none(ident, lock=lock)
        if row is None:
            raise NotFound(f"{self.noun} {ident} does not exist")
        return row

    async def read_one(self, ident: Any) -> M:
        """The row with primary key `ident` for a read request: fetched by the driver into an
        object no session holds (`app.core.reads`), a quarter of `get`'s cost; 404 as `get`."""
        row = await by_id(self.model).first(self.session, id=ident)
        if row is None:
            raise NotFound(f"{self.noun} {ident} does not exist")
        return detached(self.model, row)

    @overload
    async def reference(self, ident: int, field: str, *, lock: Lock | None = None) -> M: ...
    @overload
    async def reference(self, ident: None, field: str, *, lock: Lock | None = None) -> None: ...

    async def reference(
        self, ident: int | None, field: str, *, lock: Lock | None = None
    ) -> M | None:
        """A row a request body refers to by `field` (None when the body names none): an unknown
        id is a 422 on that field."""
        if ident is None:
            return None
        row = await self.get_or_none(ident, lock=lock)
        if row is None:
            raise RuleViolation(
                f"{self.noun} {ident} does not exist",
                code=ProblemCode.UNKNOWN_REFERENCE,
                field=field,
            )
        return row

    async def add(self, row: M) -> M:
        self.session.add(row)
        await self.session.flush()
        return row

    async def update(
        self,
        row: M,
        changes: BaseModel,
        *,
        exclude: set[str] | None = None,
        check: Callable[[M], None] | None = None,
    ) -> M:
        """Apply the fields a PATCH body set (but those in `exclude`, which the service stores
        its own way), judge the merged row with `check`, and flush."""
        apply_changes(row, changes, exclude)
        if check is not None:
            check(row)
        await self.session.flush()
        return row

    async def delete(self, row: M) -> None:
        await self.session.delete(row)
        await self.session.flush()

    async def _page(
        self,
        stmt: Select[*Ts],
        ordering: Ordering,
        limit: int,
        cursor: str | None,
        params: dict[str, Any] | None = None,
    ) -> Slice[Row[*Ts]]:
        """One keyset page of `stmt`'s rows (`params`: the values of its `param`s)."""
        rows = (await self.session.execute(keyset(stmt, ordering, limit, cursor), params)).all()
        return page_of(rows, ordering, limit)

    async def _scalar_page(
        self,
        stmt: Select[T],
        ordering: Ordering,
        limit: int,
        cursor: str | None,
        params: dict[str, Any] | None = None,
    ) -> Slice[T]:
        """One keyset page of `stmt`'s single column (ORM objects for `select(Model)`)."""
        rows = (await self.session.scalars(keyset(stmt, ordering, limit, cursor), params)).all()
        return page_of(rows, ordering, limit)


def where_equal(stmt: Select[*Ts], *conditions: tuple[Any, Any]) -> Select[*Ts]:
    """`stmt` narrowed to the rows whose column equals each `(column, value)`'s value; a None
    value (a filter the request left out) narrows nothing."""
    return stmt.where(*(column == value for column, value in conditions if value is not None))


def touch(row: Any) -> None:
    """A change the row's own columns do not show (its links to other rows, what an activity
    recorded of it): rewritten at the next flush, so that its version (ETag, a calendar
    event's SEQUENCE) moves."""
    row.updated_at = func.now()


def apply_changes(target: Any, changes: BaseModel, exclude: set[str] | None = None) -> None:
    """Copy the fields a PATCH body set onto `target`."""
    for name, value in changes.model_dump(exclude_unset=True, exclude=exclude).items():
        setattr(target, name, value)


def path_row(repository: type[Repository[M]], param: str) -> Callable[..., Awaitable[M]]:
    """The dependency loading the row whose id is the path parameter `param` (404 when there is
    none): `ZoneDep = Annotated[IndustrialZone, Depends(path_row(ZoneRepository, "zone_id"))]`.
    A write request locks the row (`path_lock`), so concurrent writes of one row take turns; a
    read gets it without a session's bookkeeping (`Repository.read_one`)."""

    async def load(session: AsyncSession, request: Request, **path: int) -> M:
        rows = repository(session)
        if request.method in SAFE_METHODS:
            return await rows.read_one(path[param])
        return await rows.get(path[param], lock=path_lock(request))

    load.__signature__ = Signature(  # type: ignore[attr-defined]
        [
            Parameter(param, Parameter.KEYWORD_ONLY, annotation=ParamInt),
            Parameter("session", Parameter.KEYWORD_ONLY, annotation=SessionDep),
            Parameter("request", Parameter.KEYWORD_ONLY, annotation=Request),
        ]
    )
    return load
