"""Queries over organizations: the list with its filters, the affiliated cells and members
counted on a date, and the member events that bound an organization's dates.

The members are counted by app.party.asof.organization_counts, the one piece of code that derives
a member's status on a date from the dated events."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Date, Row, Select, bindparam, func, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.core.pagination import ListQuery, Slice
from app.core.repository import Lock, Repository, where_equal
from app.core.text import matches_search
from app.models import Enterprise, MemberEvent, Organization, OrganizationKind, Ownership
from app.organizations.schemas import OrganizationFilters, OrganizationRow
from app.organizations.sorting import ORGANIZATION_ORDERINGS, OrganizationSort
from app.party.asof import organization_counts

OrganizationListQuery = ListQuery[OrganizationSort, OrganizationFilters]


def _with_cells() -> Select[Organization, Ownership | None, int]:
    """The organizations with their sector and their affiliated cells active on the
    `cells_on` parameter; built once, with it (composing it cost more than running it)."""
    child = aliased(Organization)
    on: Any = bindparam("cells_on", type_=Date)  # required: a missing value is an error
    active_cells = (
        select(func.count())
        .where(child.parent_id == Organization.id, child.is_active_on(on))
        .correlate(Organization)
        .scalar_subquery()
    )
    return select(Organization, Enterprise.ownership, active_cells).outerjoin(
        Enterprise, Enterprise.id == Organization.enterprise_id
    )


_WITH_CELLS = _with_cells()


async def _with_members(
    session: AsyncSession, rows: Sequence[Row[Organization, Ownership | None, int]], on: dt.date
) -> list[OrganizationRow]:
    """The members on `on`, counted for the whole page in two statements."""
    counts = await organization_counts(session, [row[0].id for row in rows], on)
    return [(o, ownership, cells, counts[o.id]) for o, ownership, cells in rows]


class OrganizationRepository(Repository[Organization]):
    model = Organization
    noun = "organization"

    async def list(self, on: dt.date, query: OrganizationListQuery) -> Slice[OrganizationRow]:
        """The organizations with their cells and members on `on` (see `filtered`)."""
        stmt = self.filtered(query.filters)
        ordering = ORGANIZATION_ORDERINGS[query.sort]
        page = await self._page(stmt, ordering, query.limit, query.cursor, {"cells_on": on})
        return Slice(await _with_members(self.session, page.items, on), page.next_cursor)

    def filtered(self, filters: OrganizationFilters) -> Select[Organization, Ownership | None, int]:
        """The organizations the filters ask for, with their sector and active cells on the
        `cells_on` parameter; asked `as_of` a date, only those active then unless `active_on`
        names another date."""
        stmt = where_equal(
            _WITH_CELLS,
            (Organization.kind, filters.kind),
            (Organization.parent_id, filters.parent_id),
            (Organization.enterprise_id, filters.enterprise_id),
            (Enterprise.zone_id, filters.zone_id),
        )
        if filters.sector == "none":
            stmt = stmt.where(Organization.enterprise_id.is_(None))
        elif filters.sector is not None:
            stmt = stmt.where(Enterprise.ownership == filters.sector.value)
        active_on = filters.active_on or filters.as_of
        if active_on is not None:
            stmt = stmt.where(Organization.is_active_on(active_on))
        if filters.q:
            stmt = stmt.where(matches_search(Organization.search_key, filters.q))
        return stmt

    async def with_counts(self, organization: Organization, on: dt.date) -> OrganizationRow:
        """The organization with its cells and members on `on`."""
        stmt = _WITH_CELLS.where(Organization.id == organization.id)
        row = (await self.session.execute(stmt, {"cells_on": on})).one()
        [counted] = await _with_members(self.session, [row], on)
        return counted

    async def active_grassroots_of(self, enterprise_id: int) -> Organization | None:
        """The enterprise's grassroots organization that is not dissolved (the predicate of
        uq_organizations_active_grassroots_enterprise)."""
        stmt = select(Organization).where(
            Organization.enterprise_id == enterprise_id,
            Organization.dissolved_on.is_(None),
            Organization.kind != OrganizationKind.AFFILIATED_CELL,
        )
        return (await self.session.scalars(stmt)).first()

    async def undissolved_cells(self, organization: Organization) -> int:
        """The committee's affiliated cells that are not dissolved."""
        stmt = select(func.count()).where(
            Organization.parent_id == organization.id, Organization.dissolved_on.is_(None)
        )
        return await self.session.scalar(stmt) or 0

    async def first_member_event(self, organization: Organization) -> dt.date | None:
        """The date members were first recorded in the organization."""
        stmt = select(func.min(MemberEvent.occurred_on)).where(
            MemberEvent.organization_id == organization.id
        )
        return await self.session.scalar(stmt)

    async def last_member_event(self, organization: Organization) -> dt.date | None:
        """The date of the latest event of a member in the organization or leaving it."""
        stmt = select(func.max(MemberEvent.occurred_on)).where(
            (MemberEvent.organization_id == organization.id)
            | (MemberEvent.from_organization_id == organization.id)
        )
        return await self.session.scalar(stmt)


class HeldOrganizations(OrganizationRepository):
    """Organizations a caller has already read and locked (an import locks every organization
    its file names, once): looked up without a query while they are loaded; an organization
    not held, or expired by a rolled-back savepoint, is read as usual."""

    def __init__(self, session: AsyncSession, held: Sequence[Organization]) -> None:
        super().__init__(session)
        self.held = {organization.id: organization for organization in held}

    async def get_or_none(self, ident: Any, *, lock: Lock | None = None) -> Organization | None:
        organization = self.held.get(ident)
        if organization is None or inspect(organization).expired_attributes:
            return await super().get_or_none(ident, lock=lock)
        return organization
