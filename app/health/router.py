"""/healthz (the process answers) and /readyz (the database answers and is migrated)."""

import asyncio
import logging

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy import text

from app.core.db import Database
from app.core.errors import ServiceUnavailable, problem_responses
from app.core.migrations import head_revisions

router = APIRouter(tags=["health"])
logger = logging.getLogger("kcn.health")


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
    """The database answers within the readiness timeout and is migrated to head."""
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
        raise ServiceUnavailable(
            f"the database did not answer within {timeout:g} s", code="database_unavailable"
        ) from exc
    except Exception as exc:  # any driver or network failure means "not ready"
        logger.warning("readiness check failed: %s", type(exc).__name__)
        raise ServiceUnavailable(
            "the database is not reachable or not initialized", code="database_unavailable"
        ) from exc
    if revisions != set(head_revisions()):
        raise ServiceUnavailable(
            "the database is not migrated to the newest revision; run `kcn-party migrate`",
            code="migrations_pending",
        )
    return Readiness(revision=",".join(sorted(revisions)))
