"""Read statements built and compiled once, and run by the database driver itself (issue 11).

A SELECT that a hot path runs on every request (the token's user, one row by id) is a
`Prepared`: built with SQLAlchemy once, at import, with named bind parameters; compiled once per
dialect into its SQL text and the order of its parameters; and run on the request's connection
by asyncpg directly, which keeps it prepared. That skips what SQLAlchemy does on every
execution (the statement's cache key, parameter and result processing, ORM loading: about
0.2 ms of CPU per statement, four times the driver's own), and gives plain records.

Records carry the database's values as asyncpg decodes them: a string column holding an enum's
value is a `str` (a `StrEnum` compares equal to it; the read models validate it into the enum).
Only reads use this: writes go through the ORM session, its flush and its audit trail.
"""

from collections.abc import Mapping
from typing import Any, TypeVar

import asyncpg
from sqlalchemy import Select, bindparam, inspect, select
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import ColumnProperty, Mapper

M = TypeVar("M")


class Prepared:
    """One SELECT with named bind parameters (`bindparam("id")`), compiled at its first use."""

    def __init__(self, statement: Select[Any]) -> None:
        self.statement = statement
        self._compiled: tuple[Dialect, str, tuple[str, ...]] | None = None

    def compiled(self, dialect: Dialect) -> tuple[str, tuple[str, ...]]:
        """The SQL text (with the driver's `$n` placeholders) and the parameters' names in
        placeholder order."""
        if self._compiled is None or self._compiled[0] is not dialect:
            compiled = self.statement.compile(dialect=dialect)
            names = tuple(compiled.positiontup or ())
            self._compiled = (dialect, compiled.string, names)
        return self._compiled[1], self._compiled[2]

    async def first(self, session: AsyncSession, **params: Any) -> Mapping[str, Any] | None:
        """The first row (a mapping of column name to value), or None."""
        return await self._run(session, params)  # type: ignore[no-any-return]

    async def _run(self, session: AsyncSession, params: dict[str, Any]) -> Any:
        connection, driver = await _connection(session)
        sql, names = self.compiled(connection.dialect)
        values = [params[name] for name in names]
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
            result = await driver.fetchrow(sql, *values)
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
        prepared = _BY_ID[model] = Prepared(select(*columns).where(key == bindparam("id")))
    return prepared
