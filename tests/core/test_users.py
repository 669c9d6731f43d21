"""Account management by admins: create, read, update with If-Match, delete."""

import unicodedata
from typing import Any

import httpx
import pytest

from app.models import Role
from tests.fixtures.auth import PASSWORD, ClientFactory, UserFactory
from tests.fixtures.db import Fingerprint
from tests.problems import assert_problem, error_fields

USERS = "/api/v1/users"


def new_user(**fields: Any) -> dict[str, Any]:
    return {
        "username": "nguyen.van.an",
        "full_name": "Nguyễn Văn An",
        "role": "editor",
        "password": "correct horse battery",
    } | fields


async def test_admin_creates_a_user_with_location_and_etag(admin: httpx.AsyncClient) -> None:
    response = await admin.post(USERS, json=new_user())

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["username"] == "nguyen.van.an"
    assert body["role"] == "editor"
    assert body["is_active"] is True
    assert "password" not in body
    assert "password_hash" not in body
    assert response.headers["Location"] == f"{USERS}/{body['id']}"
    etag = response.headers["ETag"]
    fetched = await admin.get(response.headers["Location"])
    assert fetched.status_code == 200
    assert fetched.json() == body
    assert fetched.headers["ETag"] == etag


async def test_created_user_can_log_in(admin: httpx.AsyncClient, anon: httpx.AsyncClient) -> None:
    await admin.post(USERS, json=new_user(username="Le.Thi.Hoa", password="a long passphrase"))

    response = await anon.post(
        "/api/v1/auth/token", data={"username": "le.thi.hoa", "password": "a long passphrase"}
    )

    assert response.status_code == 200, response.text


async def test_duplicate_username_is_409_naming_the_field(
    admin: httpx.AsyncClient, fingerprint: Fingerprint
) -> None:
    assert (await admin.post(USERS, json=new_user())).status_code == 201
    before = await fingerprint()

    response = await admin.post(USERS, json=new_user(username="NGUYEN.VAN.AN", full_name="Other"))

    body = assert_problem(response, 409)
    assert error_fields(body) == {"username"}
    assert "username" in body["detail"]
    assert await fingerprint() == before


@pytest.mark.parametrize(
    "field",
    [
        pytest.param({"id": 999}, id="id"),
        pytest.param({"created_at": "2024-01-01T00:00:00Z"}, id="created_at"),
        pytest.param({"password_hash": "x"}, id="password_hash"),
        pytest.param({"version": 7}, id="version"),
        pytest.param({"nickname": "An"}, id="unknown"),
    ],
)
async def test_unknown_and_server_managed_fields_are_rejected(
    admin: httpx.AsyncClient, fingerprint: Fingerprint, field: dict[str, Any]
) -> None:
    before = await fingerprint()

    response = await admin.post(USERS, json=new_user(**field))

    body = assert_problem(response, 422, "validation_error")
    assert error_fields(body) == set(field)
    assert await fingerprint() == before


async def test_patch_rejects_server_managed_fields(
    admin: httpx.AsyncClient, make_user: UserFactory
) -> None:
    user = await make_user(Role.VIEWER)

    response = await admin.patch(f"{USERS}/{user.id}", json={"id": 1, "username": "renamed"})

    body = assert_problem(response, 422, "validation_error")
    assert error_fields(body) == {"id", "username"}


@pytest.mark.parametrize(
    ("fields", "bad_field"),
    [
        pytest.param({"password": "short"}, "password", id="short-password"),
        pytest.param({"role": "superuser"}, "role", id="unknown-role"),
        pytest.param({"username": "a b"}, "username", id="username-with-space"),
        pytest.param({"full_name": "   "}, "full_name", id="blank-name"),
    ],
)
async def test_invalid_values_are_422_naming_the_field(
    admin: httpx.AsyncClient, fields: dict[str, Any], bad_field: str
) -> None:
    response = await admin.post(USERS, json=new_user(**fields))

    body = assert_problem(response, 422, "validation_error")
    assert bad_field in error_fields(body)


async def test_text_input_is_nfc_normalized_and_trimmed(admin: httpx.AsyncClient) -> None:
    decomposed = "  " + unicodedata.normalize("NFD", "Nguyễn Văn An") + " \t"
    assert decomposed.strip() != "Nguyễn Văn An"

    created = await admin.post(USERS, json=new_user(full_name=decomposed))

    assert created.status_code == 201, created.text
    assert created.json()["full_name"] == "Nguyễn Văn An"
    fetched = await admin.get(created.headers["Location"])
    assert fetched.json()["full_name"] == "Nguyễn Văn An"
    assert unicodedata.is_normalized("NFC", fetched.json()["full_name"])


async def test_patch_with_current_etag_applies_and_changes_the_etag(
    admin: httpx.AsyncClient, make_user: UserFactory
) -> None:
    user = await make_user(Role.VIEWER)
    read = await admin.get(f"{USERS}/{user.id}")
    etag = read.headers["ETag"]

    response = await admin.patch(
        f"{USERS}/{user.id}",
        json={"full_name": "Phạm Minh Châu", "role": "group_leader"},
        headers={"If-Match": etag},
    )

    assert response.status_code == 200, response.text
    assert response.json()["full_name"] == "Phạm Minh Châu"
    assert response.json()["role"] == "group_leader"
    assert response.json()["username"] == user.username
    assert response.headers["ETag"] != etag
    assert (await admin.get(f"{USERS}/{user.id}")).headers["ETag"] == response.headers["ETag"]


async def test_patch_with_stale_if_match_is_412_and_changes_nothing(
    admin: httpx.AsyncClient, make_user: UserFactory, fingerprint: Fingerprint
) -> None:
    user = await make_user(Role.VIEWER)
    stale = (await admin.get(f"{USERS}/{user.id}")).headers["ETag"]
    first = await admin.patch(
        f"{USERS}/{user.id}", json={"full_name": "First edit"}, headers={"If-Match": stale}
    )
    assert first.status_code == 200, first.text
    before = await fingerprint()

    response = await admin.patch(
        f"{USERS}/{user.id}", json={"full_name": "Second edit"}, headers={"If-Match": stale}
    )

    assert_problem(response, 412, "stale_etag")
    assert await fingerprint() == before
    assert (await admin.get(f"{USERS}/{user.id}")).json()["full_name"] == "First edit"


async def test_delete_with_stale_if_match_is_412(
    admin: httpx.AsyncClient, make_user: UserFactory
) -> None:
    user = await make_user(Role.VIEWER)

    response = await admin.delete(f"{USERS}/{user.id}", headers={"If-Match": '"999"'})

    assert_problem(response, 412, "stale_etag")
    assert (await admin.get(f"{USERS}/{user.id}")).status_code == 200


async def test_patch_password_lets_the_user_log_in_with_the_new_one(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient, make_user: UserFactory
) -> None:
    user = await make_user(Role.EDITOR)

    response = await admin.patch(f"{USERS}/{user.id}", json={"password": "a brand new secret"})

    assert response.status_code == 200, response.text
    login = "/api/v1/auth/token"
    old = await anon.post(login, data={"username": user.username, "password": PASSWORD})
    assert_problem(old, 401, "invalid_credentials")
    new = await anon.post(login, data={"username": user.username, "password": "a brand new secret"})
    assert new.status_code == 200, new.text


async def test_admin_cannot_deactivate_or_demote_themselves(
    make_user: UserFactory, client_as: ClientFactory, fingerprint: Fingerprint
) -> None:
    me = await make_user(Role.ADMIN)
    client = client_as(me)
    before = await fingerprint()

    for change in ({"is_active": False}, {"role": "viewer"}):
        response = await client.patch(f"{USERS}/{me.id}", json=change)
        assert_problem(response, 409, "self_lockout")

    assert await fingerprint() == before
    assert (await client.get("/api/v1/auth/me")).json()["is_active"] is True


async def test_admin_cannot_delete_themselves(
    make_user: UserFactory, client_as: ClientFactory
) -> None:
    me = await make_user(Role.ADMIN)
    client = client_as(me)

    assert_problem(await client.delete(f"{USERS}/{me.id}"), 409, "self_lockout")
    assert (await client.get("/api/v1/auth/me")).status_code == 200


async def test_delete_removes_the_user(admin: httpx.AsyncClient, make_user: UserFactory) -> None:
    user = await make_user(Role.VIEWER)
    etag = (await admin.get(f"{USERS}/{user.id}")).headers["ETag"]

    response = await admin.delete(f"{USERS}/{user.id}", headers={"If-Match": etag})

    assert response.status_code == 204
    assert response.content == b""
    assert_problem(await admin.get(f"{USERS}/{user.id}"), 404, "not_found")
    assert_problem(await admin.delete(f"{USERS}/{user.id}"), 404, "not_found")


async def test_list_filters_by_role_and_activity(
    admin: httpx.AsyncClient, make_user: UserFactory
) -> None:
    leader = await make_user(Role.GROUP_LEADER)
    inactive = await make_user(Role.VIEWER, is_active=False)

    leaders = (await admin.get(USERS, params={"role": "group_leader"})).json()["items"]
    inactive_ones = (await admin.get(USERS, params={"is_active": "false"})).json()["items"]

    assert [u["id"] for u in leaders] == [leader.id]
    assert [u["id"] for u in inactive_ones] == [inactive.id]


@pytest.mark.parametrize("field", ["full_name", "role", "is_active", "password"])
async def test_patch_with_null_for_a_required_field_is_422(
    admin: httpx.AsyncClient, make_user: UserFactory, fingerprint: Fingerprint, field: str
) -> None:
    user = await make_user(Role.EDITOR)
    user_id = user.id
    before = await fingerprint()
    response = await admin.patch(f"/api/v1/users/{user_id}", json={field: None})
    assert_problem(response, 422, "validation_error")
    assert error_fields(response.json()) == {field}
    assert await fingerprint() == before
