"""What the benchmarks share: a throwaway database on a server, an authenticated ASGI client,
and timing of repeated requests."""

import asyncio
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import asyncpg
import httpx
from sqlalchemy import make_url, select

from app.auth.sessions import open_session_row
from app.config import Settings
from app.core.db import Database
from app.core.migrations import upgrade_to_head
from app.core.security import create_access_token, hash_password
from app.main import create_app
from app.models import Role, User

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
SECRET = "bench-secret-key-that-is-long-enough-for-hs256-0123456789"


def plain_url(url: str) -> str:
    """The URL for asyncpg itself (no SQLAlchemy driver name)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@contextmanager
def throwaway_database(prefix: str, keep: bool = False) -> Iterator[str]:
    """A new, migrated database on KCN_BENCH_DATABASE_URL's server; dropped afterwards."""
    admin = os.environ.get("KCN_BENCH_DATABASE_URL", DEFAULT_URL)
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"

    async def run(sql: str) -> None:
        conn = await asyncpg.connect(plain_url(admin))
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(run(f'CREATE DATABASE "{name}"'))
    url = (
        make_url(admin)
        .set(drivername="postgresql+asyncpg", database=name)
        .render_as_string(hide_password=False)
    )
    try:
        upgrade_to_head(url)
        yield url
    finally:
        if keep:
            print(f"kept database {name}")
        else:
            asyncio.run(run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@asynccontextmanager
async def api_client(
    database: Database, url: str, user_id: int | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """A client for the app over ASGI (no network in the measurement), authenticated as
    `user_id`, or as an editor created for the benchmark."""
    async with database.sessionmaker() as session:
        if user_id is None:
            user = (await session.scalars(select(User).where(User.username == "bench"))).first()
            if user is None:
                user = User(
                    username="bench",
                    full_name="Benchmark",
                    role=Role.EDITOR,
                    password_hash=hash_password("not-used"),
                )
                session.add(user)
                await session.flush()
        else:
            user = await session.get_one(User, user_id)
        user_id, generation = user.id, user.token_generation
        session_id = (await open_session_row(session, user, "bench")).id
        await session.commit()
    settings = Settings(
        database_url=url, secret_key=SECRET, data_dir=Path(tempfile.mkdtemp()), log_level="WARNING"
    )
    app = create_app(settings, database=database)
    token = create_access_token(
        user_id, SECRET, 60, session_id=session_id, generation=generation
    ).token
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport,
        base_url="http://bench",
        headers={"Authorization": f"Bearer {token}"},
    ) as client:
        yield client


async def time_requests(
    client: httpx.AsyncClient, path: str, params: dict[str, str], requests: int, warmup: int = 5
) -> tuple[float, float, int]:
    """(median ms, p95 ms, items on the page) over `requests` timed GETs after a warm-up."""
    samples = []
    items = 0
    for index in range(warmup + requests):
        started = time.perf_counter()
        response = await client.get(path, params=params)
        elapsed = (time.perf_counter() - started) * 1000
        response.raise_for_status()
        if index >= warmup:
            samples.append(elapsed)
        if response.headers["content-type"].startswith("application/json"):
            body = response.json()
            items = len(body.get("items", [])) if isinstance(body, dict) else len(body)
    samples.sort()
    p95 = samples[max(0, round(len(samples) * 0.95) - 1)]
    return statistics.median(samples), p95, items
