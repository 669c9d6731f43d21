"""Pure ASGI middleware every response passes through: the request body limit, enforced before
anything reads or authenticates the request, and the security headers."""

import base64
import hashlib
import re

from fastapi import Request
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import problem_response
from app.core.http import API_PREFIX
from app.core.problem_codes import ProblemCode

IMPORTS = f"{API_PREFIX}/imports/"
MATERIALS = f"{API_PREFIX}/materials"


def _too_large(limit: int) -> str:
    return f"the request body is larger than {limit} bytes"


class BodyLimitMiddleware:
    """Refuses a body over `max_bytes` with 413: at once when Content-Length announces it, and
    while streaming otherwise, so that no more than the limit is ever held in memory. (The
    server reads and discards the rest of a refused body after the answer, so that the client,
    still sending, reads the 413 instead of a reset connection.)"""

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        max_upload_bytes: int | None = None,
        max_material_bytes: int | None = None,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_upload_bytes = max_upload_bytes or max_bytes
        # A material's multipart form: its file, and a few fields around it.
        self.max_material_bytes = (max_material_bytes or max_bytes) + 64 * 1024

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # Spreadsheets uploaded to /imports and material files may be larger than any JSON body.
        path = scope["path"]
        if path.startswith(IMPORTS):
            limit = self.max_upload_bytes
        elif path == MATERIALS:
            limit = self.max_material_bytes
        else:
            limit = self.max_bytes
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            status, detail = (
                (413, _too_large(limit))
                if declared.isdigit()
                else (400, "the Content-Length header is not a number")
            )
            response = problem_response(
                Request(scope),
                status=status,
                code=ProblemCode.CONTENT_TOO_LARGE if status == 413 else ProblemCode.BAD_REQUEST,
                detail=detail,
            )
            await response(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # FastAPI re-raises an HTTPException met while reading the body; the
                    # handlers in app.core.errors make it a 413 problem.
                    raise HTTPException(413, _too_large(limit))
            return message

        await self.app(scope, limited, send)


# The documentation pages run inline scripts: the policy allows exactly those (by hash), the
# offline assets served by this app, and Redoc's blob: worker; nothing from elsewhere.
DOCS_PATHS = frozenset({"/docs", "/redoc", "/docs/oauth2-redirect"})
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)
API_CSP = b"default-src 'none'; frame-ancestors 'none'"


def docs_policy(html: bytes) -> bytes:
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(script).digest()).decode()}'"
        for script in _INLINE_SCRIPT.findall(html)
    )
    return (
        f"default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ).encode()


class SecurityHeadersMiddleware:
    """nosniff and no framing everywhere; `Cache-Control: no-store` on the API (personal data
    must not stay in shared or browser caches); a Content-Security-Policy on every response,
    the documentation pages' computed from their inline scripts."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        is_docs = path in DOCS_PATHS
        is_api = path == API_PREFIX or path.startswith(API_PREFIX + "/")
        start: Message | None = None

        def secure(message: Message, policy: bytes) -> Message:
            headers = [
                (name, value)
                for name, value in message.get("headers", [])
                if name != b"content-security-policy"
            ]
            names = {name for name, _ in headers}
            headers += [
                (b"x-content-type-options", b"nosniff"),
                (b"x-frame-options", b"DENY"),
                (b"referrer-policy", b"no-referrer"),
                (b"content-security-policy", policy),
            ]
            if is_api and b"cache-control" not in names:
                headers.append((b"cache-control", b"no-store"))
            message["headers"] = headers
            return message

        async def send_secured(message: Message) -> None:
            nonlocal start
            if not is_docs:
                if message["type"] == "http.response.start":
                    message = secure(message, API_CSP)
                await send(message)
                return
            # A documentation page is small HTML: hold it to hash its inline scripts.
            if message["type"] == "http.response.start":
                start = message
                return
            assert start is not None
            if message.get("more_body"):
                raise RuntimeError("documentation pages are expected in one body message")
            await send(secure(start, docs_policy(message.get("body", b""))))
            await send(message)

        await self.app(scope, receive, send_secured)
