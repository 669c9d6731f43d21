"""The async engine and the one session per request, committed once before the response is sent."""

import datetime as dt
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

import app.core.audit  # noqa: F401  (registers the audit trail's flush listener)


async def database_now(session: AsyncSession) -> dt.datetime:
    """The database's clock (the one its `now()` defaults and comparisons use)."""
    return (await session.execute(select(func.now()))).scalar_one()


class Database:
    """An engine and its session factory; created lazily, disposed at shutdown.

    Every connection carries the statement and lock timeouts (seconds; 0 turns one off): a
    statement stuck behind a lock or running away is cancelled and answered with a 503 instead
    of holding a connection and its client forever.
    """

    def __init__(
        self,
        url: str,
        *,
        pool_size: int = 10,
        pool_timeout: float = 10.0,
        statement_timeout: float = 0,
        lock_timeout: float = 0,
    ) -> None:
        self.url = url
        self.pool_timeout = pool_timeout
        server_settings = {
            "application_name": "kcn-party",
            "timezone": "UTC",
            "statement_timeout": str(round(statement_timeout * 1000)),
            "lock_timeout": str(round(lock_timeout * 1000)),
        }
        self.engine: AsyncEngine = create_async_engine(
            url,
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_timeout=pool_timeout,
            pool_pre_ping=True,
            connect_args={"server_settings": server_settings},
        )
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)

    async def dispose(self) -> None:
        await self.engine.dispose()


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One session per request.

    Declared with scope="function", so the code after `yield` runs when the endpoint has returned
    and its response is built but not yet sent: a failing commit becomes an error response, and an
    exception anywhere in the endpoint rolls everything back.
    """
    database: Database = request.app.state.database
    async with database.sessionmaker() as session:
        try:
            yield session
        except BaseException:
            await session.rollback()
            raise
        await session.commit()


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
