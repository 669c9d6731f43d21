"""Mounting routers as one flat list of routes.

FastAPI 0.16x keeps an included router as a node of a tree and matches a request level by
level, each level twice (does any route below match? then which one?); with ~100 routes three
levels deep that was a quarter of a simple GET's time (issue 11). `include_flat` adds a router's
routes to the app one by one, as `include_router` did before: the same routes, dependencies,
responses and OpenAPI, matched once each. Each route first compares the path with its literal
prefix (`/api/v1/members/` for `/api/v1/members/{member_id}`), which is all it takes to tell
that most of them do not match: the regular expressions of some 170 routes were half of
/healthz's time.
"""

from collections.abc import Callable, Sequence
from typing import Any

from fastapi import APIRouter, params
from fastapi.routing import APIRoute
from starlette.routing import Match
from starlette.types import Scope


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
