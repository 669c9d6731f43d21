"""Reading the as-of ledger (app/models/ledger.py): member states, open enterprises, active
organizations and covered enterprises, investment projects and target metrics on a day or in a
period, each a sum over indexed delta rows, whatever the size of the history.

The derivations in app/party/asof.py, app/targets/metrics.py and the overview's statements from
the records (app/reports/overview.py) are the reference these are held to
(tests/members/test_asof_properties.py, tests/party/test_ledger_properties.py, `kcn-party
rebuild-aggregates`).
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Date, String, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.reads import Prepared, any_of, param
from app.models import (
    LedgerEnterpriseDay,
    LedgerEnterpriseSpan,
    LedgerMemberDay,
    LedgerMemberSpan,
    LedgerMetricDay,
    LedgerOrganizationDay,
    LedgerProjectDay,
    LedgerState,
    Metric,
    TargetScope,
)

COMMITTEE_KEY = 0  # the scope key of the committee's own items (app/targets/metrics.py)


# Built once with their parameters (app/core/reads.py): a report runs them on every request.
_MEMBER_STATES = Prepared(
    select(LedgerMemberDay.state, func.sum(LedgerMemberDay.delta))
    .where(LedgerMemberDay.day <= param("on", Date))
    .group_by(LedgerMemberDay.state)
)
_COMMITTEE_METRICS = Prepared(
    select(LedgerMetricDay.metric, func.sum(LedgerMetricDay.delta))
    .where(
        LedgerMetricDay.metric == any_of("metrics", String),
        LedgerMetricDay.scope == TargetScope.COMMITTEE,
        LedgerMetricDay.scope_key == COMMITTEE_KEY,
        LedgerMetricDay.day.between(param("start", Date), param("end", Date)),
    )
    .group_by(LedgerMetricDay.metric)
)
_OPEN_ENTERPRISES = Prepared(
    select(
        LedgerEnterpriseDay.zone_id,
        LedgerEnterpriseDay.ownership,
        func.sum(LedgerEnterpriseDay.open_delta),
        func.sum(LedgerEnterpriseDay.workers_delta),
    )
    .where(LedgerEnterpriseDay.day <= param("on", Date))
    .group_by(LedgerEnterpriseDay.zone_id, LedgerEnterpriseDay.ownership)
)

_ORGANIZATIONS = Prepared(
    select(
        LedgerOrganizationDay.counted,
        LedgerOrganizationDay.ownership,
        func.sum(LedgerOrganizationDay.delta),
    )
    .where(LedgerOrganizationDay.day <= param("on", Date))
    .group_by(LedgerOrganizationDay.counted, LedgerOrganizationDay.ownership)
)
_ON, _START, _END = param("on", Date), param("start", Date), param("end", Date)
_LICENSED = LedgerProjectDay.day.between(_START, _END)
_ACTIVE = LedgerProjectDay.day <= _ON
_PROJECTS = Prepared(
    select(
        LedgerProjectDay.is_fdi,
        func.coalesce(func.sum(LedgerProjectDay.licensed).filter(_LICENSED), 0),
        func.coalesce(func.sum(LedgerProjectDay.licensed_capital).filter(_LICENSED), 0),
        func.coalesce(func.sum(LedgerProjectDay.active_delta).filter(_ACTIVE), 0),
        func.coalesce(func.sum(LedgerProjectDay.capital_delta).filter(_ACTIVE), 0),
    )
    .where(LedgerProjectDay.day <= func.greatest(_ON, _END))
    .group_by(LedgerProjectDay.is_fdi)
)


async def member_state_totals(session: AsyncSession, on: dt.date) -> Counter[LedgerState]:
    """How many members were in each ledger state on `on` (0 for a state nobody was in)."""
    totals: Counter[LedgerState] = Counter()
    for state, total in await _MEMBER_STATES.all(session, on=on):
        totals[LedgerState(state)] = int(total)
    return totals


async def committee_metric_totals(
    session: AsyncSession, metrics: Iterable[Metric], start: dt.date, end: dt.date
) -> Counter[Metric]:
    """How many items of each metric, committee-wide, are dated in [start, end]."""
    rows = await _COMMITTEE_METRICS.all(
        session, metrics=[m.value for m in metrics], start=start, end=end
    )
    totals: Counter[Metric] = Counter()
    for metric, total in rows:
        totals[Metric(metric)] = int(total)
    return totals


@dataclass
class OpenEnterprises:
    """Enterprises open on a day and their workers, for one zone or ownership."""

    count: int = 0
    workers: int = 0


async def open_enterprise_totals(
    session: AsyncSession, on: dt.date
) -> dict[tuple[int, str], OpenEnterprises]:
    """The enterprises open on `on` and their workers, per (zone_id, ownership) with any."""
    return {
        (zone, ownership): OpenEnterprises(int(count), int(workers))
        for zone, ownership, count, workers in await _OPEN_ENTERPRISES.all(session, on=on)
        if count or workers
    }


async def organization_totals(session: AsyncSession, on: dt.date) -> Counter[tuple[str, str]]:
    """How many were counted on `on` per (what, ownership): active organizations by kind and by
    their enterprise's ownership ('' when none), and covered enterprises (ENTERPRISES_COVERED,
    ownership '')."""
    totals: Counter[tuple[str, str]] = Counter()
    for counted, ownership, total in await _ORGANIZATIONS.all(session, on=on):
        totals[counted, ownership] = int(total)
    return totals


@dataclass
class ProjectTotals:
    """Investment projects, FDI or not: licensed in a period (and their capital), active on a
    day (and theirs)."""

    licensed: int = 0
    licensed_capital: Decimal = Decimal(0)
    active: int = 0
    active_capital: Decimal = Decimal(0)


def _amount(total: Any) -> Decimal:
    """A sum of capital as the records' sums give it: deltas that net to nothing are 0, not
    0.00 (the exports print it as it is)."""
    return Decimal(total) if total else Decimal(0)


async def project_totals(
    session: AsyncSession, on: dt.date, start: dt.date, end: dt.date
) -> dict[bool, ProjectTotals]:
    """Per is_fdi: the projects licensed in [start, end] and those active on `on`."""
    totals = {True: ProjectTotals(), False: ProjectTotals()}
    rows = await _PROJECTS.all(session, on=on, start=start, end=end)
    for is_fdi, licensed, licensed_capital, active, active_capital in rows:
        totals[is_fdi] = ProjectTotals(
            int(licensed), _amount(licensed_capital), int(active), _amount(active_capital)
        )
    return totals


def official_on(member_id: Any, on: Any) -> Any:
    """A LATERAL subquery with one row when the member (a column, correlated) was official on
    `on` (a date or a parameter), none otherwise: one probe of their official spans."""
    return (
        select(LedgerMemberSpan.member_id)
        .where(
            LedgerMemberSpan.member_id == member_id,
            LedgerMemberSpan.state == LedgerState.OFFICIAL,
            LedgerMemberSpan.from_day <= on,
            or_(LedgerMemberSpan.to_day.is_(None), LedgerMemberSpan.to_day > on),
        )
        .limit(1)
        .lateral("official")
    )


def open_on(enterprise_id: Any, on: Any) -> ColumnElement[bool]:
    """The enterprise (a column, correlated) was open on `on` (a date or a parameter): one
    probe of its spans."""
    return (
        select(LedgerEnterpriseSpan.enterprise_id)
        .where(
            LedgerEnterpriseSpan.enterprise_id == enterprise_id,
            LedgerEnterpriseSpan.from_day <= on,
            or_(LedgerEnterpriseSpan.to_day.is_(None), LedgerEnterpriseSpan.to_day > on),
        )
        .exists()
    )


@dataclass(frozen=True)
class LedgerCheck:
    """One ledger recomputed from the records: how many contribution rows that gave, and at how
    many (key, day) the stored deltas summed to something else, plus how many of its kept
    spans or items differ from the recomputed ones (each missing or extra row counts)."""

    ledger: str
    rows: int
    differences: int


async def rebuild(session: AsyncSession, apply: bool) -> list[LedgerCheck]:
    """Recompute the ledger from the records (`ledger_rebuild`, migrations 0016 to 0021) and
    compare; with `apply`, then replace it with the recomputed one (one delta row per key and
    day). Writers of the counted records wait until the caller's transaction ends; readers do
    not."""
    return await _checks(session, func.ledger_rebuild(apply))


async def fill(session: AsyncSession) -> list[LedgerCheck]:
    """Recompute the ledger from the records and replace it, comparing only the day sums
    (`ledger_fill`, migration 0021): for a ledger known to be empty, such as bench.national's
    copies leave it, where `rebuild`'s comparison of every row would double the time."""
    return await _checks(session, func.ledger_fill())


async def _checks(session: AsyncSession, function: Any) -> list[LedgerCheck]:
    rows = await session.execute(select(text("*")).select_from(function.table_valued()))
    return [LedgerCheck(name, int(count), int(diff)) for name, count, diff in rows]
