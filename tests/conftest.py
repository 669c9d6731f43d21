"""Test database (built by the migrations), per-test transaction rollback, and API clients."""

import asyncio
import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import asyncpg
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.config import Settings
from app.core.db import Database, get_session
from app.core.embedded import ThrowawayPostgres
from app.core.migrations import upgrade_to_head
from app.main import create_app
from app.spreadsheets.jobs import job_sessions
from app.spreadsheets.writers import snapshot_connection

pytest_plugins = [
    "tests.fixtures.auth",
    "tests.fixtures.cli",
    "tests.fixtures.db",
    "tests.fixtures.live",
    "tests.fixtures.registry",
    "tests.fixtures.replica",
]

TEST_SECRET = "test-secret-key-that-is-long-enough-for-hs256-0123456789"


def plain_url(url: str) -> str:
    """The URL for asyncpg (no SQLAlchemy driver name)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """The admin URL of the PostgreSQL server this run uses: KCN_TEST_DATABASE_URL's, else an
    embedded one started for the run."""
    url = os.environ.get("KCN_TEST_DATABASE_URL")
    if url:
        yield Settings(database_url=url).database_url or url
        return
    # Its own directory, outside pytest's rotating basetemp (parallel runs prune each other's).
    embedded = ThrowawayPostgres(Path(tempfile.mkdtemp(prefix="kcn-pg-")))
    try:
        yield embedded.url
    finally:
        embedded.stop()


async def admin_sql(server_url: str, sql: str) -> None:
    conn = await asyncpg.connect(plain_url(server_url))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@contextmanager
def fresh_database(server_url: str, prefix: str) -> Iterator[str]:
    """A new database on the server, migrated to head and dropped afterwards; yields its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    asyncio.run(admin_sql(server_url, f'CREATE DATABASE "{name}"'))
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade_to_head(url)
        yield url
    finally:
        asyncio.run(admin_sql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def database_url(server_url: str) -> Iterator[str]:
    """A fresh database for this run's in-process tests."""
    with fresh_database(server_url, "kcn_test") as url:
        yield url


@pytest.fixture(scope="session")
async def database(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url, pool_size=2)
    yield db
    await db.dispose()


@pytest.fixture
async def session(database: Database) -> AsyncIterator[AsyncSession]:
    """A session inside a transaction rolled back after the test; the app's commits become
    savepoint releases, so every test starts from the migrated, empty database."""
    async with database.engine.connect() as conn:
        transaction = await conn.begin()
        session = AsyncSession(
            bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        try:
            yield session
        finally:
            await session.close()
            await transaction.rollback()


@pytest.fixture
async def empty_database(server_url: str) -> AsyncIterator[str]:
    """A new database, not migrated, dropped afterwards; its URL."""
    name = f"kcn_cli_{uuid.uuid4().hex[:8]}"
    await admin_sql(server_url, f'CREATE DATABASE "{name}"')
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        await admin_sql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(database_url=database_url, secret_key=TEST_SECRET, data_dir=tmp_path)


def serve_test_session(application: FastAPI, session: AsyncSession) -> FastAPI:
    """`application` with its requests served by the test's session."""

    async def test_session() -> AsyncIterator[AsyncSession]:
        # Like a per-request session: nothing loaded by one request is seen stale by the next,
        # and objects the test holds stay readable (detached before a rollback expires them).
        try:
            yield session
        except BaseException:
            session.expunge_all()
            await session.rollback()
            raise
        await session.commit()
        session.expunge_all()

    async def test_snapshot() -> AsyncIterator[AsyncConnection]:
        yield await session.connection()  # exports read the test's uncommitted rows

    @asynccontextmanager
    async def job_session() -> AsyncIterator[AsyncSession]:
        yield session  # a background import, run after its request, in the test's transaction

    application.dependency_overrides[get_session] = test_session
    application.dependency_overrides[snapshot_connection] = test_snapshot
    application.dependency_overrides[job_sessions] = lambda: job_session
    return application


@pytest.fixture(scope="session")
def shared_app(
    database_url: str, database: Database, tmp_path_factory: pytest.TempPathFactory
) -> FastAPI:
    """One app for the run (building one takes ~0.4 s); tests that change it use `fresh_app`."""
    data_dir = tmp_path_factory.mktemp("app")
    settings = Settings(database_url=database_url, secret_key=TEST_SECRET, data_dir=data_dir)
    return create_app(settings, database=database)


@pytest.fixture
def app(shared_app: FastAPI, session: AsyncSession) -> Iterator[FastAPI]:
    yield serve_test_session(shared_app, session)
    shared_app.dependency_overrides.clear()


@pytest.fixture
def fresh_app(settings: Settings, database: Database, session: AsyncSession) -> FastAPI:
    """An app of its own, for a test that adds routes or changes its state."""
    return serve_test_session(create_app(settings, database=database), session)


def client_for(app: FastAPI, token: str | None = None) -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://test", headers=headers)


@pytest.fixture
async def anon(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(app) as client:
        yield client
