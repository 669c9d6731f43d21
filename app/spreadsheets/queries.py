"""The statements exports read: each register's rows, in its columns' order, for the list's
filters (the repositories' `filtered()`), by name."""

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.enterprises.repository import EnterpriseRepository
from app.enterprises.schemas import EnterpriseFilters
from app.members.repository import MemberRepository
from app.members.schemas import MemberFilters
from app.models import Enterprise, IndustrialZone, Organization
from app.organizations.repository import OrganizationRepository
from app.organizations.schemas import OrganizationFilters
from app.spreadsheets import columns as registers
from app.spreadsheets.columns import Column

# A column's key -> the SQL expression holding it.
Sources = dict[str, Any]


def _selected(columns: tuple[Column, ...], sources: Sources) -> list[ColumnElement[Any]]:
    return [sources[column.key].label(column.key) for column in columns]


def enterprise_rows(session: AsyncSession, filters: EnterpriseFilters) -> Select[Any]:
    """With as_of: those open that day, with their workers then."""
    found = EnterpriseRepository(session).filtered(filters).subquery()
    own = [c.key for c in registers.ENTERPRISES if c.key not in ("zone_code", "workers_count")]
    sources: Sources = {key: found.c[key] for key in own}
    workers = found.c.workers_then if filters.as_of is not None else found.c.workers_count
    sources |= {"zone_code": IndustrialZone.code, "workers_count": workers}
    return (
        select(*_selected(registers.ENTERPRISES, sources))
        .join(IndustrialZone, IndustrialZone.id == found.c.zone_id)
        .order_by(found.c.name, found.c.id)
    )


def organization_rows(
    session: AsyncSession, on: dt.date, filters: OrganizationFilters
) -> Select[Any]:
    found = OrganizationRepository(session).filtered(filters).params(cells_on=on).subquery()
    parent, employer = aliased(Organization), aliased(Enterprise)
    own = [
        c.key
        for c in registers.ORGANIZATIONS
        if c.key not in ("parent_name", "enterprise_tax_code")
    ]
    sources: Sources = {key: found.c[key] for key in own}
    sources |= {"parent_name": parent.name, "enterprise_tax_code": employer.tax_code}
    return (
        select(*_selected(registers.ORGANIZATIONS, sources))
        .outerjoin(parent, parent.id == found.c.parent_id)
        .outerjoin(employer, employer.id == found.c.enterprise_id)
        .order_by(found.c.name, found.c.id)
    )


def member_rows(
    session: AsyncSession, on: dt.date, filters: MemberFilters, columns: tuple[Column, ...]
) -> Select[Any]:
    """`columns`: the member columns the reader may see."""
    found = MemberRepository(session).filtered(on, filters).params(as_of=on).subquery()
    employer, organization = aliased(Enterprise), aliased(Organization)
    joined = ("enterprise_tax_code", "organization_name")
    sources: Sources = {c.key: found.c[c.key] for c in registers.MEMBERS if c.key not in joined}
    sources |= {"enterprise_tax_code": employer.tax_code, "organization_name": organization.name}
    return (
        select(*_selected(columns, sources))
        .outerjoin(employer, employer.id == found.c.enterprise_id)
        .outerjoin(organization, organization.id == found.c.organization_id)
        .order_by(found.c.full_name, found.c.id)
    )
