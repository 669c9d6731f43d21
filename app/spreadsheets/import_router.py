"""POST /imports/{enterprises,organizations,members}: a spreadsheet brought in (editors and
admins), as the export writes it (vi or en headers, CSV or XLSX); `dry_run=true` checks without
writing. Any refused row: nothing written, 422 with the same report."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, UploadFile

from app.auth.dependencies import EditorUser
from app.core.audit import change, record
from app.core.db import SessionDep
from app.core.errors import RuleViolation, problem_responses
from app.core.idempotency import IdempotentRoute
from app.core.problem_codes import ProblemCode
from app.models import AuditAction, AuditResource
from app.spreadsheets.importing import IMPORTERS, ImportReport, run_import
from app.spreadsheets.reading import read_sheet

router = APIRouter(prefix="/imports", tags=["imports"], route_class=IdempotentRoute)

DryRun = Annotated[
    bool, Query(description="Check every row and report, writing nothing. Default: false.")
]
RESOURCES = {
    "enterprises": AuditResource.ENTERPRISE,
    "organizations": AuditResource.ORGANIZATION,
    "members": AuditResource.MEMBER,
}
RESPONSES: dict[int | str, dict[str, Any]] = problem_responses(413)


async def _import(
    register: str, session: SessionDep, user: EditorUser, file: UploadFile, dry_run: bool
) -> ImportReport:
    importer = IMPORTERS[register](session, user)
    sheet = read_sheet(await file.read(), importer.columns, importer.required)
    report = await run_import(importer, sheet, dry_run=dry_run)
    if report.errors and not dry_run:
        raise RuleViolation(
            f"{len(report.errors)} problem(s) in the file; nothing was written",
            code=ProblemCode.IMPORT_REFUSED,
            extra={"report": report.model_dump()},
        )
    if not dry_run:
        counts = report.model_dump(include={"rows", "created", "updated", "unchanged"})
        record(
            session,
            AuditAction.IMPORT,
            RESOURCES[register],
            None,
            changes=[change(key, None, value) for key, value in counts.items()]
            + [change("file", None, file.filename)],
        )
    return report


@router.post("/enterprises", name="enterprises", response_model=ImportReport, responses=RESPONSES)
async def import_enterprises(
    session: SessionDep, user: EditorUser, file: UploadFile, dry_run: DryRun = False
) -> ImportReport:
    """Enterprises by tax code: new ones registered (their workers the first report, on
    registered_on), known ones updated where the file differs, a closed status with its date
    recorded as a closing. Zones are named by code."""
    return await _import("enterprises", session, user, file, dry_run)


@router.post(
    "/organizations", name="organizations", response_model=ImportReport, responses=RESPONSES
)
async def import_organizations(
    session: SessionDep, user: EditorUser, file: UploadFile, dry_run: DryRun = False
) -> ImportReport:
    """Organizations by (enterprise tax code, kind, name): new ones established, known ones
    updated, a dissolution date recorded. The parent is named by its name."""
    return await _import("organizations", session, user, file, dry_run)


@router.post("/members", name="members", response_model=ImportReport, responses=RESPONSES)
async def import_members(
    session: SessionDep, user: EditorUser, file: UploadFile, dry_run: DryRun = False
) -> ImportReport:
    """Members and candidates by (full name, date of birth, enterprise tax code): new ones
    registered (dossier date too), then the history the row gives beyond the records
    (admitted into the named organization, recognized, left) through the same rules as the
    actions: age, probation, an organization active that day."""
    return await _import("members", session, user, file, dry_run)
