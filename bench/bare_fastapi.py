"""The plain-FastAPI handler bench/throughput.py also measures: FastAPI + asyncpg + pydantic
replaying the same statements as bench/bare.py, the way a minimal FastAPI service would serve
them: a dependency yields a pooled connection in a transaction, the endpoint runs the
statements, and FastAPI validates and serializes the last statement's rows through a pydantic
response model made from their columns. No authentication, middleware, logging or error
handling: it is what FastAPI itself costs, the ceiling the service's framework allows.

    uvicorn bench.bare_fastapi:app_factory --factory    (KCN_BARE_DSN, KCN_BARE_RECORDING,
                                                         KCN_BARE_SAMPLES)
"""

import datetime as dt
import os
import pickle
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import asyncpg
from fastapi import Depends, FastAPI, Request
from pydantic import BaseModel, create_model

from bench.bare import Recording

Statements = list[tuple[str, tuple[Any, ...]]]

_PLAIN = (bool, int, float, str, Decimal, dt.date, dt.datetime)


def _field_type(values: list[Any]) -> Any:
    kinds = {type(v) for v in values if v is not None}
    if len(kinds) == 1 and (kind := kinds.pop()) in _PLAIN:
        return kind | None
    return Any


async def _replay(conn: asyncpg.Connection, statements: Statements) -> list[dict[str, Any]]:
    """The statements run in order on `conn`; the last one's rows."""
    rows: list[Any] = []
    for sql, params in statements:
        rows = await conn.fetch(sql, *params)
    return [dict(row) for row in rows]


async def last_rows(dsn: str, recording: Recording) -> dict[str, list[dict[str, Any]]]:
    """Per endpoint, the rows its last statement answers (which the response model is made
    from); bench/throughput.py pickles them for the app (KCN_BARE_SAMPLES)."""
    conn = await asyncpg.connect(dsn)
    try:
        samples = {}
        for name, statements in recording.items():
            async with conn.transaction():
                samples[name] = await _replay(conn, statements)
        return samples
    finally:
        await conn.close()


def app_factory() -> FastAPI:
    dsn = os.environ["KCN_BARE_DSN"]
    recording: Recording = pickle.loads(Path(os.environ["KCN_BARE_RECORDING"]).read_bytes())
    pool: asyncpg.Pool | None = None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        nonlocal pool
        pool = await asyncpg.create_pool(dsn, min_size=10, max_size=10)
        yield
        await pool.close()

    app = FastAPI(lifespan=lifespan)

    async def connection() -> AsyncIterator[asyncpg.Connection]:
        assert pool is not None
        async with pool.acquire() as conn, conn.transaction():
            yield conn

    InTransaction = Annotated[asyncpg.Connection, Depends(connection)]  # noqa: N806

    def route(statements: Statements, many: bool) -> Callable[[Request, Any], Awaitable[Any]]:
        async def replay(request: Request, conn: InTransaction) -> Any:
            rows = await _replay(conn, statements)
            return rows if many else rows[0]

        return replay

    samples = pickle.loads(Path(os.environ["KCN_BARE_SAMPLES"]).read_bytes())
    for name, statements in recording.items():
        rows = samples[name]
        columns = rows[0].keys() if rows else ()
        fields: dict[str, Any] = {
            column: (_field_type([row[column] for row in rows]), None) for column in columns
        }
        model: type[BaseModel] = create_model(f"Row_{name}", **fields)
        many = len(rows) != 1
        app.get(f"/{name}", response_model=list[model] if many else model)(route(statements, many))

    @app.get("/readyz")
    async def ready() -> dict[str, str]:
        return {"status": "ready"}

    return app
