"""Queries over enterprises: the list with its filters, the party organization and the members
each enterprise employs.

The members are counted by app.party.asof.employment_counts, the one piece of code that derives
a member's status on a date from the dated events."""

import builtins
import datetime as dt
from collections.abc import Sequence

from sqlalchemy import case, exists, select

from app.core.pagination import ListQuery, Slice
from app.core.repository import Repository, where_equal
from app.core.text import matches_search
from app.enterprises.schemas import EnterpriseFilters
from app.enterprises.sorting import ENTERPRISE_ORDERINGS, EnterpriseSort
from app.models import Enterprise, Organization, OrganizationKind
from app.party.asof import MemberCounts, employment_counts

EnterpriseListQuery = ListQuery[EnterpriseSort, EnterpriseFilters]

# An enterprise's organizations that are not dissolved (affiliated cells included), whatever
# their establishment date: what the enterprise has now, not what was active on a date.
_undissolved_organization = (
    Organization.enterprise_id == Enterprise.id,
    Organization.dissolved_on.is_(None),
)

# Grassroots committees and cells before affiliated cells; the oldest id breaks ties.
party_organization_id = (
    select(Organization.id)
    .where(*_undissolved_organization)
    .order_by(
        case((Organization.kind == OrganizationKind.AFFILIATED_CELL, 1), else_=0),
        Organization.id,
    )
    .limit(1)
    .correlate(Enterprise)
    .scalar_subquery()
    .label("party_organization_id")
)

# An enterprise, its party organization's id and the members it employs on a date.
EnterpriseRow = tuple[Enterprise, int | None, MemberCounts]


class EnterpriseRepository(Repository[Enterprise]):
    model = Enterprise
    noun = "enterprise"

    async def list(self, on: dt.date, query: EnterpriseListQuery) -> Slice[EnterpriseRow]:
        """The enterprises with their party organization and the members employed on `on`."""
        filters = query.filters
        stmt = select(Enterprise, party_organization_id)
        if filters.zone_id:
            stmt = stmt.where(Enterprise.zone_id.in_(filters.zone_id))
        stmt = where_equal(stmt, (Enterprise.ownership, filters.ownership))
        if filters.investor_country:
            stmt = stmt.where(Enterprise.investor_country == filters.investor_country.upper())
        stmt = where_equal(stmt, (Enterprise.status, filters.status))
        if filters.has_organization is not None:
            organized = exists().where(*_undissolved_organization)
            stmt = stmt.where(organized if filters.has_organization else ~organized)
        if filters.q:
            stmt = stmt.where(matches_search(Enterprise.search_key, filters.q))
        page = await self._page(stmt, ENTERPRISE_ORDERINGS[query.sort], query.limit, query.cursor)
        return Slice(await self._with_members(page.items, on), page.next_cursor)

    async def with_counts(self, enterprise: Enterprise, on: dt.date) -> EnterpriseRow:
        """The enterprise with its party organization and the members it employs on `on`."""
        stmt = select(party_organization_id).where(Enterprise.id == enterprise.id)
        organization_id = await self.session.scalar(stmt)
        [row] = await self._with_members([(enterprise, organization_id)], on)
        return row

    async def _with_members(
        self, rows: Sequence[tuple[Enterprise, int | None]], on: dt.date
    ) -> builtins.list[EnterpriseRow]:
        """The members each enterprise employs on `on`, counted for the page in one query."""
        counts = await employment_counts(self.session, [e.id for e, _ in rows], on)
        return [(e, org, counts.get(e.id, MemberCounts())) for e, org in rows]
