"""Imports of large files in the background (more rows than KCN_IMPORT_JOB_ROWS): the request
answers 202 with the job, the import runs after the response in one transaction of its own, and
GET /imports/{id} shows `processed / total` and, when done, the report.

A job survives nothing: its rows are written in one transaction, committed with its final
status, so a job cut off by a restart or a crash wrote nothing; its heartbeat stops, and it is
reported failed once the heartbeat is older than STALE (at start-up and when it is read)."""

import datetime as dt
import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.audit import change, record
from app.core.db import Database
from app.models import AuditAction, AuditResource, ImportJob, ImportJobStatus, User
from app.spreadsheets.importing import IMPORTERS, ImportReport, run_import
from app.spreadsheets.reading import Sheet

logger = logging.getLogger("kcn.imports")

STALE = dt.timedelta(minutes=5)
CUT_OFF = "the service stopped before the import finished; nothing was written"
RESOURCES = {
    "enterprises": AuditResource.ENTERPRISE,
    "organizations": AuditResource.ORGANIZATION,
    "members": AuditResource.MEMBER,
}
Sessions = Callable[[], AbstractAsyncContextManager[AsyncSession]]


def job_sessions(request: Request) -> Sessions:
    """How a background import opens its session (a dependency: tests hand it theirs)."""
    database: Database = request.app.state.database
    return database.sessionmaker


SessionsDep = Annotated[Sessions, Depends(job_sessions)]


def record_import(
    session: AsyncSession, register: str, report: ImportReport, file: str | None
) -> None:
    """The import's one audit event, with its counts (each row's change is its own)."""
    counts = report.model_dump(include={"rows", "created", "updated", "unchanged"})
    record(
        session,
        AuditAction.IMPORT,
        RESOURCES[register],
        None,
        changes=[change(key, None, value) for key, value in counts.items()]
        + [change("file", None, file)],
    )


async def run_job(
    sessions: Sessions,
    database: Database,
    job_id: int,
    user_id: int,
    sheet: Sheet,
) -> None:
    """The job's import, after the response: its rows and its final status in one transaction;
    its progress on a connection of its own, so that readers see it meanwhile."""

    async def progress(done: int) -> None:
        async with database.engine.begin() as connection:
            await connection.execute(
                update(ImportJob)
                .where(ImportJob.id == job_id)
                .values(processed=done, heartbeat_at=func.now())
            )

    async with sessions() as session:
        job = await session.get_one(ImportJob, job_id)
        try:
            user = await session.get_one(User, user_id)
            importer = IMPORTERS[job.register](session, user)
            report = await run_import(importer, sheet, dry_run=job.dry_run, progress=progress)
        except Exception:
            logger.exception("import job %s failed", job_id)
            await session.rollback()
            job = await session.get_one(ImportJob, job_id)
            _finish(job, ImportJobStatus.FAILED, None, "an unexpected error stopped the import")
            await session.commit()
            return
        refused = bool(report.errors) and not job.dry_run
        if not refused and not job.dry_run:
            record_import(session, job.register, report, job.filename)
        status = ImportJobStatus.FAILED if refused else ImportJobStatus.SUCCEEDED
        detail = f"{len(report.errors)} problem(s) in the file; nothing was written"
        _finish(job, status, report.model_dump(), detail if refused else None)
        await session.commit()


def _finish(
    job: ImportJob, status: ImportJobStatus, report: dict[str, Any] | None, detail: str | None
) -> None:
    job.status, job.report, job.detail = status, report, detail
    if report is not None:
        job.processed = report["rows"]
    job.finished_at = func.now()


async def fail_stale_jobs(session: AsyncSession) -> None:
    """Running jobs whose heartbeat stopped (their process is gone): failed, nothing written."""
    await session.execute(
        update(ImportJob)
        .where(
            ImportJob.status == ImportJobStatus.RUNNING,
            ImportJob.heartbeat_at < func.now() - STALE,
        )
        .values(status=ImportJobStatus.FAILED, detail=CUT_OFF, finished_at=func.now())
    )
