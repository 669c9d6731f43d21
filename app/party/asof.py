"""Who was what on a date: member, organization and enterprise state derived from dated events.

Every count in the service (lists, enterprise and organization counters, reports) goes through
these functions or through the as-of ledger (app/party/ledger.py), which the tests hold to them:
a figure "as of D" never depends on a mutable status column.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Select,
    Subquery,
    func,
    literal_column,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.dates import today
from app.core.reads import Prepared, any_of, param
from app.models import (
    Enterprise,
    EnterpriseEvent,
    EnterpriseEventKind,
    EnterpriseStatus,
    Member,
    MemberEvent,
    MemberStatus,
    Organization,
)
from app.models.enterprise import LIFECYCLE_KINDS, WORKFORCE_KINDS
from app.party.charter import DOSSIER_STALE_MONTHS, PROBATION_MONTHS


def latest_state(member_id: Any, on: dt.date) -> Any:
    """A LATERAL subquery (status, organization_id) of the member's latest event on or before
    `on`, correlated to `member_id`: one backward step on the member's timeline index."""
    return (
        select(
            MemberEvent.status_after.label("status"),
            MemberEvent.organization_id.label("organization_id"),
        )
        .where(MemberEvent.member_id == member_id, MemberEvent.occurred_on <= on)
        .order_by(MemberEvent.occurred_on.desc(), MemberEvent.id.desc())
        .limit(1)
        .lateral("latest_state")
    )


def member_states(on: dt.date, members: Select[Any] | None = None) -> Subquery:
    """One row per member known on `on` (member_id, status, organization_id): the state their
    latest event on or before that date led to.

    `members`, a subquery of member ids, narrows it to a few (a page's counts): each is one
    index lookup. For everyone, one backward pass over the timeline index keeping each member's
    first row is cheaper than a lookup per member.
    """
    if members is not None:
        latest = latest_state(Member.id, on)
        return (
            select(Member.id.label("member_id"), latest.c.status, latest.c.organization_id)
            .join(latest, true())
            .where(Member.id.in_(members))
            .subquery("member_state")
        )
    return (
        select(
            MemberEvent.member_id,
            MemberEvent.status_after.label("status"),
            MemberEvent.organization_id,
        )
        .where(MemberEvent.occurred_on <= on)
        .ext(distinct_on(MemberEvent.member_id))
        .order_by(
            MemberEvent.member_id.desc(), MemberEvent.occurred_on.desc(), MemberEvent.id.desc()
        )
        .subquery("member_state")
    )


def months_after(day: Any, months: int) -> ColumnElement[dt.datetime]:
    """`day` + n months in SQL, with PostgreSQL's end-of-month clamping (like add_months):
    probation of an admission on 2023-02-28 or 2024-02-29 ends on 2024-02-28 / 2025-02-28."""
    shifted: ColumnElement[dt.datetime] = day + literal_column(f"interval '{int(months)} months'")
    return shifted


def probation_end(admitted_on: Any) -> ColumnElement[dt.datetime]:
    """`probation_ends_on` in SQL."""
    return months_after(admitted_on, PROBATION_MONTHS)


def dossier_stale_on(on: dt.date) -> ColumnElement[bool]:
    """A dossier started more than DOSSIER_STALE_MONTHS before `on` (for candidates)."""
    return months_after(Member.dossier_started_on, DOSSIER_STALE_MONTHS) < on


@dataclass
class MemberCounts:
    official: int = 0
    probationary: int = 0
    candidates: int = 0

    @property
    def members(self) -> int:
        return self.official + self.probationary

    def add(self, other: "MemberCounts") -> None:
        self.official += other.official
        self.probationary += other.probationary
        self.candidates += other.candidates


def _count_columns(state: Subquery) -> list[Any]:
    return [
        func.count().filter(state.c.status == MemberStatus.OFFICIAL),
        func.count().filter(state.c.status == MemberStatus.PROBATIONARY),
        func.count().filter(state.c.status == MemberStatus.CANDIDATE),
    ]


def _organization_statements() -> tuple[Prepared, Prepared]:
    """organization_counts' two statements, built once (app/core/reads.py): the affiliated
    cells of the organizations asked (`ids`), and the members on `on` of those and their cells
    (`all_ids`)."""
    on: Any = param("on", Date)
    ids = any_of("ids")
    all_ids = any_of("all_ids")
    children = select(Organization.id, Organization.parent_id).where(Organization.parent_id == ids)
    touched = select(MemberEvent.member_id).where(
        MemberEvent.organization_id == all_ids, MemberEvent.occurred_on <= on
    )
    state = member_states(on, touched)
    counts = (
        select(state.c.organization_id, *_count_columns(state))
        .where(state.c.organization_id == all_ids)
        .group_by(state.c.organization_id)
    )
    return Prepared(children), Prepared(counts)


_CHILDREN, _ORGANIZATION_COUNTS = _organization_statements()


async def organization_counts(
    session: AsyncSession, organization_ids: Iterable[int], on: dt.date
) -> dict[int, MemberCounts]:
    """Members in each organization on `on`; a committee's figures include its affiliated
    cells'. Two statements whatever the number of organizations."""
    ids = list(set(organization_ids))
    if not ids:
        return {}
    # (cell, its committee) pairs
    parent_of: dict[int, int] = dict(await _CHILDREN.all(session, ids=ids))
    all_ids = ids + list(parent_of)
    rows = await _ORGANIZATION_COUNTS.all(session, on=on, all_ids=all_ids)
    counts = {ident: MemberCounts() for ident in ids}
    for organization_id, official, probationary, candidates in rows:
        own = MemberCounts(official, probationary, candidates)
        if organization_id in counts:
            counts[organization_id].add(own)
        parent = parent_of.get(organization_id)
        if parent is not None and parent in counts and parent != organization_id:
            counts[parent].add(own)
    return counts


def _employment_statement() -> Prepared:
    """employment_counts' statement, built once: the members employed by the enterprises
    asked (`ids`) on `on`."""
    on: Any = param("on", Date)
    ids = any_of("ids")
    state = member_states(on, select(Member.id).where(Member.enterprise_id == ids))
    return Prepared(
        select(Member.enterprise_id, *_count_columns(state))
        .join(state, state.c.member_id == Member.id)
        .group_by(Member.enterprise_id)
    )


_EMPLOYMENT_COUNTS = _employment_statement()


async def employment_counts(
    session: AsyncSession, enterprise_ids: Iterable[int], on: dt.date
) -> dict[int, MemberCounts]:
    """Official, probationary members and candidates employed by each enterprise on `on`."""
    ids = list(set(enterprise_ids))
    if not ids:
        return {}
    counts = {ident: MemberCounts() for ident in ids}
    for enterprise_id, official, probationary, candidates in await _EMPLOYMENT_COUNTS.all(
        session, on=on, ids=ids
    ):
        counts[enterprise_id] = MemberCounts(official, probationary, candidates)
    return counts


def _latest_enterprise_step(
    on: dt.date, kinds: tuple[EnterpriseEventKind, ...], column: Any
) -> Any:
    """`column` of the enterprise's latest event of `kinds` on or before `on` (correlated to
    Enterprise): one backward step on its timeline index."""
    return (
        select(column)
        .where(
            EnterpriseEvent.enterprise_id == Enterprise.id,
            EnterpriseEvent.kind.in_(kinds),
            EnterpriseEvent.occurred_on <= on,
        )
        .order_by(EnterpriseEvent.occurred_on.desc(), EnterpriseEvent.id.desc())
        .limit(1)
        .correlate(Enterprise)
        .scalar_subquery()
    )


def kept_on_row(on: dt.date) -> bool:
    """From today on, an enterprise's open state and workers are those its row keeps (its
    status and workers_count follow its latest steps, and no step is dated in the future)."""
    return on >= today()


def open_enterprises(
    on: dt.date, *among: ColumnElement[bool], from_events: bool = False
) -> Subquery:
    """One row per enterprise open on `on` (enterprise_id, workers_count): registered by then
    and not closed that day (its latest registered, closed or reopened step is not a closing),
    with the workers its latest report on or before `on` counted. `among` narrows the
    enterprises looked at (a campaign's zones).

    From today on (`kept_on_row`) that state is read from the row, not derived from its events,
    unless `from_events` (the reference the tests hold the row to)."""
    if not from_events and kept_on_row(on):
        return (
            select(Enterprise.id.label("enterprise_id"), Enterprise.workers_count)
            .where(Enterprise.status != EnterpriseStatus.CLOSED, *among)
            .subquery("open_enterprise")
        )
    state = _latest_enterprise_step(on, LIFECYCLE_KINDS, EnterpriseEvent.kind)
    workers = _latest_enterprise_step(on, WORKFORCE_KINDS, EnterpriseEvent.workers_count)
    return (
        select(Enterprise.id.label("enterprise_id"), workers.label("workers_count"))
        .where(Enterprise.registered_on <= on, state != EnterpriseEventKind.CLOSED, *among)
        .subquery("open_enterprise")
    )
