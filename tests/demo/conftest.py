"""The demo dataset loaded once for this package, in a transaction rolled back at the end."""

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.sessions import open_session_row
from app.config import Settings
from app.core.db import Database, get_session
from app.core.security import create_access_token, hash_password
from app.demo import seed_if_empty
from app.main import create_app
from app.models import Role, User
from tests.conftest import TEST_SECRET, client_for


@pytest.fixture(scope="package")
async def demo_session(database: Database) -> AsyncIterator[AsyncSession]:
    async with database.engine.connect() as conn:
        transaction = await conn.begin()
        session = AsyncSession(
            bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        try:
            assert await seed_if_empty(session)
            await session.commit()
            yield session
        finally:
            await session.close()
            await transaction.rollback()


@pytest.fixture(scope="package")
async def demo_client(
    demo_session: AsyncSession,
    database: Database,
    database_url: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(
        database_url=database_url, secret_key=TEST_SECRET, data_dir=tmp_path_factory.mktemp("d")
    )
    app = create_app(settings, database=database)

    async def shared_session() -> AsyncIterator[AsyncSession]:
        try:
            yield demo_session
        except BaseException:
            demo_session.expunge_all()
            await demo_session.rollback()
            raise
        await demo_session.commit()
        demo_session.expunge_all()

    app.dependency_overrides[get_session] = shared_session
    viewer = User(
        username="demo-viewer",
        full_name="Demo viewer",
        role=Role.VIEWER,
        password_hash=hash_password("not-used-here"),
    )
    demo_session.add(viewer)
    await demo_session.flush()
    auth = await open_session_row(demo_session, viewer, "test")
    await demo_session.commit()
    token = create_access_token(
        viewer.id, TEST_SECRET, 60, session_id=auth.id, generation=viewer.token_generation
    ).token
    async with client_for(app, token) as client:
        yield client
