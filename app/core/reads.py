"""Read statements built and compiled once, and run by the database driver itself (issue 11).

A SELECT that a hot path runs whole on every request (the token's user, one row by id, a
report's aggregates, a page's counts) is a `Prepared`: built with SQLAlchemy once, at import,
with named parameters (`param`); compiled once per dialect into its SQL text and what fills
each placeholder; and run on the request's connection by asyncpg directly, which keeps it
prepared. That skips what SQLAlchemy does on every
execution (the statement's cache key, parameter and result processing, ORM loading: about
0.2 ms of CPU per statement, four times the driver's own), and gives plain records.

Records carry the database's values as asyncpg decodes them: a string column holding an enum's
value is a `str` (a `StrEnum` compares equal to it; the read models validate it into the enum).
Only reads use this (also inside a write request, which then sees its own changes: what the
session holds unwritten is flushed first); writes go through the ORM session, its flush and its
audit trail.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import asyncpg
from asyncpg import Record
from sqlalchemy import (
    ARRAY,
    BindParameter,
    ColumnElement,
    Integer,
    Select,
    bindparam,
    func,
    inspect,
    select,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import ColumnProperty, Mapper

M = TypeVar("M")


def param(name: str, type_: Any = None) -> BindParameter[Any]:
    """A parameter a `Prepared` statement's caller supplies by `name` at each run."""
    return bindparam(name, None, type_=type_)


def any_of(name: str, item_type: Any = Integer) -> ColumnElement[Any]:
    """`column == any_of("ids")`: the column is one of the list given as parameter `name`. One
    statement for lists of any length, where IN would render one placeholder per item."""
    return func.any(param(name, ARRAY(item_type)))


@dataclass(frozen=True)
class _Compiled:
    sql: str
    # Per placeholder, in order: the caller's parameter name, or None and the statement's own
    # value (a literal, an IN list's item), already processed for the driver.
    slots: tuple[tuple[str | None, Any], ...]
    supplied: frozenset[str]


def _compile(statement: Select[*tuple[Any, ...]], dialect: Dialect) -> _Compiled:
    compiled = statement.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    values = compiled.params
    slots: list[tuple[str | None, Any]] = []
    for name in compiled.positiontup or ():
        value = values[name]
        if value is None:
            slots.append((name, None))
            continue
        bind = compiled.binds.get(name)
        if bind is None:  # an IN list's item, `<list's name>_<n>`: its list's type processes it
            bind = compiled.binds.get(name.rpartition("_")[0])
            assert bind is not None, name
            assert bind.expanding, name
        process = bind.type.dialect_impl(dialect).bind_processor(dialect)
        slots.append((None, process(value) if process else value))
    supplied = frozenset(name for name, _ in slots if name is not None)
    return _Compiled(compiled.string, tuple(slots), supplied)


class Prepared:
    """One SELECT, compiled once into the driver's SQL and run on the request's connection.

    Its caller's parameters are `param(name)`; every other value in it (literals, the items of
    an IN list, which are rendered one placeholder each) is the statement's own. Every
    `param` must be given at each run, and nothing else. (A bound value of None in the
    statement itself would be taken for a parameter: write `null()`.)"""

    def __init__(self, statement: Select[*tuple[Any, ...]]) -> None:
        self.statement = statement
        # Per dialect: the primary's and a replica's engines each have their own.
        self._compiled: dict[Dialect, _Compiled] = {}

    def compiled(self, dialect: Dialect) -> _Compiled:
        """The SQL text (with the driver's `$n` placeholders) and what fills each placeholder,
        compiled at the first run."""
        found = self._compiled.get(dialect)
        if found is None:
            found = self._compiled[dialect] = _compile(self.statement, dialect)
        return found

    async def first(self, session: AsyncSession, **params: Any) -> Record | None:
        """The first row (a record: by column name or position), or None."""
        return await self._run(session, "fetchrow", params)

    async def one(self, session: AsyncSession, **params: Any) -> Record:
        """The statement's one row (an aggregate's)."""
        row = await self.first(session, **params)
        assert row is not None, "an aggregate answers one row"
        return row

    async def all(self, session: AsyncSession, **params: Any) -> list[Record]:
        """Every row."""
        return await self._run(session, "fetch", params)  # type: ignore[no-any-return]

    async def scalar(self, session: AsyncSession, **params: Any) -> Any:
        """The first row's first column, or None."""
        return await self._run(session, "fetchval", params)

    async def _run(self, session: AsyncSession, method: str, params: dict[str, Any]) -> Any:
        # What the session holds unwritten is written first, as the ORM's autoflush would:
        # the statement then sees what the request has done so far.
        unwritten = session.sync_session
        if unwritten.autoflush and (unwritten.new or unwritten.dirty or unwritten.deleted):
            await session.flush()
        connection, driver = await _connection(session)
        compiled = self.compiled(connection.dialect)
        if params.keys() != compiled.supplied:
            needed = sorted(compiled.supplied)
            raise TypeError(f"parameters {sorted(params)} given, {needed} needed")
        sql = compiled.sql
        values = [value if name is None else params[name] for name, value in compiled.slots]
        # The engine's statement events fire as for any statement: tracing spans, and the
        # benchmarks and tests that count or record statements.
        sync = connection.sync_connection
        assert sync is not None
        events = sync.dispatch
        context = (
            _Context() if events.before_cursor_execute or events.after_cursor_execute else None
        )
        if context is not None:
            for listener in events.before_cursor_execute:
                listener(sync, None, sql, values, context, False)
        try:
            result = await getattr(driver, method)(sql, *values)
        except BaseException as error:
            # As SQLAlchemy answers a statement's failure: the error becomes a DBAPIError,
            # which app.core.errors makes a problem (a refused value, statement_timeout, ...).
            # Anything but the server's own error leaves the connection in doubt (lost, or cut
            # off in the middle of an operation, cancelled included): it is thrown out of the
            # pool, and the answer is 503 database_unavailable.
            lost = not isinstance(error, asyncpg.PostgresError) or driver.is_closed()
            if lost:
                session.info.pop(_HELD, None)
                await connection.invalidate(error if isinstance(error, Exception) else None)
            if not isinstance(error, Exception):
                raise
            raise DBAPIError(sql, values, error, connection_invalidated=lost) from error
        if context is not None:
            for listener in events.after_cursor_execute:
                listener(sync, None, sql, values, context, False)
        return result


class _Context:
    """Stands for SQLAlchemy's execution context in the statement events: listeners keep
    their own attributes on it (a tracing span)."""


_HELD = "kcn_driver"


async def _connection(session: AsyncSession) -> tuple[AsyncConnection, Any]:
    """The session's connection (checked out for the request's session, as any statement of it
    would be) and the asyncpg connection under it; remembered for the session's transaction,
    since asking the session costs more than the statement's own Python."""
    transaction = session.sync_session.get_transaction()
    held = session.info.get(_HELD)
    if held is not None and transaction is not None and held[0] is transaction:
        return held[1], held[2]
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    session.info[_HELD] = (
        session.sync_session.get_transaction(),
        connection,
        raw.driver_connection,
    )
    return connection, raw.driver_connection


def column_keys(model: type[Any]) -> tuple[str, ...]:
    """The model's column attributes, but deferred ones (a material's file)."""
    mapper: Mapper[Any] = inspect(model)
    return tuple(
        prop.key
        for prop in mapper.column_attrs
        if isinstance(prop, ColumnProperty) and not prop.deferred
    )


def detached(model: type[M], values: Mapping[str, Any]) -> M:
    """An instance of `model` holding `values` (every key of `column_keys`), as the ORM's
    loading fills one, but in no session: it cannot be written, and has nothing left to load
    (the models have no relationships)."""
    mapper: Mapper[M] = inspect(model)
    instance = mapper.class_manager.new_instance()
    instance.__dict__.update(values)
    return instance


_BY_ID: dict[type[Any], Prepared] = {}


def by_id(model: type[Any]) -> Prepared:
    """The statement reading one row of `model` by its primary key, the `id` parameter."""
    prepared = _BY_ID.get(model)
    if prepared is None:
        mapper: Mapper[Any] = inspect(model)
        (key,) = mapper.primary_key
        columns = (getattr(model, name).label(name) for name in column_keys(model))
        prepared = _BY_ID[model] = Prepared(select(*columns).where(key == param("id")))
    return prepared
