"""Idempotency-Key on POST (draft-ietf-httpapi-idempotency-key-header): a client that did not
hear the answer to a POST sends it again with the same key and gets the first answer back
instead of a second record.

The first successful response (status, body, Location, ETag) is stored per (user, key) in the
transaction of the write itself, so either both the write and its record exist or neither does.
For 24 hours a replay is answered from the record with `Idempotent-Replayed: true`; the same key
with another request is a 422; a replay while the first is still being processed is a 409. A
request that failed wrote nothing and leaves no record: it may be retried with the same key.

Every router whose POSTs create or change records uses `IdempotentRoute`.
"""

import datetime as dt
import hashlib
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, Request, Response
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import UploadFile as StarletteUploadFile

from app.auth.dependencies import CurrentUser
from app.core.db import SessionDep
from app.core.errors import Conflict, RuleViolation
from app.core.problem_codes import ProblemCode
from app.core.routing import FlatRoute
from app.models import IdempotencyRecord

KEY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
RETENTION = dt.timedelta(hours=24)
KEPT_HEADERS = ("content-type", "location", "etag")

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias=KEY_HEADER,
        min_length=1,
        max_length=255,
        pattern=r"^[!-~]+$",
        description="A unique value (e.g. a UUID) per intended operation. Resending the request "
        "with the same key within 24 hours returns the first response (with "
        "`Idempotent-Replayed: true`) instead of doing it twice.",
        examples=["5f0d2a4e-8c61-4f7e-9d0c-3b1f6a2e9c7d"],
    ),
]


class Replay(Exception):
    """Raised by the dependency to answer with the stored response (see `answer_replay`)."""

    def __init__(self, record: IdempotencyRecord) -> None:
        super().__init__("replayed")
        # Copied: the request's transaction is rolled back (and the record expired) before the
        # handler answers.
        self.status, self.body = record.status, record.body
        self.stored_headers = dict(record.headers)


async def answer_replay(_request: Request, exc: Exception) -> Response:
    """The exception handler answering a `Replay` with the stored response."""
    assert isinstance(exc, Replay)
    headers = {**exc.stored_headers, REPLAYED_HEADER: "true"}
    media_type = headers.pop("content-type", None)
    return Response(
        content=exc.body, status_code=exc.status, headers=headers, media_type=media_type
    )


@dataclass
class Claim:
    """A key this request holds: its response is recorded before the transaction commits."""

    session: AsyncSession
    user_id: int
    key: str
    fingerprint: str

    async def record(self, response: Response) -> None:
        headers = {
            name: value for name, value in response.headers.items() if name.lower() in KEPT_HEADERS
        }
        self.session.add(
            IdempotencyRecord(
                user_id=self.user_id,
                key=self.key,
                fingerprint=self.fingerprint,
                status=response.status_code,
                headers=headers,
                body=bytes(response.body),
            )
        )
        await self.session.flush()


async def _content(request: Request) -> bytes:
    """What the request says, for its fingerprint: its body, or for a form (an uploaded
    spreadsheet) its fields and files' digests, as a retry resends them whatever boundary its
    multipart encoding picks. (FastAPI has parsed the form already: its stream is consumed.)"""
    if not request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        return await request.body()
    parts = []
    for name, value in (await request.form()).multi_items():
        if isinstance(value, StarletteUploadFile):
            digest = hashlib.sha256(await value.read()).hexdigest()
            await value.seek(0)
            parts.append(f"{name}:{value.filename}:{digest}")
        else:
            parts.append(f"{name}={value}")
    return "\n".join(sorted(parts)).encode()


async def claim_key(
    request: Request, session: SessionDep, user: CurrentUser, key: IdempotencyKey = None
) -> None:
    """The dependency every POST of an `IdempotentRoute` runs after authentication."""
    if key is None:
        return
    body = await _content(request)
    fingerprint = hashlib.sha256(
        b"\n".join([request.method.encode(), request.url.path.encode(), request.url.query.encode()])
        + b"\n"
        + body
    ).hexdigest()
    # One holder per key at a time: a duplicate sent while the first is running does not wait.
    lock_id = func.hashtextextended(f"idempotency:{user.id}:{key}", 0)
    if not await session.scalar(select(func.pg_try_advisory_xact_lock(lock_id))):
        raise Conflict(
            "a request with this Idempotency-Key is still being processed; retry in a moment "
            "to get its response",
            code=ProblemCode.IDEMPOTENCY_KEY_IN_FLIGHT,
            headers={"Retry-After": "1"},
        )
    record = await session.get(IdempotencyRecord, (user.id, key), populate_existing=True)
    expired_before = (await session.execute(select(func.now() - RETENTION))).scalar_one()
    if record is not None and record.created_at > expired_before:
        if record.fingerprint != fingerprint:
            raise RuleViolation(
                f"this {KEY_HEADER} was used for a different request; use a new key for a new "
                "request",
                code=ProblemCode.IDEMPOTENCY_KEY_REUSED,
            )
        raise Replay(record)
    # The user's expired records go (this one included) before the key is taken again.
    await session.execute(
        delete(IdempotencyRecord).where(
            IdempotencyRecord.user_id == user.id, IdempotencyRecord.created_at <= expired_before
        )
    )
    request.state.idempotency = Claim(session, user.id, key, fingerprint)


class IdempotentRoute(FlatRoute):
    """A route whose POST honours Idempotency-Key (documented as an optional header)."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if "POST" in {method.upper() for method in kwargs.get("methods") or ()}:
            dependencies = list(kwargs.get("dependencies") or [])
            if not any(d.dependency is claim_key for d in dependencies):
                dependencies.append(Depends(claim_key))
            kwargs["dependencies"] = dependencies
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()
        if "POST" not in (self.methods or ()):
            return handle  # nothing to record

        async def handle_and_record(request: Request) -> Response:
            response = await handle(request)
            claim: Claim | None = getattr(request.state, "idempotency", None)
            if claim is not None and response.status_code < 400:
                await claim.record(response)
            return response

        return handle_and_record
