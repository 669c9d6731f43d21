"""GET /exports/{enterprises,members,organizations}: a register as a CSV or XLSX file, with the
list's filters (as_of included), headers in Vietnamese or English, one row per record, written
while it is read (app.spreadsheets.writers)."""

import datetime as dt
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response, StreamingResponse
from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncConnection

from app.auth.dependencies import CurrentUser, sees_personal_data
from app.core.dates import today
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.enterprises.schemas import EnterpriseFilters
from app.members.schemas import MemberFilters
from app.organizations.schemas import OrganizationFilters
from app.reports.labels import Language
from app.spreadsheets import columns as registers
from app.spreadsheets.columns import Column, visible
from app.spreadsheets.queries import enterprise_rows, member_rows, organization_rows
from app.spreadsheets.writers import (
    SnapshotDep,
    batches,
    csv_chunks,
    export_slot,
    file_chunks,
    xlsx_file,
)

# The slot comes first: an export over the limit is refused before it takes a connection.
router = APIRouter(prefix="/exports", tags=["exports"], dependencies=[Depends(export_slot)])

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILES: dict[int | str, dict[str, Any]] = problem_responses(503) | {
    200: {
        "description": "The register: CSV (UTF-8 with a BOM) or XLSX, one row per record.",
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            XLSX: {"schema": {"type": "string", "format": "binary"}},
        },
        "headers": {
            "Content-Disposition": {
                "description": "attachment; `enterprises-2024-06-30.xlsx` (the as-of date, or "
                "today's).",
                "schema": {"type": "string"},
            }
        },
    }
}
FormatParam = Annotated[Literal["csv", "xlsx"], Query(description="csv (default) or xlsx.")]
LangParam = Annotated[Language, Query(description="The headers' language: vi or en.")]


async def _export(
    connection: AsyncConnection,
    name: str,
    on: dt.date,
    columns: tuple[Column, ...],
    stmt: Select[Any],
    fmt: str,
    lang: Language,
) -> Response:
    filename = f"{name}-{on.isoformat()}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if fmt == "xlsx":
        path = await xlsx_file(name, columns, batches(connection, stmt), lang)
        return StreamingResponse(file_chunks(path), media_type=XLSX, headers=headers)
    chunks = csv_chunks(columns, batches(connection, stmt), lang)
    first = [await anext(chunks), await anext(chunks, b"")]  # the query has run: a failure is
    # still a problem answer, not a cut file

    async def body() -> AsyncIterator[bytes]:
        for chunk in first:
            yield chunk
        async for chunk in chunks:
            yield chunk

    return StreamingResponse(body(), media_type=CSV, headers=headers)


@router.get("/enterprises", name="enterprises", response_class=Response, responses=FILES)
async def export_enterprises(
    connection: SnapshotDep,
    session: SessionDep,
    _user: CurrentUser,
    filters: Annotated[EnterpriseFilters, Query()],
    format: FormatParam = "csv",
    lang: LangParam = Language.VI,
) -> Response:
    """The enterprises the list's filters select (with as_of: those open that day, with their
    workers then), by name: tax code, name, zone code, ownership, workers, unions, status and
    dates. Codes stay codes (fdi, operating), so the file imports back unchanged."""
    stmt = enterprise_rows(session, filters)
    on = filters.as_of or today()
    return await _export(connection, "enterprises", on, registers.ENTERPRISES, stmt, format, lang)


@router.get("/organizations", name="organizations", response_class=Response, responses=FILES)
async def export_organizations(
    connection: SnapshotDep,
    session: SessionDep,
    _user: CurrentUser,
    filters: Annotated[OrganizationFilters, Query()],
    format: FormatParam = "csv",
    lang: LangParam = Language.VI,
) -> Response:
    """The organizations the list's filters select (with as_of: those active that day), by
    name: name, kind, parent, enterprise tax code, establishment, decision and dissolution."""
    on = filters.as_of or today()
    stmt = organization_rows(session, on, filters)
    return await _export(
        connection, "organizations", on, registers.ORGANIZATIONS, stmt, format, lang
    )


@router.get("/members", name="members", response_class=Response, responses=FILES)
async def export_members(
    connection: SnapshotDep,
    session: SessionDep,
    user: CurrentUser,
    filters: Annotated[MemberFilters, Query()],
    format: FormatParam = "csv",
    lang: LangParam = Language.VI,
) -> Response:
    """The members and candidates the list's filters select (with as_of: who was in the
    records that day, with their status and organization then), by name, with their dated
    steps. Viewers get no personal columns (date of birth, phone, e-mail, notes)."""
    on = filters.as_of or today()
    columns = visible(registers.MEMBERS, sees_personal_data(user))
    stmt = member_rows(session, on, filters, columns)
    return await _export(connection, "members", on, columns, stmt, format, lang)
