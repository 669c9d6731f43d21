"""Queries over organizations."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.core.pagination import Ordering, SortKey, keyset
from app.core.text import matches_search
from app.models import (
    Enterprise,
    Organization,
    OrganizationKind,
    Ownership,
)

ORGANIZATION_ORDERINGS = {
    "name": Ordering("name", (SortKey(Organization.name, "name"), SortKey(Organization.id, "id"))),
    "established_on": Ordering(
        "established_on",
        (SortKey(Organization.established_on, "established_on"), SortKey(Organization.id, "id")),
    ),
    "-established_on": Ordering(
        "-established_on",
        (
            SortKey(Organization.established_on, "established_on", True),
            SortKey(Organization.id, "id", True),
        ),
    ),
}


class OrganizationFilters:
    def __init__(
        self,
        *,
        kind: OrganizationKind | None = None,
        parent_id: int | None = None,
        enterprise_id: int | None = None,
        zone_id: int | None = None,
        sector: str | None = None,
        active_on: dt.date | None = None,
        q: str | None = None,
    ) -> None:
        self.kind = kind
        self.parent_id = parent_id
        self.enterprise_id = enterprise_id
        self.zone_id = zone_id
        self.sector = sector
        self.active_on = active_on
        self.q = q


def _active_children(on: dt.date) -> Any:
    child = aliased(Organization)
    return (
        select(func.count())
        .where(
            child.parent_id == Organization.id,
            child.established_on <= on,
            or_(child.dissolved_on.is_(None), child.dissolved_on > on),
        )
        .correlate(Organization)
        .scalar_subquery()
    )


class OrganizationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list(
        self,
        filters: OrganizationFilters,
        *,
        on: dt.date,
        ordering: Ordering,
        limit: int,
        cursor: str | None,
    ) -> Sequence[Row[Organization, Ownership | None, int]]:
        """Rows of (organization, its enterprise's ownership, active affiliated cells on `on`)."""
        stmt = select(Organization, Enterprise.ownership, _active_children(on)).outerjoin(
            Enterprise, Enterprise.id == Organization.enterprise_id
        )
        if filters.kind is not None:
            stmt = stmt.where(Organization.kind == filters.kind)
        if filters.parent_id is not None:
            stmt = stmt.where(Organization.parent_id == filters.parent_id)
        if filters.enterprise_id is not None:
            stmt = stmt.where(Organization.enterprise_id == filters.enterprise_id)
        if filters.zone_id is not None:
            stmt = stmt.where(Enterprise.zone_id == filters.zone_id)
        if filters.sector == "none":
            stmt = stmt.where(Organization.enterprise_id.is_(None))
        elif filters.sector is not None:
            stmt = stmt.where(Enterprise.ownership == filters.sector)
        if filters.active_on is not None:
            stmt = stmt.where(Organization.is_active_on(filters.active_on))
        if filters.q:
            stmt = stmt.where(matches_search(Organization.search_key, filters.q))
        return (await self.session.execute(keyset(stmt, ordering, limit, cursor))).all()

    async def one(
        self, organization_id: int, on: dt.date
    ) -> Row[Organization, Ownership | None, int]:
        stmt = (
            select(Organization, Enterprise.ownership, _active_children(on))
            .outerjoin(Enterprise, Enterprise.id == Organization.enterprise_id)
            .where(Organization.id == organization_id)
        )
        return (await self.session.execute(stmt)).one()

    async def active_grassroots_of(self, enterprise_id: int) -> Organization | None:
        stmt = select(Organization).where(
            Organization.enterprise_id == enterprise_id,
            Organization.dissolved_on.is_(None),
            Organization.kind != OrganizationKind.AFFILIATED_CELL,
        )
        return (await self.session.scalars(stmt)).first()

    async def add(self, organization: Organization) -> Organization:
        self.session.add(organization)
        await self.session.flush()
        return organization
