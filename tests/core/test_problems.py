"""Every error is application/problem+json (RFC 9457), whoever raised it."""

import logging

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.constraints import describe_integrity_error
from app.core.db import SessionDep
from app.models import Role, User
from tests.conftest import client_for
from tests.fixtures.auth import UserFactory
from tests.problems import assert_problem, error_fields

USERS = "/api/v1/users"


async def test_401_is_a_problem_with_www_authenticate(anon: httpx.AsyncClient) -> None:
    response = await anon.get(USERS)

    body = assert_problem(response, 401, "not_authenticated")
    assert body["title"] == "Unauthorized"
    assert body["instance"] == USERS
    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_403_is_a_problem(viewer: httpx.AsyncClient) -> None:
    body = assert_problem(await viewer.get(USERS), 403, "forbidden_role")

    assert body["title"] == "Forbidden"


async def test_404_on_an_unknown_id_is_a_problem(admin: httpx.AsyncClient) -> None:
    body = assert_problem(await admin.get(f"{USERS}/987654"), 404, "not_found")

    assert "987654" in body["detail"]


@pytest.mark.parametrize("user_id", ["99999999999", "-1", "0"])
async def test_out_of_range_id_is_a_client_error_not_a_crash(
    admin: httpx.AsyncClient, user_id: str
) -> None:
    response = await admin.get(f"{USERS}/{user_id}")

    assert response.status_code in (404, 422), response.text
    body = assert_problem(response, response.status_code)
    assert "int32" not in body["detail"]


async def test_non_numeric_id_is_a_validation_problem(admin: httpx.AsyncClient) -> None:
    body = assert_problem(await admin.get(f"{USERS}/abc"), 422, "validation_error")

    assert error_fields(body) == {"user_id"}


@pytest.mark.parametrize("path", ["/no-such-page", "/api/v1/no-such-resource", "/api/v2/users"])
async def test_404_on_an_unknown_route_is_a_problem(anon: httpx.AsyncClient, path: str) -> None:
    body = assert_problem(await anon.get(path), 404, "not_found")

    assert body["instance"] == path


async def test_405_on_a_wrong_method_is_a_problem(admin: httpx.AsyncClient) -> None:
    response = await admin.put(USERS, json={})

    body = assert_problem(response, 405, "method_not_allowed")
    assert "PUT" in body["detail"]
    assert "GET" in response.headers["Allow"]


async def test_409_is_a_problem_naming_the_field(admin: httpx.AsyncClient) -> None:
    user = {"username": "tran.binh", "full_name": "Trần Bình", "role": "viewer"}
    user["password"] = "long enough password"
    assert (await admin.post(USERS, json=user)).status_code == 201

    body = assert_problem(await admin.post(USERS, json=user), 409)

    assert error_fields(body) == {"username"}


async def test_412_is_a_problem(admin: httpx.AsyncClient, make_user: UserFactory) -> None:
    user = await make_user(Role.VIEWER)

    response = await admin.patch(
        f"{USERS}/{user.id}", json={"full_name": "X"}, headers={"If-Match": '"0"'}
    )

    body = assert_problem(response, 412, "stale_etag")
    assert body["title"] == "Precondition Failed"


async def test_any_current_etag_in_an_if_match_list_is_accepted(
    admin: httpx.AsyncClient, make_user: UserFactory
) -> None:
    user = await make_user(Role.VIEWER)
    etag = (await admin.get(f"{USERS}/{user.id}")).headers["ETag"]

    for n, template in enumerate(('"0", {}', "W/{}", "*")):
        if_match = template.format(etag)
        response = await admin.patch(
            f"{USERS}/{user.id}", json={"full_name": f"Name {n}"}, headers={"If-Match": if_match}
        )
        assert response.status_code == 200, (if_match, response.text)
        assert response.headers["ETag"] != etag
        etag = response.headers["ETag"]


@pytest.mark.parametrize("limit", ["0", "501", "many"])
async def test_422_on_a_bad_query_parameter_lists_the_field(
    admin: httpx.AsyncClient, limit: str
) -> None:
    response = await admin.get(USERS, params={"limit": limit})

    body = assert_problem(response, 422, "validation_error")
    assert body["errors"]
    assert body["errors"][0]["loc"] == ["query", "limit"]
    assert isinstance(body["errors"][0]["message"], str)
    assert "limit" in body["detail"]


async def test_422_on_a_malformed_json_body(admin: httpx.AsyncClient) -> None:
    response = await admin.post(
        USERS, content=b'{"username": ', headers={"Content-Type": "application/json"}
    )

    assert_problem(response, 422, "validation_error")


async def test_422_lists_every_invalid_field(admin: httpx.AsyncClient) -> None:
    response = await admin.post(USERS, json={"username": "x", "role": "boss"})

    body = assert_problem(response, 422, "validation_error")
    assert {"username", "role", "full_name", "password"} <= error_fields(body)
    assert all(error["loc"][0] == "body" for error in body["errors"])


async def test_text_with_a_nul_character_is_a_validation_problem(
    admin: httpx.AsyncClient,
) -> None:
    user = {"username": "nul.byte", "full_name": "An\u0000", "role": "viewer"}
    user["password"] = "long enough password"

    response = await admin.post(USERS, json=user)

    body = assert_problem(response, 422, "validation_error")
    assert error_fields(body) == {"full_name"}


async def test_search_with_a_nul_character_is_not_a_crash(admin: httpx.AsyncClient) -> None:
    response = await admin.get(USERS, params={"q": "an\u0000"})

    problem = assert_problem(response, 422, "validation_error")  # refused before the database
    assert [e["type"] for e in problem["errors"]] == ["control_character"]


@pytest.fixture
def crashing_app(fresh_app: FastAPI) -> FastAPI:
    """An app with two routes that fail the way a bug would."""
    app = fresh_app

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals: password_hash=abc")

    @app.get("/boom-sql")
    async def boom_sql(session: SessionDep) -> None:
        await session.execute(text("SELECT password_hash FROM no_such_table"))

    return app


async def test_500_is_a_generic_problem_with_the_request_id(
    crashing_app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        async with client_for(crashing_app) as anon:
            response = await anon.get("/boom", headers={"X-Request-ID": "req-500-check"})

    body = assert_problem(response, 500, "internal_error")
    assert body["request_id"] == "req-500-check"
    assert "req-500-check" in body["detail"]
    assert response.headers["X-Request-ID"] == "req-500-check"
    assert "secret" not in response.text
    assert "Traceback" not in response.text
    assert "RuntimeError" not in response.text
    # One record with the traceback and the request id; Starlette's re-raise would add another.
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(logged) == 1, "the trace goes to the log once"
    assert logged[0].exc_info is not None
    assert getattr(logged[0], "request_id", None) == "req-500-check"


async def test_500_from_sql_never_shows_the_sql(
    crashing_app: FastAPI, admin: httpx.AsyncClient
) -> None:
    async with client_for(crashing_app) as anon:
        response = await anon.get("/boom-sql")

    body = assert_problem(response, 500, "internal_error")
    assert body["request_id"] in body["detail"]
    for leak in ("SELECT", "no_such_table", "password_hash", "Traceback", "asyncpg"):
        assert leak not in response.text
    # The failed request rolled back; the next one works on the same connection.
    assert (await admin.get("/api/v1/auth/me")).status_code == 200


async def _insert_in_savepoint(session: AsyncSession, user: User) -> None:
    async with session.begin_nested():
        session.add(user)
        await session.flush()


async def test_unique_violation_from_the_database_names_the_field(
    session: AsyncSession, make_user: UserFactory
) -> None:
    existing = await make_user(Role.VIEWER)

    twin = User(username=existing.username, full_name="Twin", role=Role.VIEWER, password_hash="x")

    with pytest.raises(IntegrityError) as raised:
        await _insert_in_savepoint(session, twin)

    described = describe_integrity_error(raised.value)
    assert described is not None
    status, code, detail, field = described
    assert (status, code, field) == (409, "conflict", "username")
    assert existing.username in detail
