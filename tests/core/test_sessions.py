"""Sessions: refresh tokens rotate and a reused one ends its session; logout, a password change
or reset, a role change, deactivation and reactivation end tokens at once; admins see and end a
user's sessions."""

from typing import Any

import httpx
import pytest

from app.models import Role
from tests.fixtures.auth import PASSWORD, UserFactory
from tests.problems import assert_problem

AUTH = "/api/v1/auth"
ME = f"{AUTH}/me"


async def log_in(anon: httpx.AsyncClient, username: str, password: str = PASSWORD) -> Any:
    answer = await anon.post(f"{AUTH}/token", data={"username": username, "password": password})
    assert answer.status_code == 200, answer.text
    return answer.json()


def bearer(tokens: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def works(anon: httpx.AsyncClient, tokens: dict[str, Any]) -> bool:
    answer = await anon.get(ME, headers=bearer(tokens))
    if answer.status_code != 200:
        assert_problem(answer, 401)
    return answer.status_code == 200


async def test_refresh_rotates_and_a_reused_token_ends_the_session(
    anon: httpx.AsyncClient, make_user: UserFactory
) -> None:
    user = await make_user(Role.EDITOR)
    first = await log_in(anon, user.username)
    second = await anon.post(f"{AUTH}/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200, second.text
    rotated = second.json()
    assert rotated["refresh_token"] != first["refresh_token"]
    assert await works(anon, rotated)

    # The spent token comes back (a stolen copy): the whole session ends.
    reused = await anon.post(f"{AUTH}/refresh", json={"refresh_token": first["refresh_token"]})
    assert_problem(reused, 401, "refresh_token_reused")
    assert not await works(anon, rotated)
    latest = await anon.post(f"{AUTH}/refresh", json={"refresh_token": rotated["refresh_token"]})
    assert_problem(latest, 401, "session_ended")
    # Another login is another session, untouched.
    assert await works(anon, await log_in(anon, user.username))


async def test_an_unknown_refresh_token_is_401(anon: httpx.AsyncClient) -> None:
    answer = await anon.post(f"{AUTH}/refresh", json={"refresh_token": "not-a-token"})
    assert_problem(answer, 401, "invalid_refresh_token")


async def test_logout_ends_the_access_and_the_refresh_token(
    anon: httpx.AsyncClient, make_user: UserFactory
) -> None:
    user = await make_user(Role.VIEWER)
    tokens = await log_in(anon, user.username)
    other = await log_in(anon, user.username)
    assert (await anon.post(f"{AUTH}/logout", headers=bearer(tokens))).status_code == 204
    assert not await works(anon, tokens)
    refreshed = await anon.post(f"{AUTH}/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert_problem(refreshed, 401, "session_ended")
    assert await works(anon, other)  # only that session ended


async def test_changing_ones_password_ends_every_earlier_token(
    anon: httpx.AsyncClient, make_user: UserFactory
) -> None:
    user = await make_user(Role.EDITOR)
    tokens = await log_in(anon, user.username)
    other = await log_in(anon, user.username)
    url = f"{AUTH}/password"
    wrong = await anon.post(
        url,
        json={"current_password": "not-it", "new_password": "mây trắng bay về núi 89"},
        headers=bearer(tokens),
    )
    assert_problem(wrong, 403, "wrong_password")
    weak = await anon.post(
        url,
        json={"current_password": PASSWORD, "new_password": "password1234"},
        headers=bearer(tokens),
    )
    assert_problem(weak, 422, "weak_password")
    assert await works(anon, tokens)

    changed = await anon.post(
        url,
        json={"current_password": PASSWORD, "new_password": "mây trắng bay về núi 89"},
        headers=bearer(tokens),
    )
    assert changed.status_code == 200, changed.text
    assert not await works(anon, tokens)
    assert not await works(anon, other)
    assert await works(anon, changed.json())
    assert await works(anon, await log_in(anon, user.username, "mây trắng bay về núi 89"))


@pytest.mark.parametrize(
    "change",
    [
        {"password": "mây trắng bay về núi 89"},
        {"role": "viewer"},
        {"is_active": False},
    ],
    ids=["password-reset", "role-change", "deactivation"],
)
async def test_an_admins_change_ends_the_users_tokens(
    anon: httpx.AsyncClient, admin: httpx.AsyncClient, make_user: UserFactory, change: Any
) -> None:
    user = await make_user(Role.EDITOR)
    tokens = await log_in(anon, user.username)
    assert (await admin.patch(f"/api/v1/users/{user.id}", json=change)).status_code == 200
    assert not await works(anon, tokens)
    refreshed = await anon.post(f"{AUTH}/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert_problem(refreshed, 401)


async def test_a_change_of_the_name_only_keeps_the_tokens(
    anon: httpx.AsyncClient, admin: httpx.AsyncClient, make_user: UserFactory
) -> None:
    user = await make_user(Role.EDITOR)
    tokens = await log_in(anon, user.username)
    renamed = await admin.patch(f"/api/v1/users/{user.id}", json={"full_name": "Tên mới"})
    assert renamed.status_code == 200
    assert await works(anon, tokens)


async def test_admins_list_and_end_a_users_sessions(
    anon: httpx.AsyncClient,
    admin: httpx.AsyncClient,
    editor: httpx.AsyncClient,
    make_user: UserFactory,
) -> None:
    user = await make_user(Role.VIEWER)
    first = await log_in(anon, user.username)
    second = await log_in(anon, user.username)
    url = f"/api/v1/users/{user.id}/sessions"
    listed = (await admin.get(url)).json()
    assert len(listed) >= 2
    assert {"id", "created_at", "expires_at", "refreshed_at", "client_address"} <= set(listed[-1])
    assert "refresh_token" not in str(listed)

    newest = listed[-1]["id"]
    assert (await admin.delete(f"{url}/{newest}")).status_code == 204
    assert not await works(anon, second)
    assert await works(anon, first)
    assert_problem(await admin.delete(f"{url}/{newest}"), 404)
    assert_problem(await editor.get(url), 403)


async def test_an_admin_changes_their_own_password_only_with_the_current_one(
    make_user: UserFactory, client_as: Any
) -> None:
    """A stolen admin token must not be enough to take the account over."""
    me = await make_user(Role.ADMIN)
    client = client_as(me)
    refused = await client.patch(
        f"/api/v1/users/{me.id}", json={"password": "mây trắng bay về núi 89"}
    )
    assert_problem(refused, 403, "own_password")
