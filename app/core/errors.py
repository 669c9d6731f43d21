"""Problem details (RFC 9457): the domain error hierarchy and the handlers rendering every error."""

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import DBAPIError, IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.constraints import describe_data_error, describe_integrity_error
from app.core.faults import CONCURRENT_UPDATE, FAULT_TYPES, classify
from app.core.problem_codes import (
    BY_STATUS,
    EXAMPLE_STATUSES,
    TITLES,
    ProblemCode,
    code_for_status,
    example,
    problem_type,
)

logger = logging.getLogger("kcn.errors")

PROBLEM_MEDIA_TYPE = "application/problem+json"


class FieldError(BaseModel):
    loc: list[str | int] = Field(examples=[["body", "tax_code"]])
    message: str = Field(examples=["must be 10 digits, or 10 digits, a hyphen and 3 digits"])
    type: str = Field(default="invalid", examples=["value_error"])


class Problem(BaseModel):
    """An error, as application/problem+json."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(examples=["urn:kcn-party:problem:conflict"])
    title: str = Field(examples=["Conflict"])
    status: int = Field(examples=[409])
    detail: str = Field(examples=["an enterprise with this tax_code already exists"])
    code: ProblemCode = Field(description="What went wrong, for programs: switch on it.")
    instance: str | None = Field(default=None, examples=["/api/v1/enterprises"])
    request_id: str | None = None
    errors: list[FieldError] | None = None


class DomainError(Exception):
    """Base of the errors services raise; each carries its HTTP status and a stable code."""

    status: int = 400
    code: ProblemCode = ProblemCode.BAD_REQUEST
    title: str = "Bad Request"

    def __init__(
        self,
        detail: str,
        *,
        code: ProblemCode | None = None,
        field: str | None = None,
        errors: Sequence[FieldError] | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code
        self.errors = list(errors or [])
        if field is not None:
            self.errors.append(FieldError(loc=["body", field], message=detail, type=self.code))
        self.headers = headers
        self.extra = extra or {}


class Unauthorized(DomainError):
    status, code, title = 401, ProblemCode.UNAUTHORIZED, "Unauthorized"

    def __init__(self, detail: str = "authentication required", **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(detail, **kwargs)


class Forbidden(DomainError):
    status, code, title = 403, ProblemCode.FORBIDDEN, "Forbidden"


class NotFound(DomainError):
    status, code, title = 404, ProblemCode.NOT_FOUND, "Not Found"


class Conflict(DomainError):
    status, code, title = 409, ProblemCode.CONFLICT, "Conflict"


class PreconditionFailed(DomainError):
    status, code, title = 412, ProblemCode.PRECONDITION_FAILED, "Precondition Failed"


class ContentTooLarge(DomainError):
    status, code, title = 413, ProblemCode.CONTENT_TOO_LARGE, "Content Too Large"


class UnsupportedMediaType(DomainError):
    status, code, title = 415, ProblemCode.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type"


class RuleViolation(DomainError):
    status, code, title = 422, ProblemCode.RULE_VIOLATION, "Unprocessable Content"


class TooManyRequests(DomainError):
    status, code, title = 429, ProblemCode.TOO_MANY_REQUESTS, "Too Many Requests"


class ServiceUnavailable(DomainError):
    status, code, title = 503, ProblemCode.SERVICE_UNAVAILABLE, "Service Unavailable"


def problem_response(
    request: Request,
    *,
    status: int,
    code: ProblemCode,
    detail: str,
    title: str | None = None,
    errors: Sequence[FieldError] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    request_id = getattr(request.state, "request_id", None)
    request.state.problem_code = code  # for the access log line
    body: dict[str, Any] = {
        "type": problem_type(code),
        "title": title or TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "code": code.value,
        "instance": request.url.path,
        "request_id": request_id,
    }
    if errors:
        body["errors"] = [error.model_dump() for error in errors]
    if extra:
        body.update({k: v for k, v in extra.items() if k not in body})
    all_headers = dict(headers or {})
    if request_id:
        all_headers["X-Request-ID"] = request_id
    return JSONResponse(
        body, status_code=status, headers=all_headers, media_type=PROBLEM_MEDIA_TYPE
    )


def _validation_errors(raw: Sequence[Any]) -> list[FieldError]:
    errors = []
    for error in raw:
        loc = [part for part in error.get("loc", ()) if isinstance(part, str | int)]
        message = str(error.get("msg", "invalid value"))
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        errors.append(FieldError(loc=loc, message=message, type=str(error.get("type", "invalid"))))
    return errors


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    return problem_response(
        request,
        status=exc.status,
        code=exc.code,
        title=exc.title,
        detail=exc.detail,
        errors=exc.errors,
        headers=exc.headers,
        extra=exc.extra,
    )


async def _request_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = _validation_errors(exc.errors())
    summary = "; ".join(f"{'.'.join(map(str, e.loc[1:] or e.loc))}: {e.message}" for e in errors)
    return problem_response(
        request,
        status=422,
        code=ProblemCode.VALIDATION_ERROR,
        detail=f"the request is not valid: {summary}" if summary else "the request is not valid",
        errors=errors,
    )


async def _http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    headers = dict(exc.headers or {})
    if status == 404:
        detail = "no such resource" if exc.detail == "Not Found" else str(exc.detail)
        code = ProblemCode.NOT_FOUND
    elif status == 405:
        detail = f"method {request.method} is not allowed on {request.url.path}"
        code = ProblemCode.METHOD_NOT_ALLOWED
        # The router's Allow names only the first route matching the path; RFC 9110 §10.2.1 wants
        # every method the path supports: those some route fully matches with that method.
        from starlette.routing import Match

        def served(method: str) -> bool:
            scope = request.scope
            probe = {k: scope[k] for k in ("type", "path", "root_path", "headers") if k in scope}
            probe["method"] = method
            return any(r.matches(probe)[0] is Match.FULL for r in request.app.router.routes)

        methods = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
        allowed = [method for method in methods if served(method)]
        # A route taking any method (a mount) answered this 405 itself: its Allow stands.
        if allowed and not served("KCN-ANY-METHOD"):
            headers["Allow"] = ", ".join(allowed)
    else:
        detail = str(exc.detail)
        code = code_for_status(status)
    return problem_response(request, status=status, code=code, detail=detail, headers=headers)


async def _integrity_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, IntegrityError)
    described = describe_integrity_error(exc)
    if described is None:
        return await _unhandled(request, exc)
    status, code, detail, field = described
    errors = [FieldError(loc=["body", field], message=detail, type=code)] if field else None
    return problem_response(request, status=status, code=code, detail=detail, errors=errors)


async def _data_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DBAPIError)
    detail = describe_data_error(exc)
    if detail is None:
        return await _fault(request, exc)
    return problem_response(request, status=422, code=ProblemCode.INVALID_VALUE, detail=detail)


async def _fault(request: Request, exc: Exception) -> JSONResponse:
    """The database's troubles (app.core.faults): 503 with Retry-After, or 409 for a lost race
    (412 when the client sent If-Match: its version is the one that lost)."""
    fault = classify(exc)
    if fault is None:
        return await _unhandled(request, exc)
    if fault is CONCURRENT_UPDATE and request.headers.get("if-match"):
        stale = PreconditionFailed(
            "the resource changed while your change was being saved; read it again and "
            "reapply your change",
            code=ProblemCode.STALE_ETAG,
        )
        return await _domain_error(request, stale)
    headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else None
    return problem_response(
        request, status=fault.status, code=fault.code, detail=fault.detail, headers=headers
    )


def _internal(request: Request) -> JSONResponse:
    request_id = getattr(request.state, "request_id", None)
    return problem_response(
        request,
        status=500,
        code=ProblemCode.INTERNAL_ERROR,
        detail=f"an unexpected error occurred; quote request id {request_id} when reporting it",
    )


async def _unhandled(request: Request, exc: BaseException) -> JSONResponse:
    """A bug: one log record with the traceback (and the request id), and a 500 answer."""
    logger.error(
        "unhandled error on %s %s",
        request.method,
        request.url.path,
        exc_info=exc,
        extra={"request_id": getattr(request.state, "request_id", None)},
    )
    return _internal(request)


class ServerErrorMiddleware:
    """Answers an unexpected exception with a 500 problem, logged once, and keeps the
    connection open. (Starlette's own outermost handler re-raises after answering, so the
    server logs the traceback a second time and drops the connection.)"""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            request = Request(scope)
            if started:  # too late for an error response; the server ends the connection
                logger.error("error after the response started on %s", scope["path"], exc_info=exc)
                return
            response = await _fault(request, exc)
            await response(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _request_validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_exception)
    app.add_exception_handler(IntegrityError, _integrity_error)
    app.add_exception_handler(DBAPIError, _data_error)
    for fault_type in FAULT_TYPES:
        app.add_exception_handler(fault_type, _fault)
    app.add_middleware(ServerErrorMiddleware)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries declaring the problem schema for the given statuses."""
    return {
        status: {
            "model": Problem,
            "description": TITLES.get(status, "Error"),
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }


def problem_content_only(operation: dict[str, Any]) -> None:
    """Error responses are documented as application/problem+json only (FastAPI also lists the
    declared model under application/json), each with the codes its status can carry and a
    real example; app.core.openapi applies it to every operation."""
    for status, response in operation.get("responses", {}).items():
        content = response.get("content", {})
        if str(status)[0] in "45" and PROBLEM_MEDIA_TYPE in content:
            content.pop("application/json", None)
            code = int(status)
            codes = ", ".join(f"`{c.value}`" for c in BY_STATUS.get(code, ()))
            response["description"] = f"{TITLES.get(code, 'Error')}; `code` is one of {codes}."
            if code in EXAMPLE_STATUSES:
                content[PROBLEM_MEDIA_TYPE]["example"] = example(code)
