"""Login throttling: a username or a client address with too many recent failures is refused
with 429 and Retry-After, even with the right password; the clock is moved by dating the
recorded failures back."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import LoginFailure, Role
from tests.fixtures.auth import PASSWORD, UserFactory
from tests.problems import assert_problem

TOKEN = "/api/v1/auth/token"


def from_address(app: FastAPI, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://test")


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with from_address(app, "198.51.100.7") as client:
        yield client


async def login(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    return await client.post(TOKEN, data={"username": username, "password": password})


async def fail(client: httpx.AsyncClient, username: str, times: int) -> None:
    for _ in range(times):
        assert (await login(client, username, "wrong-password")).status_code == 401


async def age_failures(session: AsyncSession, seconds: int) -> None:
    """Move the clock: every recorded failure happened `seconds` earlier."""
    await session.execute(
        text("UPDATE login_failures SET failed_at = failed_at - make_interval(secs => :s)"),
        {"s": seconds},
    )
    await session.commit()


def retry_after(response: httpx.Response) -> int:
    assert_problem(response, 429, "too_many_attempts")
    return int(response.headers["Retry-After"])


async def test_five_failures_lock_the_account_even_for_the_right_password(
    client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    user = await make_user(Role.EDITOR)
    other = await make_user(Role.EDITOR)
    await fail(client, user.username, 5)

    locked = await login(client, user.username, PASSWORD)
    assert 25 <= retry_after(locked) <= 30
    # One account's lock never blocks another, from the same address.
    assert (await login(client, other.username, PASSWORD)).status_code == 200


async def test_unknown_usernames_are_throttled_alike(client: httpx.AsyncClient) -> None:
    await fail(client, "nobody-here", 5)
    assert 25 <= retry_after(await login(client, "nobody-here", "anything")) <= 30


async def test_the_lock_passes_and_a_success_clears_the_count(
    client: httpx.AsyncClient, make_user: UserFactory, session: AsyncSession
) -> None:
    user = await make_user(Role.VIEWER)
    await fail(client, user.username, 5)
    await age_failures(session, 31)
    assert (await login(client, user.username, PASSWORD)).status_code == 200
    count = await session.scalar(
        select(func.count()).select_from(LoginFailure).where(LoginFailure.username == user.username)
    )
    assert count == 0


async def test_locks_double_with_each_failure_up_to_the_cap(
    client: httpx.AsyncClient, make_user: UserFactory, session: AsyncSession
) -> None:
    user = await make_user(Role.VIEWER)
    await fail(client, user.username, 5)
    await age_failures(session, 31)
    await fail(client, user.username, 1)  # the sixth: a 60 s lock
    assert 55 <= retry_after(await login(client, user.username, PASSWORD)) <= 60
    await age_failures(session, 61)
    await fail(client, user.username, 1)  # the seventh: 120 s
    assert 115 <= retry_after(await login(client, user.username, PASSWORD)) <= 120
    for _ in range(6):  # 240, 480, 900 (the cap), 900, ...
        await age_failures(session, 901)
        await fail(client, user.username, 1)
    # Failures older than the 15-minute window no longer count: the count restarted.
    assert (await login(client, user.username, PASSWORD)).status_code == 200


async def test_a_lock_never_exceeds_fifteen_minutes(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    session.add_all(
        LoginFailure(username="target", client_address="203.0.113.1") for _ in range(40)
    )
    await session.commit()
    assert 850 <= retry_after(await login(client, "target", "x")) <= 900


async def test_an_address_with_fifty_failures_is_throttled_across_accounts(
    app: FastAPI, make_user: UserFactory, session: AsyncSession
) -> None:
    user = await make_user(Role.EDITOR)
    session.add_all(
        LoginFailure(username=f"guess{i}", client_address="192.0.2.66") for i in range(50)
    )
    await session.commit()
    async with (
        from_address(app, "192.0.2.66") as attacker,
        from_address(app, "192.0.2.77") as colleague,
    ):
        assert retry_after(await login(attacker, user.username, PASSWORD)) > 0
        assert (await login(colleague, user.username, PASSWORD)).status_code == 200
