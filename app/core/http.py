"""HTTP details every router shares: the API prefix, Location of a new resource, and ETag /
If-Match (optimistic concurrency for single resources)."""

import inspect
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

from fastapi import Header, Response
from fastapi.routing import APIRoute

from app.core.errors import PreconditionFailed
from app.core.problem_codes import ProblemCode

API_PREFIX = "/api/v1"
T = TypeVar("T")


def constructed(cls: type[T]) -> Callable[..., Awaitable[T]]:
    """The dependency building `cls` from its constructor's parameters (themselves
    dependencies), in the event loop: FastAPI runs a class given to `Depends()`, as any plain
    function, in a worker thread, a hop that costs more than most requests' own work."""

    async def build(**values: Any) -> T:
        return cls(**values)

    build.__signature__ = inspect.signature(cls)  # type: ignore[attr-defined]
    build.__name__ = f"construct_{cls.__name__.strip('_').lower()}"
    return build


def set_location(response: Response, *path: object) -> None:
    """`Location` of a resource just created: `set_location(response, "enterprises", 7)`."""
    response.headers["Location"] = "/".join([API_PREFIX, *(str(part) for part in path)])


IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description="The ETag of the version you edited; a stale one is refused with 412.",
    ),
]


def etag_of(version: int) -> str:
    return f'"{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag_of(version)


def check_if_match(if_match: str | None, version: int) -> None:
    """Raise 412 unless If-Match is absent, `*`, or names the current version."""
    if if_match is None:
        return
    current = etag_of(version)
    candidates = [tag.strip().removeprefix("W/") for tag in if_match.split(",")]
    if "*" in candidates or current in candidates:
        return
    raise PreconditionFailed(
        f"the resource changed since you read it (current ETag {current}); "
        "read it again and reapply your change",
        code=ProblemCode.STALE_ETAG,
    )


def operation_id(route: APIRoute) -> str:
    """`{tag}-{verb}` (`enterprises-list`, `members-admit`), the verb being the route's `name`:
    stable, deliberate names for generated clients (the OpenAPI operationId; frozen by
    tests/openapi/operation_ids.txt), and how the audit trail names the operation behind a
    change."""
    tag = route.tags[0] if route.tags else "default"
    return f"{tag}-{route.name}"
