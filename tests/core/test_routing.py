"""The routes are mounted flat (app/core/routing.py): each one still carries its router's
dependencies, so every operation but logging in, refreshing and health answers 401 without a
token."""

import re

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from starlette.routing import Route

from app.core.routing import include_flat
from tests.problems import assert_problem

# The calendar feed: its URL holds its own token (a calendar app sends no header).
PUBLIC = {
    "/api/v1/auth/token",
    "/api/v1/auth/refresh",
    "/api/v1/calendar/feed/{token}.ics",
    "/healthz",
    "/readyz",
}


async def test_every_operation_but_the_public_ones_needs_a_token(
    app: FastAPI, anon: httpx.AsyncClient
) -> None:
    checked = 0
    for route in app.routes:
        if not isinstance(route, APIRoute) or route.path in PUBLIC or not route.include_in_schema:
            continue  # the docs pages are not in the schema
        path = re.sub(r"\{[a-z_]+(:[a-z]+)?\}", "1", route.path)
        for method in route.methods or ():
            answer = await anon.request(method, path, json={})
            assert_problem(answer, 401, "not_authenticated")
            checked += 1
    documented = sum(
        len(operations) for path, operations in app.openapi()["paths"].items() if path not in PUBLIC
    )
    assert checked == documented > 80


def test_only_api_routes_are_mounted_flat() -> None:
    router = APIRouter()
    router.routes.append(Route("/plain", lambda request: None))
    with pytest.raises(TypeError, match="only API routes"):
        include_flat(APIRouter(), router, generate_unique_id_function=lambda r: r.name)


async def test_routes_match_behind_a_root_path(app: FastAPI) -> None:
    """A route tells from its literal prefix that a path is not its own; behind a proxy's
    root_path the path carries the prefix too, and the routes still match."""
    transport = httpx.ASGITransport(app=app, root_path="/kcn")
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        assert (await client.get("/kcn/healthz")).json() == {"status": "ok"}
        assert_problem(await client.get("/kcn/api/v1/members/1"), 401, "not_authenticated")
        assert_problem(await client.get("/kcn/api/v1/nothing-here"), 404, "not_found")
