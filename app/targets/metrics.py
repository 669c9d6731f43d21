"""What each metric counts, defined once: the dated rows behind every attainment figure.

Each metric has items (item_id, on, organization_id, parent_id, campaign_id): one row per
counted thing with the date that places it in a target's window. Its source lists each item once
per scope it counts for, keyed so that matching a target is an equality join: (committee, 0),
(organization, its organization), (organization, that organization's parent committee),
(campaign, the campaign credited). Attainment counts distinct item_ids in
[period_start, min(as_of, period_end)].
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    Select,
    Subquery,
    and_,
    distinct,
    func,
    literal,
    null,
    select,
    true,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.core.reads import Prepared, any_of, param
from app.models import (
    GRASSROOTS_KINDS,
    ClassAttendee,
    EventKind,
    IndustrialZone,
    LedgerMetricDay,
    LedgerQuotaDay,
    LedgerTrainedDay,
    MemberEvent,
    Metric,
    Organization,
    Target,
    TargetScope,
    TrainingClass,
)

METRIC_DESCRIPTIONS = {
    Metric.ORGANIZATIONS_ESTABLISHED: "Grassroots committees and cells established in the window "
    "(never affiliated cells; dissolved ones still count); for a campaign, those credited to it.",
    Metric.MEMBERS_ADMITTED: "Admission events in the window (not transfers in); for an "
    "organization, its own and its affiliated cells'.",
    Metric.MEMBERS_RECOGNIZED: "Recognitions as official member in the window; for an "
    "organization, its own and its affiliated cells'.",
    Metric.INDUSTRIAL_ZONES_ESTABLISHED: "Industrial zones established in the window.",
    Metric.CANDIDATES_TRAINED: "Distinct candidates who completed an awareness class that ended "
    "in the window.",
}

SCOPES_BY_METRIC = {
    Metric.ORGANIZATIONS_ESTABLISHED: {TargetScope.COMMITTEE, TargetScope.CAMPAIGN},
    Metric.MEMBERS_ADMITTED: {TargetScope.COMMITTEE, TargetScope.ORGANIZATION},
    Metric.MEMBERS_RECOGNIZED: {TargetScope.COMMITTEE, TargetScope.ORGANIZATION},
    Metric.INDUSTRIAL_ZONES_ESTABLISHED: {TargetScope.COMMITTEE},
    Metric.CANDIDATES_TRAINED: {TargetScope.COMMITTEE},
}

ITEM_KINDS = {
    Metric.ORGANIZATIONS_ESTABLISHED: "organization",
    Metric.MEMBERS_ADMITTED: "member_event",
    Metric.MEMBERS_RECOGNIZED: "member_event",
    Metric.INDUSTRIAL_ZONES_ESTABLISHED: "industrial_zone",
    Metric.CANDIDATES_TRAINED: "member",
}


SourceSelect = Select[*tuple[Any, ...]]


def _member_events(kind: EventKind) -> SourceSelect:
    return (
        select(
            MemberEvent.id.label("item_id"),
            MemberEvent.occurred_on.label("on"),
            MemberEvent.organization_id.label("organization_id"),
            Organization.parent_id.label("parent_id"),
            null().cast(Integer).label("campaign_id"),
        )
        .outerjoin(Organization, Organization.id == MemberEvent.organization_id)
        .where(MemberEvent.kind == kind)
    )


def metric_items(metric: Metric) -> SourceSelect:
    """The things a metric counts, with their date and scope keys (see the module docstring)."""
    stmt: SourceSelect
    if metric is Metric.ORGANIZATIONS_ESTABLISHED:
        stmt = select(
            Organization.id.label("item_id"),
            Organization.established_on.label("on"),
            Organization.id.label("organization_id"),
            Organization.parent_id.label("parent_id"),
            Organization.campaign_id.label("campaign_id"),
        ).where(Organization.kind.in_(GRASSROOTS_KINDS))
    elif metric is Metric.MEMBERS_ADMITTED:
        stmt = _member_events(EventKind.ADMITTED)
    elif metric is Metric.MEMBERS_RECOGNIZED:
        stmt = _member_events(EventKind.RECOGNIZED)
    elif metric is Metric.INDUSTRIAL_ZONES_ESTABLISHED:
        stmt = select(
            IndustrialZone.id.label("item_id"),
            IndustrialZone.established_on.label("on"),
            null().cast(Integer).label("organization_id"),
            null().cast(Integer).label("parent_id"),
            null().cast(Integer).label("campaign_id"),
        ).where(IndustrialZone.established_on.is_not(None))
    else:
        stmt = (
            select(
                ClassAttendee.member_id.label("item_id"),
                TrainingClass.ends_on.label("on"),
                null().cast(Integer).label("organization_id"),
                null().cast(Integer).label("parent_id"),
                null().cast(Integer).label("campaign_id"),
            )
            .join(TrainingClass, TrainingClass.id == ClassAttendee.class_id)
            .where(ClassAttendee.completed.is_(True))
        )
    return stmt


def metric_source(metric: Metric) -> Subquery:
    """Each item once per scope it counts for: (item_id, on, organization_id, scope, scope_key)."""
    items = metric_items(metric).cte(f"items_{metric.value}")

    def keyed(scope: TargetScope, key: Any) -> SourceSelect:
        return select(
            items.c.item_id,
            items.c.on,
            items.c.organization_id,
            literal(scope.value).label("scope"),
            key.label("scope_key"),
        ).where(key.is_not(None))

    # Only the scopes a target of this metric can have: a metric counted for the committee
    # alone is then one arm over its items, and PostgreSQL takes a target's window into it.
    arms = [
        keyed(scope, key)
        for scope, key in (
            (TargetScope.COMMITTEE, literal(0)),
            (TargetScope.ORGANIZATION, items.c.organization_id),
            (TargetScope.ORGANIZATION, items.c.parent_id),
            (TargetScope.CAMPAIGN, items.c.campaign_id),
        )
        if scope in SCOPES_BY_METRIC[metric]
    ]
    return union_all(*arms).subquery(f"source_{metric.value}")


def counted(source: Subquery, as_of: Any, target: Any = Target) -> ColumnElement[bool]:
    """A source row counts for a target: dated inside its window and keyed to its scope."""
    return and_(
        source.c.on >= target.period_start,
        source.c.on <= func.least(as_of, target.period_end),
        source.c.scope == target.scope,
        source.c.scope_key == func.coalesce(target.organization_id, target.campaign_id, 0),
    )


@dataclass(frozen=True)
class Measure:
    """A target's actual, and for a committee target the organization quotas under it (same
    metric and period): how many, their values summed, their actuals summed."""

    actual: int
    quotas: int = 0
    allocated: int = 0
    quota_actual: int = 0


def _ledger_actual(metric: Metric, as_of: Any) -> ColumnElement[int]:
    """A target's actual from the as-of ledger: the deltas of its scope key in its window,
    summed by one probe of the ledger's index per target (correlated to Target). For
    candidates_trained (distinct people), the deltas kept for its period: each member's first
    completion in it."""
    if metric is Metric.CANDIDATES_TRAINED:
        return (
            select(func.coalesce(func.sum(LedgerTrainedDay.delta), 0))
            .where(
                Target.scope == TargetScope.COMMITTEE,  # (its only scope: SCOPES_BY_METRIC)
                LedgerTrainedDay.period_start == Target.period_start,
                LedgerTrainedDay.period_end == Target.period_end,
                LedgerTrainedDay.day <= func.least(as_of, Target.period_end),
            )
            .correlate(Target)
            .scalar_subquery()
        )
    return (
        select(func.coalesce(func.sum(LedgerMetricDay.delta), 0))
        .where(
            LedgerMetricDay.metric == metric.value,
            LedgerMetricDay.scope == Target.scope,
            LedgerMetricDay.scope_key
            == func.coalesce(Target.organization_id, Target.campaign_id, 0),
            LedgerMetricDay.day >= Target.period_start,
            LedgerMetricDay.day <= func.least(as_of, Target.period_end),
        )
        .correlate(Target)
        .scalar_subquery()
    )


def _daily_from_records(metric: Metric, source: Subquery) -> Subquery:
    """The same counts derived from the records' `source` (metric_source): the reference the
    ledger is held to."""
    return (
        select(
            source.c.scope,
            source.c.scope_key,
            source.c.on,
            func.count().label("daily_count"),
        )
        .group_by(source.c.scope, source.c.scope_key, source.c.on)
        .subquery(f"daily_{metric.value}")
    )


@cache
def _measure_statement(metric: Metric, from_records: bool = False) -> SourceSelect:
    """Built once per metric (parameters `ids` and `as_of`): composing it costs more than
    running it.

    Each target asked for is measured on its own: from the ledger, one probe of its index per
    target, and a committee target's quotas (the organization targets of its metric and
    period) from the ledger's roll-up of them (`_from_ledger`). From the records, the
    quotas are rolled up as one set: their count, their values, and the records' daily counts
    of their organizations in the window summed by one join."""
    ids = any_of("ids")
    as_of = param("as_of", Date)
    actual: ColumnElement[int]
    if not from_records:
        return _from_ledger(metric, ids, as_of)
    source = metric_source(metric)
    daily = _daily_from_records(metric, source)
    if metric is Metric.CANDIDATES_TRAINED:  # a candidate completing two classes counts once
        actual = func.count(distinct(source.c.item_id))
    else:  # items are unique within a scope key: counted per day, the days summed
        source = daily
        actual = func.coalesce(func.sum(source.c.daily_count), 0)
    measured = (
        select(Target.id, actual.label("actual"))
        .select_from(Target)
        .outerjoin(source, counted(source, as_of))
        .where(Target.id == ids)
        .group_by(Target.id)
    )
    measured_cte = measured.cte("measured")

    committee, quota = aliased(Target), aliased(Target)
    asked = (
        select(committee.id)
        .where(
            committee.id == ids,
            committee.scope == TargetScope.COMMITTEE,
            committee.metric == quota.metric,
            committee.period_start == quota.period_start,
            committee.period_end == quota.period_end,
        )
        .exists()
    )
    quotas = (
        select(
            quota.metric,
            quota.period_start,
            quota.period_end,
            quota.organization_id,
            func.coalesce(quota.value, quota.min_value).label("allotted"),
        )
        .where(quota.scope == TargetScope.ORGANIZATION, asked)
        .cte("quotas")
    )
    period = (quotas.c.metric, quotas.c.period_start, quotas.c.period_end)
    allotted = (
        select(
            *period, func.count().label("quotas"), func.sum(quotas.c.allotted).label("allocated")
        )
        .group_by(*period)
        .subquery("allotted")
    )
    # The quotas' windows, as bounds computed once: the ledger's rows are then read by their
    # day's index over that range only.
    first_day = select(func.min(quotas.c.period_start)).scalar_subquery()
    last_day = select(func.max(func.least(as_of, quotas.c.period_end))).scalar_subquery()
    attained = (
        select(*period, func.sum(daily.c.daily_count).label("quota_actual"))
        .join(
            daily,
            and_(
                daily.c.scope == TargetScope.ORGANIZATION,
                daily.c.scope_key == quotas.c.organization_id,
                daily.c.on >= quotas.c.period_start,
                daily.c.on <= func.least(as_of, quotas.c.period_end),
                daily.c.on.between(first_day, last_day),
            ),
        )
        .group_by(*period)
        .subquery("attained")
    )

    def same_period(rollup: Subquery) -> ColumnElement[bool]:
        return and_(
            Target.scope == TargetScope.COMMITTEE,
            rollup.c.metric == Target.metric,
            rollup.c.period_start == Target.period_start,
            rollup.c.period_end == Target.period_end,
        )

    return (
        select(
            Target.id,
            measured_cte.c.actual,
            func.coalesce(allotted.c.quotas, 0),
            func.coalesce(allotted.c.allocated, 0),
            func.coalesce(attained.c.quota_actual, 0),
        )
        .select_from(Target)
        .join(measured_cte, measured_cte.c.id == Target.id)
        .outerjoin(allotted, same_period(allotted))
        .outerjoin(attained, same_period(attained))
    )


def _from_ledger(metric: Metric, ids: Any, as_of: Any) -> SourceSelect:
    """The targets measured from the ledger, each committee target with its quotas' roll-up
    as kept by the ledger for its metric and period (ledger_quota_days): one probe of its index
    per target, whatever the number of quotas."""
    rollup = (
        select(
            func.coalesce(func.sum(LedgerQuotaDay.quotas_delta), 0).label("quotas"),
            func.coalesce(func.sum(LedgerQuotaDay.allocated_delta), 0).label("allocated"),
            func.coalesce(
                func.sum(LedgerQuotaDay.actual_delta).filter(LedgerQuotaDay.day <= as_of), 0
            ).label("quota_actual"),
        )
        .where(
            Target.scope == TargetScope.COMMITTEE,
            LedgerQuotaDay.metric == metric.value,
            LedgerQuotaDay.period_start == Target.period_start,
            LedgerQuotaDay.period_end == Target.period_end,
        )
        .lateral("rollup")
    )
    return (
        select(
            Target.id,
            _ledger_actual(metric, as_of).label("actual"),
            rollup.c.quotas,
            rollup.c.allocated,
            rollup.c.quota_actual,
        )
        .select_from(Target)
        .join(rollup, true())
        .where(Target.id == ids)
    )


@cache
def _measure_prepared(metric: Metric, from_records: bool) -> Prepared:
    """`_measure_statement`, compiled once and run on the driver (app/core/reads.py)."""
    return Prepared(_measure_statement(metric, from_records))


async def measure(
    session: AsyncSession, targets: Iterable[Target], as_of: dt.date, from_records: bool = False
) -> dict[int, Measure]:
    """Actuals (and quota roll-ups) of the targets on `as_of`: one aggregate statement per
    metric involved, whatever the number of targets and quotas. The counts come from the as-of
    ledger, or with `from_records` from the records themselves (the reference)."""
    by_metric: dict[Metric, list[int]] = {}
    for target in targets:
        by_metric.setdefault(Metric(target.metric), []).append(target.id)
    result: dict[int, Measure] = {}
    for metric, ids in by_metric.items():
        statement = _measure_prepared(metric, from_records)
        for ident, actual, quotas, allocated, quota_actual in await statement.all(
            session, ids=ids, as_of=as_of
        ):
            result[ident] = Measure(int(actual), int(quotas), int(allocated), int(quota_actual))
    return result
