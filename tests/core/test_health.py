"""/healthz and /readyz, including a database that is down or does not answer."""

import asyncio
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from app.config import Settings
from app.core.db import Database
from app.main import create_app
from tests.conftest import client_for
from tests.problems import assert_problem


async def test_healthz_answers_without_a_token(anon: httpx.AsyncClient) -> None:
    response = await anon.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_is_200_on_a_migrated_database(anon: httpx.AsyncClient) -> None:
    response = await anon.get("/readyz")

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ready"
    assert body["database"] == "ok"
    assert body["revision"]


async def _readyz_against(settings: Settings, url: str) -> httpx.Response:
    database = Database(url, pool_size=1)
    try:
        async with client_for(create_app(settings, database=database)) as client:
            return await client.get("/readyz")
    finally:
        await database.dispose()


async def test_readyz_is_503_when_the_database_refuses_connections(settings: Settings) -> None:
    quick = settings.model_copy(update={"readiness_timeout": 1.0})

    started = time.monotonic()
    response = await _readyz_against(quick, "postgresql+asyncpg://postgres@127.0.0.1:1/x")

    assert time.monotonic() - started < 5
    body = assert_problem(response, 503, "database_unavailable")
    assert "127.0.0.1" not in response.text
    assert body["title"] == "Service Unavailable"


@pytest.fixture
async def silent_server() -> AsyncIterator[int]:
    """A TCP port that accepts connections and never answers, like a hung database."""
    held: list[asyncio.StreamWriter] = []

    async def accept(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    port: int = server.sockets[0].getsockname()[1]
    try:
        yield port
    finally:
        for writer in held:
            writer.close()
        server.close()
        await server.wait_closed()


async def test_readyz_is_503_within_the_timeout_when_the_database_hangs(
    settings: Settings, silent_server: int
) -> None:
    quick = settings.model_copy(update={"readiness_timeout": 0.5})

    started = time.monotonic()
    response = await _readyz_against(
        quick, f"postgresql+asyncpg://postgres@127.0.0.1:{silent_server}/x"
    )

    assert time.monotonic() - started < 3
    body = assert_problem(response, 503, "database_unavailable")
    assert "0.5" in body["detail"]
