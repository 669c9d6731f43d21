"""Queries over members and their events."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.pagination import Ordering, SortKey, keyset
from app.core.text import matches_search
from app.models import Member, MemberEvent, MemberStatus, Organization, SourceGroup
from app.party.asof import latest_state, months_after

MEMBER_ORDERINGS = {
    "full_name": Ordering(
        "full_name", (SortKey(Member.full_name, "full_name"), SortKey(Member.id, "id"))
    ),
    "id": Ordering("id", (SortKey(Member.id, "id"),)),
    "-registered_on": Ordering(
        "-registered_on",
        (SortKey(Member.registered_on, "registered_on", True), SortKey(Member.id, "id", True)),
    ),
}

EVENT_ORDERING = Ordering(
    "timeline", (SortKey(MemberEvent.occurred_on, "occurred_on"), SortKey(MemberEvent.id, "id"))
)


class MemberFilters:
    def __init__(
        self,
        *,
        organization_id: int | None = None,
        include_affiliated: bool = False,
        enterprise_id: int | None = None,
        status: MemberStatus | None = None,
        source_group: SourceGroup | None = None,
        dossier_stale: bool | None = None,
        probation_ends_before: dt.date | None = None,
        q: str | None = None,
    ) -> None:
        self.organization_id = organization_id
        self.include_affiliated = include_affiliated
        self.enterprise_id = enterprise_id
        self.status = status
        self.source_group = source_group
        self.dossier_stale = dossier_stale
        self.probation_ends_before = probation_ends_before
        self.q = q


class MemberRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list(
        self,
        filters: MemberFilters,
        *,
        on: dt.date,
        as_of: bool,
        ordering: Ordering,
        limit: int,
        cursor: str | None,
    ) -> Sequence[Any]:
        """Rows of (Member, status on `on`, organization on `on`).

        As of a date, people are taken from the events (who had joined the records by then and
        what they were); otherwise the current state kept on the member is used.
        """
        stmt: Select[Member, Any, Any]
        status_col: Any
        org_col: Any
        if as_of:
            state = latest_state(Member.id, on)
            stmt = select(Member, state.c.status, state.c.organization_id).join(state, true())
            status_col, org_col = state.c.status, state.c.organization_id
            if filters.status is None:
                stmt = stmt.where(status_col != MemberStatus.LEFT)
            if filters.organization_id is not None:
                # Whoever was in the organization on that date has an event there by then:
                # narrowing through the events' organization index spares a walk of everyone.
                stmt = stmt.where(
                    Member.id.in_(
                        select(MemberEvent.member_id).where(
                            MemberEvent.organization_id.in_(self._organization_ids(filters)),
                            MemberEvent.occurred_on <= on,
                        )
                    )
                )
        else:
            stmt = select(Member, Member.status, Member.organization_id)
            status_col, org_col = Member.status, Member.organization_id
        if filters.status is not None:
            stmt = stmt.where(status_col == filters.status)
        if filters.organization_id is not None:
            stmt = stmt.where(org_col.in_(self._organization_ids(filters)))
        if filters.enterprise_id is not None:
            stmt = stmt.where(Member.enterprise_id == filters.enterprise_id)
        if filters.source_group is not None:
            stmt = stmt.where(Member.source_group == filters.source_group)
        if filters.dossier_stale is not None:
            stale = (
                (status_col == MemberStatus.CANDIDATE)
                & Member.dossier_started_on.is_not(None)
                & (Member.dossier_started_on <= on)
                & (months_after(Member.dossier_started_on, 12) < on)
            )
            stmt = stmt.where(stale if filters.dossier_stale else ~stale)
        if filters.probation_ends_before is not None:
            # Probation ends 12 months after admission: admitted before the date minus 12 months.
            stmt = stmt.where(
                status_col == MemberStatus.PROBATIONARY,
                months_after(Member.admitted_on, 12) < filters.probation_ends_before,
            )
        if filters.q:
            stmt = stmt.where(matches_search(Member.search_key, filters.q))
        result = await self.session.execute(keyset(stmt, ordering, limit, cursor))
        return list(result.all())

    @staticmethod
    def _organization_ids(filters: MemberFilters) -> Select[int]:
        """The organization asked for, and with include_affiliated its affiliated cells."""
        wanted = Organization.id == filters.organization_id
        if filters.include_affiliated:
            wanted = or_(wanted, Organization.parent_id == filters.organization_id)
        return select(Organization.id).where(wanted)

    async def events(
        self, member_id: int, *, limit: int, cursor: str | None
    ) -> Sequence[MemberEvent]:
        stmt = select(MemberEvent).where(MemberEvent.member_id == member_id)
        return (await self.session.scalars(keyset(stmt, EVENT_ORDERING, limit, cursor))).all()

    async def latest_event(self, member_id: int) -> MemberEvent | None:
        stmt = (
            select(MemberEvent)
            .where(MemberEvent.member_id == member_id)
            .order_by(MemberEvent.occurred_on.desc(), MemberEvent.id.desc())
            .limit(1)
        )
        return (await self.session.scalars(stmt)).first()

    async def add(self, member: Member) -> Member:
        self.session.add(member)
        await self.session.flush()
        return member

    async def add_event(self, event: MemberEvent) -> MemberEvent:
        self.session.add(event)
        await self.session.flush()
        return event
