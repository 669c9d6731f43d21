"""POST /imports/{enterprises,organizations,members}: a spreadsheet brought in (editors and
admins), as the export writes it (vi or en headers, CSV or XLSX); `dry_run=true` checks without
writing. Any refused row: nothing written, 422 with the same report. A large file: 202 and a
background job (app.spreadsheets.jobs), GET /imports/{id}."""

import asyncio
import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Query, Request, Response, UploadFile
from fastapi.responses import JSONResponse
from pydantic import Field

from app.auth.dependencies import EditorUser
from app.core.db import SessionDep
from app.core.errors import NotFound, RuleViolation, problem_responses
from app.core.http import API_PREFIX
from app.core.idempotency import IdempotentRoute
from app.core.problem_codes import ProblemCode
from app.core.schemas import OutputModel, ParamInt
from app.models import ImportJob, ImportJobStatus, Role, User
from app.spreadsheets.importing import IMPORTERS, ImportReport, run_import
from app.spreadsheets.jobs import Sessions, SessionsDep, fail_stale_jobs, record_import, run_job
from app.spreadsheets.reading import read_sheet

router = APIRouter(prefix="/imports", tags=["imports"], route_class=IdempotentRoute)

DryRun = Annotated[
    bool, Query(description="Check every row and report, writing nothing. Default: false.")
]


class ImportJobRead(OutputModel):
    """An import running in the background, or done."""

    id: int
    # `register` shadows a class method pydantic models inherit: the field is named otherwise.
    register_: str = Field(alias="register", description="enterprises, organizations, members")
    filename: str | None
    dry_run: bool
    status: ImportJobStatus
    total: int = Field(description="The file's rows.")
    processed: int = Field(description="Rows checked so far.")
    report: ImportReport | None = Field(description="When done: as a direct import answers.")
    detail: str | None = Field(description="Why it failed.")
    created_at: dt.datetime
    finished_at: dt.datetime | None


RESPONSES: dict[int | str, dict[str, Any]] = problem_responses(413) | {
    202: {
        "model": ImportJobRead,
        "description": "A file of more rows than KCN_IMPORT_JOB_ROWS: imported in the "
        "background; follow Location (GET /imports/{id}).",
    }
}


async def _import(
    register: str,
    request: Request,
    session: SessionDep,
    user: User,
    file: UploadFile,
    dry_run: bool,
    background: BackgroundTasks,
    sessions: Sessions,
) -> ImportReport | Response:
    importer = IMPORTERS[register](session, user)
    # Parsing a large workbook takes seconds: off the event loop, not in every request's way.
    content = await file.read()
    sheet = await asyncio.to_thread(read_sheet, content, importer.columns, importer.required)
    if len(sheet.rows) > request.app.state.settings.import_job_rows:
        job = ImportJob(
            user_id=user.id,
            register=register,
            filename=(file.filename or "")[:300] or None,
            dry_run=dry_run,
            status=ImportJobStatus.RUNNING,
            total=len(sheet.rows),
        )
        session.add(job)
        await session.flush()
        await session.refresh(job)
        database = request.app.state.database
        background.add_task(run_job, sessions, database, job.id, user.id, sheet)
        body = ImportJobRead.model_validate(job).model_dump(mode="json", by_alias=True)
        location = f"{API_PREFIX}/imports/{job.id}"
        return JSONResponse(body, status_code=202, headers={"Location": location})
    report = await run_import(importer, sheet, dry_run=dry_run)
    if report.errors and not dry_run:
        raise RuleViolation(
            f"{len(report.errors)} problem(s) in the file; nothing was written",
            code=ProblemCode.IMPORT_REFUSED,
            extra={"report": report.model_dump()},
        )
    if not dry_run:
        record_import(session, register, report, file.filename)
    return report


@router.post("/enterprises", name="enterprises", response_model=ImportReport, responses=RESPONSES)
async def import_enterprises(
    request: Request,
    session: SessionDep,
    user: EditorUser,
    file: UploadFile,
    background: BackgroundTasks,
    sessions: SessionsDep,
    dry_run: DryRun = False,
) -> ImportReport | Response:
    """Enterprises by tax code: new ones registered (their workers the first report, on
    registered_on), known ones updated where the file differs, a closed status with its date
    recorded as a closing. Zones are named by code."""
    return await _import("enterprises", request, session, user, file, dry_run, background, sessions)


@router.post(
    "/organizations", name="organizations", response_model=ImportReport, responses=RESPONSES
)
async def import_organizations(
    request: Request,
    session: SessionDep,
    user: EditorUser,
    file: UploadFile,
    background: BackgroundTasks,
    sessions: SessionsDep,
    dry_run: DryRun = False,
) -> ImportReport | Response:
    """Organizations by (enterprise tax code, kind, name): new ones established, known ones
    updated, a dissolution date recorded. The parent is named by its name."""
    return await _import(
        "organizations", request, session, user, file, dry_run, background, sessions
    )


@router.post("/members", name="members", response_model=ImportReport, responses=RESPONSES)
async def import_members(
    request: Request,
    session: SessionDep,
    user: EditorUser,
    file: UploadFile,
    background: BackgroundTasks,
    sessions: SessionsDep,
    dry_run: DryRun = False,
) -> ImportReport | Response:
    """Members and candidates by (full name, date of birth, enterprise tax code): new ones
    registered (dossier date too), then the history the row gives beyond the records
    (admitted into the named organization, recognized, left) through the same rules as the
    actions: age, probation, an organization active that day."""
    return await _import("members", request, session, user, file, dry_run, background, sessions)


@router.get("/{job_id:int}", name="get-job", response_model=ImportJobRead)
async def get_import_job(job_id: ParamInt, session: SessionDep, user: EditorUser) -> ImportJob:
    """A background import: `processed` of `total` rows so far, then its status (succeeded, or
    failed with nothing written) and report. Yours, or anyone's for admins."""
    await fail_stale_jobs(session)
    job = await session.get(ImportJob, job_id)
    if job is None or (job.user_id != user.id and user.role != Role.ADMIN):
        raise NotFound(f"import {job_id} does not exist")
    return job
