"""The async engine and the one session per request, committed once before the response is sent."""

import datetime as dt
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from sqlalchemy import event, func, select
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry

import app.core.audit  # noqa: F401  (registers the audit trail's flush listener)


async def database_now(session: AsyncSession) -> dt.datetime:
    """The database's clock (the one its `now()` defaults and comparisons use)."""
    return (await session.execute(select(func.now()))).scalar_one()


class Database:
    """An engine and its session factory; created lazily, disposed at shutdown.

    Every connection carries the statement and lock timeouts (seconds; 0 turns one off): a
    statement stuck behind a lock or running away is cancelled and answered with a 503 instead
    of holding a connection and its client forever.

    A connection that sat unused in the pool for `ping_after_idle` seconds or more is pinged
    before it is handed out, and replaced when the server no longer answers on it (a restart, a
    firewall's idle timeout): a busy pool's connections, just used, are not pinged on every
    checkout, which cost three round trips per request (issue 11).
    """

    def __init__(
        self,
        url: str,
        *,
        replica_url: str | None = None,
        pool_size: int = 10,
        pool_timeout: float = 10.0,
        statement_timeout: float = 0,
        lock_timeout: float = 0,
        ping_after_idle: float = 2.0,
    ) -> None:
        self.url = url
        self.pool_timeout = pool_timeout
        server_settings = {
            "application_name": "kcn-party",
            "timezone": "UTC",
            "statement_timeout": str(round(statement_timeout * 1000)),
            "lock_timeout": str(round(lock_timeout * 1000)),
            # JIT compiles a plan whose estimated cost is high, which at national scale is most
            # of them: hundreds of ms spent before index-driven statements that then take a few
            # (issue 12). The service's statements are short; it is off for them.
            "jit": "off",
        }

        def engine(of: str) -> AsyncEngine:
            created = create_async_engine(
                of,
                pool_size=pool_size,
                max_overflow=pool_size,
                pool_timeout=pool_timeout,
                connect_args={"server_settings": server_settings},
            )
            _ping_when_idle(created, ping_after_idle)
            return created

        self.engine = engine(url)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)
        # A read runs each statement on its own: under READ COMMITTED a transaction would give
        # its statements no common snapshot anyway, and BEGIN and COMMIT cost two round trips
        # per request (issue 11). Its connection is checked out at its first statement.
        self.reads = async_sessionmaker(
            self.engine.execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False
        )
        # A streaming replica, for the reads that tolerate its lag (`ReplicaSessionDep`).
        self.replica_engine: AsyncEngine | None = None
        self.replica_reads: async_sessionmaker[AsyncSession] | None = None
        if replica_url is not None:
            self.replica_engine = engine(replica_url)
            self.replica_reads = async_sessionmaker(
                self.replica_engine.execution_options(isolation_level="AUTOCOMMIT"),
                expire_on_commit=False,
            )

    @property
    def engines(self) -> list[AsyncEngine]:
        """The primary's engine, and the replica's when there is one."""
        return [self.engine, *([self.replica_engine] if self.replica_engine else [])]

    async def dispose(self) -> None:
        for engine in self.engines:
            await engine.dispose()


def _ping_when_idle(engine: AsyncEngine, idle_seconds: float) -> None:
    pool = engine.sync_engine.pool

    @event.listens_for(pool, "checkin")
    def _returned(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info[_RETURNED_AT] = time.monotonic()

    @event.listens_for(pool, "checkout")
    def _maybe_ping(dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
        returned = record.info.get(_RETURNED_AT)
        if returned is None or time.monotonic() - returned < idle_seconds:
            return
        try:
            dbapi_connection.ping()
        except Exception as exc:
            # The pool throws this connection away and hands out a fresh one.
            raise DisconnectionError("the connection was lost while idle") from exc


_RETURNED_AT = "kcn_returned_at"
T = TypeVar("T")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def in_transaction(url: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """`work` in one transaction, committed when it succeeds, on a short-lived engine: the CLI's
    commands and the set-ups of tests and benchmarks."""
    database = Database(url, pool_size=1)
    try:
        async with database.sessionmaker() as session:
            result = await work(session)
            await session.commit()
            return result
    finally:
        await database.dispose()


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One session per request.

    Declared with scope="function", so the code after `yield` runs when the endpoint has returned
    and its response is built but not yet sent: a failing commit becomes an error response, and an
    exception anywhere in the endpoint rolls everything back.
    """
    database: Database = request.app.state.database
    reads = request.method in SAFE_METHODS
    async with (database.reads if reads else database.sessionmaker)() as session:
        try:
            yield session
        except BaseException:
            await session.rollback()
            raise
        # A read's statements committed as they ran; only a change it left unflushed is
        # still to be written (and checking that costs less than a commit).
        if not reads or session.new or session.dirty or session.deleted:
            await session.commit()


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


async def get_replica_session(request: Request, session: SessionDep) -> AsyncIterator[AsyncSession]:
    """A read that tolerates the replica's lag (a list, a report, an export): a session on the
    replica when KCN_DATABASE_REPLICA_URL is set, else the request's own session.

    The token's user is still checked on the primary (a logout ends a token at once), and so
    are single records (GET /x/{id}, whose ETag a client sends back) and every write.
    """
    database: Database = request.app.state.database
    if database.replica_reads is None or request.method not in SAFE_METHODS:
        yield session
        return
    async with database.replica_reads() as replica:
        yield replica


ReplicaSessionDep = Annotated[AsyncSession, Depends(get_replica_session, scope="function")]
