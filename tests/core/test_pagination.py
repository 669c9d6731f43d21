"""Keyset pagination: limit, opaque cursor, stable order, clear errors for bad cursors."""

import base64
import json
from typing import Any

import httpx
import pytest

from app.models import Role
from tests.fixtures.auth import UserFactory
from tests.problems import assert_problem

USERS = "/api/v1/users"


async def _walk(client: httpx.AsyncClient, **params: Any) -> tuple[list[int], int]:
    """Follow next_cursor to the end; the ids in the order seen and the number of pages."""
    ids: list[int] = []
    pages = 0
    cursor: str | None = None
    while True:
        query = dict(params, **({"cursor": cursor} if cursor else {}))
        response = await client.get(USERS, params=query)
        assert response.status_code == 200, response.text
        body = response.json()
        assert set(body) == {"items", "next_cursor"}
        pages += 1
        ids.extend(item["id"] for item in body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            return ids, pages
        assert pages < 50, "pagination does not terminate"


def _cursor(payload: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@pytest.fixture
async def seven_more_users(make_user: UserFactory) -> list[int]:
    # Names out of insertion order, so that order by username differs from order by id.
    names = ["gamma", "alpha", "epsilon", "beta", "zeta", "delta", "eta"]
    return [(await make_user(Role.VIEWER, username=f"page-{name}")).id for name in names]


async def test_walking_pages_by_username_sees_every_user_once_in_order(
    admin: httpx.AsyncClient, seven_more_users: list[int]
) -> None:
    everyone = (await admin.get(USERS, params={"limit": 500})).json()["items"]
    assert len(everyone) == 8

    ids, pages = await _walk(admin, limit=3)

    assert pages == 3
    assert ids == [user["id"] for user in everyone]
    assert len(set(ids)) == len(ids) == 8
    usernames = [user["username"] for user in everyone]
    assert usernames == sorted(usernames)


async def test_walking_pages_newest_first_breaks_ties_on_id(
    admin: httpx.AsyncClient, seven_more_users: list[int]
) -> None:
    # All rows come from one transaction, so created_at ties and only the id tiebreaker orders them.
    ids, pages = await _walk(admin, limit=3, sort="-created_at")

    assert pages == 3
    assert len(set(ids)) == len(ids) == 8
    assert ids == sorted(ids, reverse=True)


async def test_a_page_exactly_full_has_no_next_cursor(
    admin: httpx.AsyncClient, seven_more_users: list[int]
) -> None:
    body = (await admin.get(USERS, params={"limit": 8})).json()

    assert len(body["items"]) == 8
    assert body["next_cursor"] is None


async def test_filters_apply_on_every_page(
    admin: httpx.AsyncClient, seven_more_users: list[int]
) -> None:
    ids, _pages = await _walk(admin, limit=2, role="viewer")

    assert sorted(ids) == sorted(seven_more_users)


async def test_default_limit_is_50(admin: httpx.AsyncClient, make_user: UserFactory) -> None:
    for _ in range(51):
        await make_user(Role.VIEWER)

    body = (await admin.get(USERS)).json()

    assert len(body["items"]) == 50
    assert body["next_cursor"] is not None


@pytest.mark.parametrize(
    "cursor",
    [
        pytest.param("not-a-cursor!", id="garbage"),
        pytest.param("e30", id="empty-object"),
        pytest.param(_cursor([1, 2]), id="a-list"),
        pytest.param(_cursor({"o": "username", "v": []}), id="too-few-values"),
        pytest.param(_cursor({"o": "-created_at", "v": ["x", 1]}), id="other-ordering"),
        pytest.param(_cursor({"o": "username", "v": [123]}), id="wrong-type"),
        pytest.param(_cursor({"o": "-created_at", "v": ["yesterday", 1]}), id="bad-date"),
        pytest.param(
            _cursor({"o": "-created_at", "v": ["2024-01-01T00:00:00+00:00", "x"]}), id="bad-id"
        ),
        pytest.param(
            _cursor({"o": "-created_at", "v": ["2024-01-01T00:00:00+00:00", True]}), id="bool-id"
        ),
        pytest.param(base64.urlsafe_b64encode(b"\xff\xfe").decode(), id="not-utf8"),
    ],
)
async def test_invalid_cursor_is_422_invalid_cursor(admin: httpx.AsyncClient, cursor: str) -> None:
    response = await admin.get(USERS, params={"cursor": cursor})

    body = assert_problem(response, 422, "invalid_cursor")
    assert "cursor" in body["detail"]


async def test_cursor_from_one_sort_is_refused_by_another(
    admin: httpx.AsyncClient, seven_more_users: list[int]
) -> None:
    cursor = (await admin.get(USERS, params={"limit": 2})).json()["next_cursor"]

    response = await admin.get(USERS, params={"limit": 2, "sort": "-created_at", "cursor": cursor})

    assert_problem(response, 422, "invalid_cursor")


def test_orderings_must_match_the_sort_values_exactly() -> None:
    # The router's `sort` Literal and the repository's orderings are one definition: a key
    # missing on either side is refused when the module is imported, not at request time.
    from typing import Literal

    from app.core.pagination import orderings
    from app.models import IndustrialZone

    code = (IndustrialZone.code,)
    with pytest.raises(ValueError, match="do not match"):
        orderings(Literal["code", "name"], {"code": code})
    with pytest.raises(ValueError, match="do not match"):
        orderings(Literal["code"], {"code": code, "name": code})
    assert list(orderings(Literal["code"], {"code": code})) == ["code"]
    # "-x" sorts descending, and each key reads the row's attribute of the column's name.
    [key] = orderings(Literal["-code"], {"-code": code})["-code"].keys
    assert (key.attribute, key.descending) == ("code", True)
