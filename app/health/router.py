"""/healthz (the process answers), /readyz (the database answers and is migrated) and
/metrics (Prometheus; not in the public schema)."""

import asyncio
import secrets

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from app.core.db import Database
from app.core.errors import ServiceUnavailable, Unauthorized, problem_responses
from app.core.migrations import head_revisions
from app.core.problem_codes import ProblemCode
from app.core.schemas import OutputModel

router = APIRouter(tags=["health"])


class Health(OutputModel):
    status: str = "ok"


class Readiness(OutputModel):
    status: str = "ready"
    database: str = "ok"
    revision: str


@router.get("/healthz", name="liveness", summary="Liveness", response_model=Health)
async def healthz() -> Health:
    """The process is alive."""
    return Health()


@router.get(
    "/readyz",
    name="readiness",
    summary="Readiness",
    response_model=Readiness,
    responses=problem_responses(503),
)
async def readyz(request: Request) -> Readiness:
    """The database answers within the readiness timeout and is migrated to head. A 503 names
    the check that failed in `checks`: database (`unreachable`, `timeout`) or migrations
    (`pending`)."""
    database: Database | None = getattr(request.app.state, "database", None)
    if database is None:
        raise ServiceUnavailable("the database is not configured yet", code=ProblemCode.NOT_READY)
    timeout = request.app.state.settings.readiness_timeout
    try:
        async with asyncio.timeout(timeout), database.engine.connect() as conn:
            revisions = set(
                (await conn.scalars(text("SELECT version_num FROM alembic_version"))).all()
            )
    except TimeoutError as exc:
        raise _not_ready(
            f"the database did not answer within {timeout:g} s", database="timeout"
        ) from exc
    except Exception as exc:  # any driver or network failure means "not ready"
        raise _not_ready(
            f"the database is not reachable or not initialized ({type(exc).__name__})",
            database="unreachable",
        ) from exc
    if revisions != set(head_revisions()):
        raise _not_ready(
            "the database is not migrated to the newest revision; run `kcn-party migrate`",
            code=ProblemCode.MIGRATIONS_PENDING,
            database="ok",
            migrations="pending",
        )
    return Readiness(revision=",".join(sorted(revisions)))


def _not_ready(
    detail: str, *, code: ProblemCode = ProblemCode.DATABASE_UNAVAILABLE, **checks: str
) -> ServiceUnavailable:
    checks.setdefault("migrations", "unknown")
    return ServiceUnavailable(
        detail, code=code, headers={"Retry-After": "5"}, extra={"checks": checks}
    )


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    """Prometheus metrics of this process (app/core/metrics.py); behind KCN_METRICS_TOKEN when
    it is set."""
    token = request.app.state.settings.metrics_token
    if token is not None:
        expected = f"Bearer {token.get_secret_value()}"
        sent = request.headers.get("authorization", "")
        if not secrets.compare_digest(sent.encode(), expected.encode()):
            raise Unauthorized(
                "the metrics need the metrics token",
                code=ProblemCode.NOT_AUTHENTICATED,
                headers={"WWW-Authenticate": "Bearer"},
            )
    body = generate_latest(request.app.state.metrics.registry)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
