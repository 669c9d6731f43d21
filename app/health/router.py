"""/healthz (the process answers) and /readyz (the database answers and is migrated)."""

import asyncio

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy import text

from app.core.db import Database
from app.core.errors import ServiceUnavailable, problem_responses
from app.core.migrations import head_revisions

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str = "ok"


class Readiness(BaseModel):
    status: str = "ready"
    database: str = "ok"
    revision: str


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """The process is alive."""
    return Health()


@router.get("/readyz", response_model=Readiness, responses=problem_responses(503))
async def readyz(request: Request) -> Readiness:
    """The database answers within the readiness timeout and is migrated to head. A 503 names
    the check that failed in `checks`: database (`unreachable`, `timeout`) or migrations
    (`pending`)."""
    database: Database | None = getattr(request.app.state, "database", None)
    if database is None:
        raise ServiceUnavailable("the database is not configured yet", code="not_ready")
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
            code="migrations_pending",
            database="ok",
            migrations="pending",
        )
    return Readiness(revision=",".join(sorted(revisions)))


def _not_ready(
    detail: str, *, code: str = "database_unavailable", **checks: str
) -> ServiceUnavailable:
    checks.setdefault("migrations", "unknown")
    return ServiceUnavailable(
        detail, code=code, headers={"Retry-After": "5"}, extra={"checks": checks}
    )
