"""The routes are mounted flat (app/core/routing.py): each one still carries its router's
dependencies, so every operation but logging in, refreshing and health answers 401 without a
token."""

import re
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.routing import Match, Route

from app.auth.dependencies import CurrentUser, authenticated_user, get_current_user
from app.core.routing import RouteIndex, include_flat
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


def _concrete(path: str) -> str:
    return re.sub(r"\{[a-z_]+(:[a-z]+)?\}", "1", path)


def test_the_index_names_every_route_that_can_match_a_path(app: FastAPI) -> None:
    """For the path of every route (its parameters filled in, with and without a trailing
    slash, and with more segments), the routes the index names are, in the router's order,
    those of all routes that match it fully or by their method: so the router picks the same
    route, the same 405, the same redirect as when it asked them all."""
    index = app.router.middleware_stack
    assert isinstance(index, RouteIndex)
    routes = list.copy(app.router.routes)
    paths = {_concrete(route.path) for route in routes if isinstance(route, Route)}
    paths |= {p + "/" for p in paths} | {p.rstrip("/") + "/x/y" for p in paths} | {"/", "/nope"}
    methods = ("GET", "POST", "PATCH", "PUT", "DELETE", "OPTIONS")
    for path in paths:
        candidates = index.candidates(path)
        assert [r for r in routes if r in candidates] == candidates, path  # the router's order
        for method in methods:
            scope = {"type": "http", "path": path, "root_path": "", "method": method}
            matching = [r for r in routes if r.matches(scope)[0] is not Match.NONE]
            assert [r for r in matching if r in candidates] == matching, (method, path)
    assert len(paths) > 250


async def test_routes_added_later_are_indexed(app: FastAPI, anon: httpx.AsyncClient) -> None:
    @app.get("/api/v1/late-arrival")
    async def late() -> dict[str, str]:
        return {"late": "yes"}

    try:
        assert (await anon.get("/api/v1/late-arrival")).json() == {"late": "yes"}
    finally:
        app.router.routes.pop()
    assert_problem(await anon.get("/api/v1/late-arrival"), 404, "not_found")


async def test_a_path_answered_from_the_index_is_the_same_answer(
    admin: httpx.AsyncClient,
) -> None:
    """A listed route, a route with a parameter, the slash redirect, a 405 and a 404, through
    the index."""
    assert (await admin.get("/api/v1/industrial-zones")).status_code == 200
    assert_problem(await admin.get("/api/v1/members/0"), 404, "not_found")
    redirected = await admin.get("/api/v1/industrial-zones/", follow_redirects=False)
    assert redirected.status_code == 307
    assert redirected.headers["location"].endswith("/api/v1/industrial-zones")
    assert_problem(await admin.put("/api/v1/industrial-zones"), 405, "method_not_allowed")
    assert_problem(await admin.get("/healthz/nothing"), 404, "not_found")
    # Whose path with the slash removed has another key: the redirect asks every route.
    redirected = await admin.get("/healthz/", follow_redirects=False)
    assert redirected.status_code == 307
    assert redirected.headers["location"].endswith("/healthz")


def _solved(dependant: Dependant) -> list[Any]:
    """The dependencies' calls in the order FastAPI solves them: each one's own first."""
    calls = []
    for sub in dependant.dependencies:
        calls += [*_solved(sub), sub.call]
    return calls


def test_the_user_is_authenticated_before_any_dependency_names_it(app: FastAPI) -> None:
    """CurrentUser reads the user get_current_user authenticated: in every route naming it,
    get_current_user has run before."""
    naming = 0
    for route in app.routes:
        if not isinstance(route, APIRoute):
            continue
        calls = _solved(route.dependant)
        if authenticated_user in calls:
            naming += 1
            assert get_current_user in calls[: calls.index(authenticated_user)], route.path
    assert naming > 80


async def test_current_user_outside_a_protected_router_is_a_mistake_found_at_once() -> None:
    app = FastAPI()

    @app.get("/unprotected")
    async def unprotected(user: CurrentUser) -> str:
        return user.username

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=True)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        with pytest.raises(RuntimeError, match="CurrentUser needs get_current_user"):
            await client.get("/unprotected")
