"""The bare handler bench/throughput.py measures the service against: Starlette + asyncpg +
orjson replaying, for each endpoint, the very statements (with their parameters) one request of
the service executed, in one transaction, and answering every row as JSON.

    uvicorn bench.bare:app_factory --factory    (KCN_BARE_DSN, KCN_BARE_RECORDING)
"""

import os
import pickle
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

Recording = dict[str, list[tuple[str, tuple[Any, ...]]]]


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


def app_factory() -> Starlette:
    recording: Recording = pickle.loads(Path(os.environ["KCN_BARE_RECORDING"]).read_bytes())
    pool: asyncpg.Pool | None = None

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        nonlocal pool
        pool = await asyncpg.create_pool(os.environ["KCN_BARE_DSN"], min_size=10, max_size=10)
        yield
        await pool.close()

    async def replay(request: Request) -> Response:
        statements = recording[request.path_params["name"]]
        assert pool is not None
        async with pool.acquire() as conn, conn.transaction():
            results = [
                [dict(row) for row in await conn.fetch(sql, *params)] for sql, params in statements
            ]
        return Response(orjson.dumps(results, default=_default), media_type="application/json")

    async def ready(_request: Request) -> Response:
        return Response(b'{"status":"ready"}', media_type="application/json")

    routes = [Route("/readyz", ready), Route("/{name}", replay)]
    return Starlette(routes=routes, lifespan=lifespan)
