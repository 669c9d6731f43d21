"""The database's troubles are retryable answers: a locked table, a busy pool, a statement
timeout, killed connections and an unreachable server give 503 problem+json with Retry-After
(never a 500), the service recovers by itself, and no acknowledged write is lost."""

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest
from sqlalchemy import make_url, text
from sqlalchemy.exc import DBAPIError

from app.config import Settings
from app.core.db import Database
from app.main import create_app
from app.models import Role
from tests.conftest import client_for, plain_url
from tests.fixtures.live import LiveServer, free_port

API = "/api/v1"


@contextlib.asynccontextmanager
async def locked(live: LiveServer, table: str) -> AsyncIterator[None]:
    """`table` locked against every reader and writer until the block ends."""
    conn = await asyncpg.connect(plain_url(live.database_url))
    try:
        async with conn.transaction():
            await conn.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
            yield
    finally:
        await conn.close()


def assert_retryable(response: httpx.Response, *codes: str) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["Retry-After"]) > 0
    assert response.json()["code"] in codes


async def test_a_locked_table_and_a_busy_pool_are_503_then_recover(live: LiveServer) -> None:
    errors_before = len(live.errors_logged())
    async with live.client(Role.VIEWER) as client:
        async with locked(live, "members"):
            # Four connections wait for the lock (2 s); the others wait for a connection (2 s).
            started = asyncio.get_running_loop().time()
            answers = await asyncio.gather(
                *(client.get(f"{API}/members", params={"limit": 5}) for _ in range(12))
            )
            waited = asyncio.get_running_loop().time() - started
        for answer in answers:
            assert_retryable(answer, "lock_timeout", "database_busy")
        assert {a.json()["code"] for a in answers} == {"lock_timeout", "database_busy"}
        assert waited < 10
        # The lock is gone: the same client is served, no restart needed.
        assert (await client.get(f"{API}/members", params={"limit": 5})).status_code == 200
    assert len(live.errors_logged()) == errors_before  # mapped answers log no error


async def test_killed_connections_lose_no_acknowledged_write(live: LiveServer) -> None:
    """Eight clients create zones and read lists while every server connection is terminated
    again and again: each answer is a success or a retryable 503, and every zone whose creation
    was acknowledged exists afterwards."""
    stop = asyncio.Event()
    created: list[int] = []
    statuses: Counter[int] = Counter()

    async def work(worker: int) -> None:
        async with live.client(Role.EDITOR) as client:
            n = 0
            while not stop.is_set():
                n += 1
                write = await client.post(
                    f"{API}/industrial-zones",
                    json={
                        "code": f"T{worker}-{n}",
                        "name": f"KCN thử {worker}-{n}",
                        "established_on": "2020-01-01",
                    },
                )
                read = await client.get(f"{API}/industrial-zones", params={"limit": 10})
                for answer in (write, read):
                    statuses[answer.status_code] += 1
                    if answer.status_code == 503:
                        assert_retryable(answer, "database_unavailable")
                if write.status_code == 201:
                    created.append(write.json()["id"])

    workers = [asyncio.create_task(work(i)) for i in range(8)]
    admin = await asyncpg.connect(plain_url(live.database_url))
    try:
        for _ in range(12):
            await asyncio.sleep(0.25)
            await admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND application_name = 'kcn-party'"
            )
    finally:
        stop.set()
        await asyncio.gather(*workers)
        await admin.close()

    assert set(statuses) <= {200, 201, 503}, statuses
    assert statuses[201] > 0
    stored = await asyncpg.connect(plain_url(live.database_url))
    try:
        ids = await stored.fetch("SELECT id FROM industrial_zones WHERE id = ANY($1)", created)
    finally:
        await stored.close()
    assert len(ids) == len(created)


async def test_a_statement_over_the_timeout_is_503(live: LiveServer, settings: Settings) -> None:
    # Locks are waited for without limit here, so the statement timeout is what ends the wait.
    database = Database(live.database_url, pool_size=1, statement_timeout=1, lock_timeout=0)
    app = create_app(settings, database=database)
    try:
        async with client_for(app, live.tokens[Role.VIEWER]) as client:
            async with locked(live, "members"):
                answer = await client.get(f"{API}/members")
            assert_retryable(answer, "statement_timeout")
            assert (await client.get(f"{API}/members")).status_code == 200
    finally:
        await database.dispose()


async def test_an_unreachable_database_is_503_and_readyz_says_so(
    live: LiveServer, settings: Settings
) -> None:
    url = make_url(live.database_url).set(host="127.0.0.1", port=free_port())
    database = Database(url.render_as_string(hide_password=False), pool_size=1, pool_timeout=1)
    app = create_app(settings, database=database)
    try:
        async with client_for(app, live.tokens[Role.VIEWER]) as client:
            assert_retryable(await client.get(f"{API}/members"), "database_unavailable")
            ready = await client.get("/readyz")
            assert ready.status_code == 503
            assert ready.json()["code"] == "database_unavailable"
            assert ready.json()["checks"]["database"] == "unreachable"
    finally:
        await database.dispose()


@pytest.mark.parametrize("idle", [0.2, 3600.0])
async def test_a_connection_lost_while_idle_is_replaced_after_the_idle_ping(
    database_url: str, idle: float
) -> None:
    """A pooled connection killed while idle (a restart, a firewall's timeout) is pinged and
    replaced once it sat out `ping_after_idle`; without the ping the next use fails."""
    database = Database(database_url, pool_size=1, ping_after_idle=idle)
    try:
        async with database.sessionmaker() as session:
            pid = (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        admin = await asyncpg.connect(plain_url(database_url))
        try:
            await admin.execute("SELECT pg_terminate_backend($1)", pid)
        finally:
            await admin.close()
        await asyncio.sleep(0.4)
        async with database.sessionmaker() as session:
            if idle < 0.4:
                again = (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one()
                assert again != pid
            else:
                with pytest.raises(DBAPIError):
                    await session.execute(text("SELECT 1"))
    finally:
        await database.dispose()
