"""Queries over members and their events."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Date, Row, Select, bindparam, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.pagination import ListQuery, Slice
from app.core.repository import Repository, where_equal
from app.core.text import matches_search
from app.members.schemas import MemberFilters
from app.members.sorting import EVENT_ORDERING, MEMBER_ORDERINGS, MemberSort
from app.models import Member, MemberEvent, MemberStatus, Organization
from app.party.asof import dossier_stale_on, latest_state, probation_end

MemberListQuery = ListQuery[MemberSort, MemberFilters]
MemberEventListQuery = ListQuery[None, None]


def _columns(status: Any, organization_id: Any) -> list[Any]:
    """A member's columns with the status and organization given."""
    own = [c for c in Member.__table__.c if c.key not in {"status", "organization_id"}]
    return [*own, status.label("status"), organization_id.label("organization_id")]


# The list's two bases, built once (composing them cost a tenth of a page): the members as
# they are now, and as they were on the `as_of` parameter.
_NOW = select(*_columns(Member.status, Member.organization_id))
_AS_OF: Any = bindparam("as_of", type_=Date)  # a date, required at execution
_STATE = latest_state(Member.id, _AS_OF)
_THEN = select(*_columns(_STATE.c.status, _STATE.c.organization_id)).join(_STATE, true())


class MemberRepository(Repository[Member]):
    model = Member
    noun = "member"

    async def list(self, on: dt.date, query: MemberListQuery) -> Slice[Row[Any]]:
        """A page of `filtered` (plain rows, not ORM members: a page is read, never changed)."""
        stmt = self.filtered(on, query.filters)
        params = {"as_of": on} if query.filters.as_of is not None else None
        ordering = MEMBER_ORDERINGS[query.sort]
        return await self._page(stmt, ordering, query.limit, query.cursor, params)

    def filtered(self, on: dt.date, filters: MemberFilters) -> Select[Any]:
        """The members the filters ask for: rows of a member's columns, with `status` and
        `organization_id` those on `on` (the list, the export).

        As of a date, people are taken from the events (who had joined the records by then and
        what they were), and the statement's `as_of` parameter is `on`; otherwise the current
        state kept on the member is used.
        """
        stmt: Select[Any]
        status_col: Any
        org_col: Any
        if filters.as_of is not None:
            stmt = _THEN
            status_col, org_col = _STATE.c.status, _STATE.c.organization_id
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
            stmt = _NOW
            status_col, org_col = Member.status, Member.organization_id
        stmt = where_equal(stmt, (status_col, filters.status))
        if filters.organization_id is not None:
            stmt = stmt.where(org_col.in_(self._organization_ids(filters)))
        stmt = where_equal(
            stmt,
            (Member.enterprise_id, filters.enterprise_id),
            (Member.source_group, filters.source_group),
        )
        if filters.dossier_stale is not None:
            stale = (
                (status_col == MemberStatus.CANDIDATE)
                & Member.dossier_started_on.is_not(None)
                & (Member.dossier_started_on <= on)
                & (dossier_stale_on(on))
            )
            stmt = stmt.where(stale if filters.dossier_stale else ~stale)
        if filters.probation_ends_before is not None:
            stmt = stmt.where(
                status_col == MemberStatus.PROBATIONARY,
                probation_end(Member.admitted_on) < filters.probation_ends_before,
            )
        if filters.q:
            stmt = stmt.where(matches_search(Member.search_key, filters.q))
        return stmt

    @staticmethod
    def _organization_ids(filters: MemberFilters) -> Select[int]:
        """The organization asked for, and with include_affiliated its affiliated cells."""
        wanted = Organization.id == filters.organization_id
        if filters.include_affiliated:
            wanted = or_(wanted, Organization.parent_id == filters.organization_id)
        return select(Organization.id).where(wanted)

    async def events(self, member: Member, query: MemberEventListQuery) -> Slice[MemberEvent]:
        """The member's history, oldest first."""
        stmt = select(MemberEvent).where(MemberEvent.member_id == member.id)
        return await self._scalar_page(stmt, EVENT_ORDERING, query.limit, query.cursor)

    async def latest_event(self, member: Member) -> MemberEvent | None:
        stmt = (
            select(MemberEvent)
            .where(MemberEvent.member_id == member.id)
            .order_by(MemberEvent.occurred_on.desc(), MemberEvent.id.desc())
            .limit(1)
        )
        return (await self.session.scalars(stmt)).first()

    async def add_event(self, event: MemberEvent) -> MemberEvent:
        self.session.add(event)
        await self.session.flush()
        return event


class NewMember(MemberRepository):
    """One new member and their events, kept in memory while the service's rules run on them
    unchanged; `write_new_members` then inserts many such members at once (an import's batch)."""

    def __init__(self, session: AsyncSession) -> None:
        super().__init__(session)
        self.member: Member | None = None
        self.recorded: list[MemberEvent] = []

    async def add(self, row: Member) -> Member:
        self.member = row
        return row

    async def add_event(self, event: MemberEvent) -> MemberEvent:
        self.recorded.append(event)
        return event

    async def latest_event(self, member: Member) -> MemberEvent | None:
        # Steps are recorded in order, so the last one is the latest.
        return self.recorded[-1] if self.recorded else None


async def write_new_members(session: AsyncSession, news: Sequence[NewMember]) -> None:
    """The members of `news` and their events, in two batched INSERTs whatever their number."""
    members = [new.member for new in news if new.member is not None]
    session.add_all(members)
    await session.flush()
    for new in news:
        assert new.member is not None
        for event in new.recorded:
            event.member_id = new.member.id
    session.add_all(event for new in news for event in new.recorded)
    await session.flush()
