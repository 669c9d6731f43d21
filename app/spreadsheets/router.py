"""GET /exports/{enterprises,members,organizations}: a register as a CSV or XLSX file, with the
list's filters (as_of included), headers in Vietnamese or English, one row per record, written
while it is read (app.spreadsheets.writers)."""

import datetime as dt
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response, StreamingResponse
from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import aliased

from app.auth.dependencies import CurrentUser, sees_personal_data
from app.core.dates import today
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.enterprises.repository import EnterpriseRepository
from app.enterprises.schemas import EnterpriseFilters
from app.members.repository import MemberRepository
from app.members.schemas import MemberFilters
from app.models import Enterprise, IndustrialZone, Organization
from app.organizations.repository import OrganizationRepository
from app.organizations.schemas import OrganizationFilters
from app.reports.labels import Language
from app.spreadsheets import columns as registers
from app.spreadsheets.columns import Column, visible
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
Sources = dict[str, Any]


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


def _selected(columns: tuple[Column, ...], sources: Sources) -> list[ColumnElement[Any]]:
    return [sources[column.key].label(column.key) for column in columns]


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
    found = EnterpriseRepository(session).filtered(filters).subquery()
    workers = found.c.workers_then if filters.as_of is not None else found.c.workers_count
    sources: Sources = {column.key: found.c[column.key] for column in registers.ENTERPRISES[:3]}
    sources |= {
        "zone_code": IndustrialZone.code,
        "workers_count": workers,
        **{key: found.c[key] for key in (
            "ownership", "investor_country", "industry", "address", "has_trade_union",
            "has_youth_union", "status", "registered_on", "closed_on",
        )},
    }  # fmt: skip
    stmt = (
        select(*_selected(registers.ENTERPRISES, sources))
        .join(IndustrialZone, IndustrialZone.id == found.c.zone_id)
        .order_by(found.c.name, found.c.id)
    )
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
    found = OrganizationRepository(session).filtered(on, filters).subquery()
    parent = aliased(Organization)
    employer = aliased(Enterprise)
    sources: Sources = {
        key: found.c[key]
        for key in ("name", "kind", "established_on", "decision_no", "dissolved_on", "notes")
    }
    sources |= {"parent_name": parent.name, "enterprise_tax_code": employer.tax_code}
    stmt = (
        select(*_selected(registers.ORGANIZATIONS, sources))
        .outerjoin(parent, parent.id == found.c.parent_id)
        .outerjoin(employer, employer.id == found.c.enterprise_id)
        .order_by(found.c.name, found.c.id)
    )
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
    found = MemberRepository(session).filtered(on, filters).subquery()
    employer = aliased(Enterprise)
    organization = aliased(Organization)
    columns = visible(registers.MEMBERS, sees_personal_data(user))
    sources: Sources = {
        column.key: found.c[column.key]
        for column in registers.MEMBERS
        if column.key not in ("enterprise_tax_code", "organization_name")
    }
    sources |= {"enterprise_tax_code": employer.tax_code, "organization_name": organization.name}
    stmt = (
        select(*_selected(columns, sources))
        .outerjoin(employer, employer.id == found.c.enterprise_id)
        .outerjoin(organization, organization.id == found.c.organization_id)
        .order_by(found.c.full_name, found.c.id)
    )
    return await _export(connection, "members", on, columns, stmt, format, lang)
