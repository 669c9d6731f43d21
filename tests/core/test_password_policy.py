"""The password policy wherever a password is set: 12 characters or more, not common, not built
from the account's names, strong by zxcvbn; refusals say why and store nothing."""

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Role, User
from tests.fixtures.auth import UserFactory
from tests.fixtures.db import Fingerprint
from tests.problems import assert_problem, error_fields

USERS = "/api/v1/users"


def new_user(password: str) -> dict[str, str]:
    return {
        "username": "tran.thi.mai",
        "full_name": "Trần Thị Mai",
        "role": "editor",
        "password": password,
    }


@pytest.mark.parametrize(
    ("password", "code"),
    [
        pytest.param("Xk9#mQ2!vL8", "validation_error", id="eleven-characters"),
        pytest.param("password1234", "weak_password", id="common"),
        pytest.param("123456789012", "weak_password", id="digits"),
        pytest.param("tran.thi.mai1", "weak_password", id="the-username"),
        pytest.param("Trần Thị Mai 1990", "weak_password", id="the-full-name"),
        pytest.param("tranthimai1990!", "weak_password", id="the-name-without-tones"),
        pytest.param("aaaaaaaaaaaaaaaa", "weak_password", id="repeats"),
    ],
)
async def test_weak_passwords_are_refused_with_the_reason(
    admin: httpx.AsyncClient, fingerprint: Fingerprint, password: str, code: str
) -> None:
    before = await fingerprint()
    refused = await admin.post(USERS, json=new_user(password))
    body = assert_problem(refused, 422, code)
    assert error_fields(body) == {"password"}
    assert len(body["detail"]) > 20  # says why, not just "invalid"
    assert await fingerprint() == before


async def test_a_strong_password_is_accepted(admin: httpx.AsyncClient) -> None:
    created = await admin.post(USERS, json=new_user("mây trắng bay về núi 89"))
    assert created.status_code == 201, created.text


async def test_a_reset_to_a_weak_password_keeps_the_old_one(
    admin: httpx.AsyncClient, make_user: UserFactory, session: AsyncSession
) -> None:
    user = await make_user(Role.VIEWER)
    old_hash = user.password_hash
    refused = await admin.patch(f"{USERS}/{user.id}", json={"password": f"{user.username}2024"})
    assert_problem(refused, 422, "weak_password")
    stored = await session.scalar(select(User.password_hash).where(User.id == user.id))
    assert stored == old_hash


async def test_existing_weak_passwords_still_log_in(
    anon: httpx.AsyncClient, make_user: UserFactory
) -> None:
    """The rule judges new passwords only: nobody is locked out by it."""
    from app.core.security import hash_password

    user = await make_user(Role.VIEWER, password_hash=hash_password("12345678"))
    login = await anon.post(
        "/api/v1/auth/token", data={"username": user.username, "password": "12345678"}
    )
    assert login.status_code == 200
