"""Tokens (OAuth2 password flow), the current user, and role checks."""

import datetime as dt
import time

import httpx
import jwt
import pytest

from app.models import Role
from tests.conftest import TEST_SECRET
from tests.fixtures.auth import PASSWORD, ClientFactory, UserFactory, token_for
from tests.problems import assert_problem

TOKEN_URL = "/api/v1/auth/token"
ME_URL = "/api/v1/auth/me"


async def test_right_password_returns_a_bearer_token_that_works(
    anon: httpx.AsyncClient, make_user: UserFactory
) -> None:
    user = await make_user(Role.EDITOR)

    response = await anon.post(TOKEN_URL, data={"username": user.username, "password": PASSWORD})

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 15 * 60  # short: the refresh token renews it
    assert body["refresh_token"]
    expires_at = dt.datetime.fromisoformat(body["expires_at"])
    assert expires_at > dt.datetime.now(dt.UTC)
    me = await anon.get(ME_URL, headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200, me.text
    assert me.json()["username"] == user.username


async def test_username_is_matched_case_insensitively(
    anon: httpx.AsyncClient, make_user: UserFactory
) -> None:
    user = await make_user(Role.VIEWER)

    response = await anon.post(
        TOKEN_URL, data={"username": user.username.upper(), "password": PASSWORD}
    )

    assert response.status_code == 200, response.text


async def test_wrong_password_is_refused(anon: httpx.AsyncClient, make_user: UserFactory) -> None:
    user = await make_user(Role.EDITOR)

    response = await anon.post(TOKEN_URL, data={"username": user.username, "password": "nope-nope"})

    assert_problem(response, 401, "invalid_credentials")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "access_token" not in response.json()


async def test_unknown_user_gets_the_same_answer_as_a_wrong_password(
    anon: httpx.AsyncClient,
) -> None:
    response = await anon.post(TOKEN_URL, data={"username": "nobody", "password": PASSWORD})

    body = assert_problem(response, 401, "invalid_credentials")
    assert body["detail"] == "wrong username or password"


async def test_deactivated_user_cannot_log_in(
    anon: httpx.AsyncClient, make_user: UserFactory
) -> None:
    user = await make_user(Role.EDITOR, is_active=False)

    response = await anon.post(TOKEN_URL, data={"username": user.username, "password": PASSWORD})

    assert_problem(response, 401, "inactive_user")


async def test_token_request_without_password_is_a_validation_problem(
    anon: httpx.AsyncClient,
) -> None:
    response = await anon.post(TOKEN_URL, data={"username": "someone"})

    assert_problem(response, 422, "validation_error")


async def test_me_without_token_is_401_with_www_authenticate(anon: httpx.AsyncClient) -> None:
    response = await anon.get(ME_URL)

    assert_problem(response, 401, "not_authenticated")
    assert response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("role", list(Role))
async def test_me_returns_the_token_owner_for_every_role(
    role: Role, make_user: UserFactory, client_as: ClientFactory
) -> None:
    user = await make_user(role, full_name="Trần Thị Bình")

    response = await client_as(user).get(ME_URL)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["id"] == user.id
    assert body["role"] == role.value
    assert body["full_name"] == "Trần Thị Bình"
    assert "password_hash" not in body
    assert "password" not in body


async def test_expired_token_is_refused(anon: httpx.AsyncClient, make_user: UserFactory) -> None:
    user = await make_user(Role.ADMIN)
    expired = token_for(user, minutes=-1)

    response = await anon.get(ME_URL, headers={"Authorization": f"Bearer {expired}"})

    body = assert_problem(response, 401, "invalid_token")
    assert "expired" in body["detail"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


async def test_a_token_that_worked_is_refused_once_it_has_expired(
    anon: httpx.AsyncClient, make_user: UserFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A verified token is remembered (its signature is not checked twice), but its expiry is
    checked on every request."""
    user = await make_user(Role.EDITOR)
    token = token_for(user, minutes=1)
    headers = {"Authorization": f"Bearer {token}"}
    assert (await anon.get(ME_URL, headers=headers)).status_code == 200

    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)
    body = assert_problem(await anon.get(ME_URL, headers=headers), 401, "invalid_token")
    assert "expired" in body["detail"]


async def test_token_signed_with_another_key_is_refused(
    anon: httpx.AsyncClient, make_user: UserFactory
) -> None:
    user = await make_user(Role.ADMIN)
    forged = token_for(user, minutes=5, key="another-key-" + "x" * 40)

    response = await anon.get(ME_URL, headers={"Authorization": f"Bearer {forged}"})

    assert_problem(response, 401, "invalid_token")


@pytest.mark.parametrize(
    "claims",
    [
        pytest.param({"sub": "not-a-number"}, id="non-numeric-subject"),
        pytest.param({"iss": "someone-else"}, id="foreign-issuer"),
        pytest.param({"sub": None}, id="no-subject"),
    ],
)
async def test_token_with_bad_claims_is_refused(
    anon: httpx.AsyncClient, make_user: UserFactory, claims: dict[str, object]
) -> None:
    user = await make_user(Role.ADMIN)
    now = dt.datetime.now(dt.UTC)
    payload: dict[str, object] = {
        "sub": str(user.id),
        "iat": now,
        "exp": now + dt.timedelta(minutes=5),
        "iss": "kcn-party",
    }
    payload.update(claims)
    payload = {key: value for key, value in payload.items() if value is not None}
    token = jwt.encode(payload, TEST_SECRET, algorithm="HS256")

    response = await anon.get(ME_URL, headers={"Authorization": f"Bearer {token}"})

    assert_problem(response, 401, "invalid_token")


async def test_unsigned_token_is_refused(anon: httpx.AsyncClient, make_user: UserFactory) -> None:
    user = await make_user(Role.ADMIN)
    now = dt.datetime.now(dt.UTC)
    claims = {"sub": str(user.id), "iat": now, "exp": now + dt.timedelta(minutes=5)}
    token = jwt.encode({**claims, "iss": "kcn-party"}, key=None, algorithm="none")

    response = await anon.get(ME_URL, headers={"Authorization": f"Bearer {token}"})

    assert_problem(response, 401, "invalid_token")


async def test_garbage_token_is_refused(anon: httpx.AsyncClient) -> None:
    response = await anon.get(ME_URL, headers={"Authorization": "Bearer not.a.jwt"})

    assert_problem(response, 401, "invalid_token")


async def test_token_of_a_deleted_user_is_refused(
    admin: httpx.AsyncClient, make_user: UserFactory, client_as: ClientFactory
) -> None:
    user = await make_user(Role.EDITOR)
    client = client_as(user)
    assert (await client.get(ME_URL)).status_code == 200

    assert (await admin.delete(f"/api/v1/users/{user.id}")).status_code == 204

    assert_problem(await client.get(ME_URL), 401, "inactive_user")


async def test_deactivated_user_token_stops_working(
    admin: httpx.AsyncClient, make_user: UserFactory, client_as: ClientFactory
) -> None:
    user = await make_user(Role.EDITOR)
    client = client_as(user)
    assert (await client.get(ME_URL)).status_code == 200

    deactivated = await admin.patch(f"/api/v1/users/{user.id}", json={"is_active": False})
    assert deactivated.status_code == 200, deactivated.text

    response = await client.get(ME_URL)
    assert_problem(response, 401, "inactive_user")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")

    # Reactivation does not bring the old tokens back: the user logs in again.
    reactivated = await admin.patch(f"/api/v1/users/{user.id}", json={"is_active": True})
    assert reactivated.status_code == 200, reactivated.text
    assert_problem(await client.get(ME_URL), 401, "session_ended")


@pytest.mark.parametrize("role", [Role.EDITOR, Role.GROUP_LEADER, Role.VIEWER])
async def test_non_admin_roles_get_403_on_users(
    role: Role, make_user: UserFactory, client_as: ClientFactory
) -> None:
    user = await make_user(role)
    client = client_as(user)
    new_user = {"username": "intruder", "full_name": "X", "role": "admin", "password": "p" * 12}

    responses = [
        await client.get("/api/v1/users"),
        await client.get(f"/api/v1/users/{user.id}"),
        await client.post("/api/v1/users", json=new_user),
        await client.patch(f"/api/v1/users/{user.id}", json={"role": "admin"}),
        await client.delete(f"/api/v1/users/{user.id}"),
    ]

    for response in responses:
        body = assert_problem(response, 403, "forbidden_role")
        assert "admin" in body["detail"]
    me = await client.get(ME_URL)
    assert me.json()["role"] == role.value


async def test_role_fixtures_each_get_403_and_admin_gets_200(
    admin: httpx.AsyncClient,
    editor: httpx.AsyncClient,
    viewer: httpx.AsyncClient,
    leader: httpx.AsyncClient,
) -> None:
    assert (await admin.get("/api/v1/users")).status_code == 200
    for client in (editor, viewer, leader):
        assert_problem(await client.get("/api/v1/users"), 403, "forbidden_role")


async def test_users_endpoints_need_a_token(anon: httpx.AsyncClient) -> None:
    for response in (
        await anon.get("/api/v1/users"),
        await anon.get("/api/v1/users/1"),
        await anon.post("/api/v1/users", json={}),
        await anon.patch("/api/v1/users/1", json={}),
        await anon.delete("/api/v1/users/1"),
    ):
        assert_problem(response, 401, "not_authenticated")
        assert response.headers["WWW-Authenticate"] == "Bearer"
