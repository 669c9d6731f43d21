"""Queries over enterprises: the list with its filters and the active party organization.

The members each enterprise employs are counted by app.party.asof.employment_counts, the one
piece of code that derives a member's status on a date from the dated events."""

from collections.abc import Sequence

from sqlalchemy import Row, Select, case, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.pagination import Ordering, SortKey, keyset
from app.core.text import matches_search
from app.models import (
    Enterprise,
    EnterpriseStatus,
    Organization,
    OrganizationKind,
    Ownership,
)

ENTERPRISE_ORDERINGS = {
    "name": Ordering("name", (SortKey(Enterprise.name, "name"), SortKey(Enterprise.id, "id"))),
    "tax_code": Ordering("tax_code", (SortKey(Enterprise.tax_code, "tax_code"),)),
    "-workers_count": Ordering(
        "-workers_count",
        (
            SortKey(Enterprise.workers_count, "workers_count", True),
            SortKey(Enterprise.id, "id", True),
        ),
    ),
}

_active_organization = (
    Organization.enterprise_id == Enterprise.id,
    Organization.dissolved_on.is_(None),
)

# Grassroots committees and cells before affiliated cells; the oldest id breaks ties.
party_organization_id = (
    select(Organization.id)
    .where(*_active_organization)
    .order_by(
        case((Organization.kind == OrganizationKind.AFFILIATED_CELL, 1), else_=0),
        Organization.id,
    )
    .limit(1)
    .correlate(Enterprise)
    .scalar_subquery()
    .label("party_organization_id")
)


def _with_organization() -> Select[Enterprise, int | None]:
    return select(Enterprise, party_organization_id)


class EnterpriseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list(
        self,
        *,
        ordering: Ordering,
        limit: int,
        cursor: str | None,
        zone_ids: Sequence[int] | None = None,
        ownership: Ownership | None = None,
        investor_country: str | None = None,
        status: EnterpriseStatus | None = None,
        has_organization: bool | None = None,
        q: str | None = None,
    ) -> Sequence[Row[Enterprise, int | None]]:
        stmt = _with_organization()
        if zone_ids:
            stmt = stmt.where(Enterprise.zone_id.in_(zone_ids))
        if ownership is not None:
            stmt = stmt.where(Enterprise.ownership == ownership)
        if investor_country:
            stmt = stmt.where(Enterprise.investor_country == investor_country.upper())
        if status is not None:
            stmt = stmt.where(Enterprise.status == status)
        if has_organization is not None:
            organized = exists().where(*_active_organization)
            stmt = stmt.where(organized if has_organization else ~organized)
        if q:
            stmt = stmt.where(matches_search(Enterprise.search_key, q))
        return (await self.session.execute(keyset(stmt, ordering, limit, cursor))).all()

    async def party_organization_id(self, enterprise: Enterprise) -> int | None:
        stmt = select(party_organization_id).where(Enterprise.id == enterprise.id)
        return await self.session.scalar(stmt)

    async def add(self, enterprise: Enterprise) -> Enterprise:
        self.session.add(enterprise)
        await self.session.flush()
        return enterprise

    async def delete(self, enterprise: Enterprise) -> None:
        await self.session.delete(enterprise)
        await self.session.flush()
