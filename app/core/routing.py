"""Mounting routers as one flat list of routes.

FastAPI 0.16x keeps an included router as a node of a tree and matches a request level by
level, each level twice (does any route below match? then which one?); with ~100 routes three
levels deep that was a quarter of a simple GET's time (issue 11). `include_flat` adds a router's
routes to the app one by one, as `include_router` did before: the same routes, dependencies,
responses and OpenAPI, matched once each. Each route first compares the path with its literal
prefix (`/api/v1/members/` for `/api/v1/members/{member_id}`), which is all it takes to tell
that most of them do not match: the regular expressions of some 170 routes were half of
/healthz's time.

Even ruled out by prefix, asking ~170 routes in turn was still a third of /healthz's time and
a tenth of a GET of one member's: `index_routes` has the router ask only the routes that can
match the path's first segments (`RouteIndex`).
"""

from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from typing import Any

from fastapi import APIRouter, params
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute, Match, Route
from starlette.types import ASGIApp, Receive, Scope, Send


class FlatRoute(APIRoute):
    """An API route that answers "no match" from its literal prefix when it can: a path that does
    not start with the text before the route's first `{` cannot match its pattern (nor, for
    the slash redirect, the path with a slash added or removed, which is matched the same way)."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        self.literal_prefix = path.partition("{")[0]

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        # Behind a root_path the route path is derived from it; that case takes the long way.
        if (
            scope["type"] == "http"
            and not scope.get("root_path")
            and not scope["path"].startswith(self.literal_prefix)
        ):
            return Match.NONE, {}
        return super().matches(scope)


def summary_of(route: APIRoute) -> str:
    """An operation's default summary, from its function: `list_enterprises` → "List
    enterprises" (its `name`, which makes the operation id, is only the verb: `list`)."""
    return route.endpoint.__name__.replace("_", " ").capitalize()


def include_flat(
    target: APIRouter,
    router: APIRouter,
    *,
    prefix: str = "",
    dependencies: Sequence[params.Depends] = (),
    responses: dict[int | str, dict[str, Any]] | None = None,
    generate_unique_id_function: Callable[[APIRoute], str],
) -> None:
    for route in router.routes:
        if not isinstance(route, APIRoute):
            raise TypeError(f"{route!r}: only API routes can be included flat")
        route_class = type(route)
        if not issubclass(route_class, FlatRoute):
            if route_class is not APIRoute:
                raise TypeError(f"{route_class.__name__} must extend FlatRoute")
            route_class = FlatRoute
        target.add_api_route(
            prefix + route.path,
            route.endpoint,
            response_model=route.response_model,
            status_code=route.status_code,
            tags=route.tags,
            dependencies=[*dependencies, *route.dependencies],
            summary=route.summary or summary_of(route),
            description=route.description,
            response_description=route.response_description,
            responses={**(responses or {}), **route.responses},
            deprecated=route.deprecated,
            methods=route.methods,
            operation_id=route.operation_id,
            response_model_include=route.response_model_include,
            response_model_exclude=route.response_model_exclude,
            response_model_by_alias=route.response_model_by_alias,
            response_model_exclude_unset=route.response_model_exclude_unset,
            response_model_exclude_defaults=route.response_model_exclude_defaults,
            response_model_exclude_none=route.response_model_exclude_none,
            include_in_schema=route.include_in_schema,
            response_class=route.response_class,
            name=route.name,
            route_class_override=route_class,
            callbacks=route.callbacks,
            openapi_extra=route.openapi_extra,
            generate_unique_id_function=generate_unique_id_function,
        )


# How many leading segments of a path pick its candidate routes: /api/v1/<resource>.
KEY_DEPTH = 3
_CANDIDATES: ContextVar[list[BaseRoute] | None] = ContextVar("kcn_candidates", default=None)


def route_key(route: BaseRoute) -> tuple[str, ...] | None:
    """The leading segments (at most KEY_DEPTH) of every path `route` can match, or None when
    it does not fix them (a mount, a parameter in the first segments): such a route is a
    candidate for every path."""
    if not isinstance(route, Route):
        return None
    literal, brace, _ = route.path.partition("{")
    segments = literal.split("/")[1:]
    if brace:
        segments.pop()  # the segment holding the parameter is not fixed
    if len(segments) >= KEY_DEPTH:
        return tuple(segments[:KEY_DEPTH])
    # A literal route with fewer segments matches only its own path, whose key it is.
    return None if brace else tuple(segments)


def path_key(path: str) -> tuple[str, ...]:
    return tuple(path.split("/")[1 : 1 + KEY_DEPTH])


class IndexedRoutes(list[BaseRoute]):
    """The router's routes. Iterated once after `RouteIndex` named a request's candidates, it
    yields those only; the router's loop looking for the route to run is that first
    iteration. Every other iteration (the slash redirect's, the 405's Allow, the OpenAPI
    document, tests) sees every route."""

    def __iter__(self) -> Iterator[BaseRoute]:
        candidates = _CANDIDATES.get()
        if candidates is None:
            return super().__iter__()
        _CANDIDATES.set(None)
        return iter(candidates)


class RouteIndex:
    """The router's entry: names the request's candidate routes, then runs the router, which
    goes on exactly as before: the candidates are, in the router's order, every route whose
    key is the path's and every route without a key; no other route can match the path, fully
    or by its method (the 405), so the first route that matches is the same one. The index is
    rebuilt when routes are added. Behind a root_path, where route paths are derived from it,
    the router asks every route."""

    def __init__(self, router: APIRouter, dispatch: ASGIApp) -> None:
        self.routes = router.routes
        self.dispatch = dispatch
        self._built_for = -1
        self._by_key: dict[tuple[str, ...], list[BaseRoute]] = {}
        self._unkeyed: list[BaseRoute] = []

    def candidates(self, path: str) -> list[BaseRoute]:
        if self._built_for != len(self.routes):
            self._build()
        return self._by_key.get(path_key(path), self._unkeyed)

    def _build(self) -> None:
        routes = list.copy(self.routes)  # copied as a list: not through __iter__
        keys = [route_key(route) for route in routes]
        by_key: dict[tuple[str, ...], list[BaseRoute]] = {}
        for key in keys:
            if key is not None and key not in by_key:
                by_key[key] = [r for r, k in zip(routes, keys, strict=True) if k in (key, None)]
        self._by_key = by_key
        self._unkeyed = [route for route, key in zip(routes, keys, strict=True) if key is None]
        self._built_for = len(routes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("root_path"):
            await self.dispatch(scope, receive, send)
            return
        token = _CANDIDATES.set(self.candidates(scope["path"]))
        try:
            await self.dispatch(scope, receive, send)
        finally:
            _CANDIDATES.reset(token)


def index_routes(router: APIRouter) -> None:
    """Has `router` ask only the routes that can match a request's path (`RouteIndex`)."""
    router.routes = IndexedRoutes(router.routes)
    router.middleware_stack = RouteIndex(router, router.middleware_stack)
