"""JSON log lines carrying the request id, and the middleware that assigns it."""

import datetime as dt
import logging
import re
import sys
import time
import uuid
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.audit import audit_context

if TYPE_CHECKING:
    from app.core.metrics import Metrics

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
# Paths whose last segment is a credential (a calendar feed's token): logged without it.
SECRET_PATHS = ("/api/v1/calendar/feed/",)
access_logger = logging.getLogger("kcn.access")


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


# A record's own attributes; whatever else it carries came as `extra` and is logged as a field.
# uvicorn's `color_message` repeats the message with terminal colour codes.
_RECORD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {
    "message",
    "asctime",
    "color_message",
    "taskName",
}


class JsonLineFormatter(logging.Formatter):
    """One JSON object per line: time (ISO 8601, UTC), level, logger, message, the request id
    and the record's extra fields; an exception's traceback as `exc_info`. Built with orjson,
    since every request logs a line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name, value in record.__dict__.items():
            if name not in _RECORD_ATTRIBUTES:
                line[name] = value
        if record.exc_info:
            line["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack_info"] = self.formatStack(record.stack_info)
        return orjson.dumps(line, default=str).decode()


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonLineFormatter())
    handler.addFilter(_RequestIdFilter())
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers = []
        logging.getLogger(name).propagate = True
    # Our middleware writes the access line; uvicorn's would log query strings (names searched).
    logging.getLogger("uvicorn.access").disabled = True


class RequestContextMiddleware:
    """Accepts or creates X-Request-ID, returns it, and logs one line per request; opens the
    request's audit context (app/core/audit.py).

    The line holds method, route path, status and duration: no query string, body or user data.
    """

    def __init__(self, app: ASGIApp, metrics: "Metrics | None" = None) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", []) if k != b"x-request-id"]
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        client = scope.get("client")
        try:
            with audit_context(
                request_id=request_id, client_address=client[0] if client else None, scope=scope
            ):
                await self.app(scope, receive, send_with_id)
        finally:
            # The path holds ids only; the query string (names searched for) is never logged,
            # nor a personal calendar feed's token (its URL is its credential).
            path: Any = scope.get("path")
            if isinstance(path, str) and path.startswith(SECRET_PATHS):
                path = path[: path.index("/feed/") + len("/feed/")] + "…"
            extra = {
                "method": scope.get("method"),
                "path": path,
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            }
            problem = scope["state"].get("problem_code")
            if problem:  # why a request was refused, without a log record of its own
                extra["problem"] = problem
            if access_logger.isEnabledFor(logging.INFO):
                # Made and handled directly: `info` would also look up its caller's frame,
                # which every access line has the same (issue 11).
                access_logger.handle(
                    access_logger.makeRecord(
                        access_logger.name,
                        logging.INFO,
                        __file__,
                        0,
                        "request",
                        (),
                        None,
                        extra=extra,
                    )
                )
            if self.metrics is not None:
                self.metrics.observe(scope, status, time.perf_counter() - started, problem)
            request_id_var.reset(token)
