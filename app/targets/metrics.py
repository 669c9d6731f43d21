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
    ARRAY,
    ColumnElement,
    Date,
    Integer,
    Select,
    Subquery,
    and_,
    any_,
    bindparam,
    cast,
    distinct,
    func,
    literal,
    null,
    select,
    union,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import BindParameter

from app.models import (
    GRASSROOTS_KINDS,
    ClassAttendee,
    EventKind,
    IndustrialZone,
    LedgerMetricDay,
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
    summed by one probe of the ledger's index per target (correlated to Target)."""
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


def _daily_from_records(metric: Metric) -> Subquery:
    """The same counts derived from the records (the reference the ledger is held to)."""
    source = metric_source(metric)
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
    running it."""
    ids: BindParameter[list[int]] = bindparam("ids", expanding=True)
    as_of = bindparam("as_of", type_=Date)
    committee, quota = aliased(Target), aliased(Target)
    same_kind = and_(
        quota.scope == TargetScope.ORGANIZATION,
        committee.scope == TargetScope.COMMITTEE,
        quota.metric == committee.metric,
        quota.period_start == committee.period_start,
        quota.period_end == committee.period_end,
    )
    # The targets asked for and their quotas, as one set: a semi-join (an OR of two IN
    # subqueries made PostgreSQL test every target against a list of every quota).
    wanted = union(
        select(Target.id).where(Target.id.in_(ids)),
        select(quota.id).join(committee, same_kind).where(committee.id.in_(ids)),
    ).subquery("wanted")
    # As an array computed once (an InitPlan): the plan then starts from these targets, each
    # found by its key, instead of joining every target's window before filtering.
    ids_array = cast(select(func.array_agg(wanted.c.id)).scalar_subquery(), ARRAY(Integer))
    chosen = Target.id == any_(ids_array)
    # Each target with what its roll-up needs, so that summing the quotas is one pass over
    # these rows (not a join back to every target).
    described = (
        Target.id.label("id"),
        Target.scope.label("scope"),
        Target.metric.label("metric"),
        Target.period_start.label("period_start"),
        Target.period_end.label("period_end"),
        func.coalesce(Target.value, Target.min_value).label("allotted"),
    )
    measured_select: SourceSelect
    if metric is not Metric.CANDIDATES_TRAINED and not from_records:
        measured_select = select(*described, _ledger_actual(metric, as_of).label("actual")).where(
            chosen
        )
    else:
        actual: ColumnElement[int]
        source: Subquery
        if metric is Metric.CANDIDATES_TRAINED:  # a candidate completing two classes counts once
            source = metric_source(metric)
            actual = func.count(distinct(source.c.item_id))
        else:  # items are unique within a scope key: counted per day, the days summed
            source = _daily_from_records(metric)
            actual = func.coalesce(func.sum(source.c.daily_count), 0)
        measured_select = (
            select(*described, actual.label("actual"))
            .select_from(Target)
            .outerjoin(source, counted(source, as_of))
            .where(chosen)
            .group_by(Target.id)
        )
    measured = measured_select.cte("measured")
    # Quotas summed per (metric, period) once, then matched to each committee target.
    quota_totals = (
        select(
            measured.c.metric,
            measured.c.period_start,
            measured.c.period_end,
            func.count().label("quotas"),
            func.sum(measured.c.allotted).label("allocated"),
            func.sum(measured.c.actual).label("quota_actual"),
        )
        .where(measured.c.scope == TargetScope.ORGANIZATION)
        .group_by(measured.c.metric, measured.c.period_start, measured.c.period_end)
        .subquery("quota_totals")
    )
    return (
        select(
            committee.id,
            measured.c.actual,
            func.coalesce(quota_totals.c.quotas, 0),
            func.coalesce(quota_totals.c.allocated, 0),
            func.coalesce(quota_totals.c.quota_actual, 0),
        )
        .select_from(committee)
        .join(measured, measured.c.id == committee.id)
        .outerjoin(
            quota_totals,
            and_(
                committee.scope == TargetScope.COMMITTEE,
                quota_totals.c.metric == committee.metric,
                quota_totals.c.period_start == committee.period_start,
                quota_totals.c.period_end == committee.period_end,
            ),
        )
        .where(committee.id.in_(ids))
    )


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
        statement = _measure_statement(metric, from_records)
        rows = await session.execute(statement, {"ids": ids, "as_of": as_of})
        for ident, actual, quotas, allocated, quota_actual in rows:
            result[ident] = Measure(int(actual), int(quotas), int(allocated), int(quota_actual))
    return result
