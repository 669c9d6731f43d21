"""Queries over enterprises: the list with its filters, the party organization and the members
each enterprise employs, and the enterprise's dated steps.

Members are counted by app.party.asof.employment_counts and enterprises open on a date found by
app.party.asof.open_enterprises: the one place each derives a state on a date from events."""

import builtins
import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, case, exists, select

from app.core.pagination import ListQuery, Slice, by
from app.core.repository import Repository, where_equal
from app.core.text import matches_search
from app.enterprises.schemas import EnterpriseFilters
from app.enterprises.sorting import ENTERPRISE_ORDERINGS, EnterpriseSort
from app.models import (
    Enterprise,
    EnterpriseEvent,
    EnterpriseEventKind,
    Organization,
    OrganizationKind,
)
from app.models.enterprise import LIFECYCLE_KINDS, WORKFORCE_KINDS
from app.party.asof import MemberCounts, employment_counts, open_enterprises

EnterpriseListQuery = ListQuery[EnterpriseSort, EnterpriseFilters]
EnterpriseEventListQuery = ListQuery[None, None]
EVENT_ORDERING = by(EnterpriseEvent.occurred_on, EnterpriseEvent.id, name="timeline")

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

# An enterprise, its party organization's id, the members it employs on a date and its workers.
EnterpriseRow = tuple[Enterprise, int | None, MemberCounts, int]


class EnterpriseRepository(Repository[Enterprise]):
    model = Enterprise
    noun = "enterprise"

    async def list(self, on: dt.date, query: EnterpriseListQuery) -> Slice[EnterpriseRow]:
        """The enterprises with their party organization and the members employed on `on`
        (see `filtered`)."""
        filters = query.filters
        stmt = self.filtered(filters)
        page = await self._page(stmt, ENTERPRISE_ORDERINGS[query.sort], query.limit, query.cursor)
        rows = [
            (row[0], row[1], row[2] if filters.as_of is not None else row[0].workers_count)
            for row in page.items
        ]
        return Slice(await self._with_members(rows, on), page.next_cursor)

    def filtered(self, filters: EnterpriseFilters) -> Select[*tuple[Any, ...]]:
        """The enterprises the filters ask for, with their party organization; with `as_of`,
        only those open that day, with their workers then (`workers_then`)."""
        stmt: Select[*tuple[Any, ...]] = select(Enterprise, party_organization_id)
        if filters.as_of is not None:
            open_ = open_enterprises(filters.as_of)
            stmt = stmt.add_columns(open_.c.workers_count.label("workers_then")).join(
                open_, open_.c.enterprise_id == Enterprise.id
            )
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
        return stmt

    async def with_counts(self, enterprise: Enterprise, on: dt.date) -> EnterpriseRow:
        """The enterprise with its party organization and the members it employs on `on`."""
        stmt = select(party_organization_id).where(Enterprise.id == enterprise.id)
        organization_id = await self.session.scalar(stmt)
        [row] = await self._with_members(
            [(enterprise, organization_id, enterprise.workers_count)], on
        )
        return row

    async def _with_members(
        self, rows: Sequence[tuple[Enterprise, int | None, int]], on: dt.date
    ) -> builtins.list[EnterpriseRow]:
        """The members each enterprise employs on `on`, counted for the page in one query."""
        counts = await employment_counts(self.session, [e.id for e, _, _ in rows], on)
        return [(e, org, counts.get(e.id, MemberCounts()), w) for e, org, w in rows]

    # The dated steps

    async def events(
        self, enterprise: Enterprise, query: EnterpriseEventListQuery
    ) -> Slice[EnterpriseEvent]:
        """The enterprise's history, oldest first."""
        stmt = select(EnterpriseEvent).where(EnterpriseEvent.enterprise_id == enterprise.id)
        return await self._scalar_page(stmt, EVENT_ORDERING, query.limit, query.cursor)

    async def latest_event(
        self,
        enterprise: Enterprise,
        on: dt.date | None = None,
        kinds: tuple[EnterpriseEventKind, ...] = tuple(EnterpriseEventKind),
    ) -> EnterpriseEvent | None:
        """Its latest step of `kinds` (on or before `on`, when given)."""
        stmt = select(EnterpriseEvent).where(
            EnterpriseEvent.enterprise_id == enterprise.id, EnterpriseEvent.kind.in_(kinds)
        )
        if on is not None:
            stmt = stmt.where(EnterpriseEvent.occurred_on <= on)
        stmt = stmt.order_by(EnterpriseEvent.occurred_on.desc(), EnterpriseEvent.id.desc())
        return (await self.session.scalars(stmt.limit(1))).first()

    async def is_closed_on(self, enterprise: Enterprise, day: dt.date) -> bool:
        step = await self.latest_event(enterprise, day, LIFECYCLE_KINDS)
        return step is not None and step.kind == EnterpriseEventKind.CLOSED

    async def latest_workers(self, enterprise: Enterprise) -> int:
        step = await self.latest_event(enterprise, kinds=WORKFORCE_KINDS)
        return step.workers_count if step is not None and step.workers_count is not None else 0

    async def step_of(
        self, enterprise: Enterprise, kind: EnterpriseEventKind, day: dt.date | None = None
    ) -> EnterpriseEvent | None:
        """Its step of `kind` (on `day`, when given): its registration, a day's report."""
        stmt = select(EnterpriseEvent).where(
            EnterpriseEvent.enterprise_id == enterprise.id, EnterpriseEvent.kind == kind
        )
        if day is not None:
            stmt = stmt.where(EnterpriseEvent.occurred_on == day)
        return (await self.session.scalars(stmt.limit(1))).first()

    async def first_step_after_registration(self, enterprise: Enterprise) -> dt.date | None:
        stmt = select(EnterpriseEvent.occurred_on).where(
            EnterpriseEvent.enterprise_id == enterprise.id,
            EnterpriseEvent.kind != EnterpriseEventKind.REGISTERED,
        )
        return await self.session.scalar(stmt.order_by(EnterpriseEvent.occurred_on).limit(1))

    async def add_event(self, event: EnterpriseEvent) -> EnterpriseEvent:
        self.session.add(event)
        await self.session.flush()
        return event
