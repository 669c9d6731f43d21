"""What each metric counts, defined once: the dated rows behind every attainment figure.

Each metric is a source of rows (item_id, on, organization_id, parent_id, campaign_id): one row
per counted thing with the date that places it in a target's window and the keys its scopes
match on. Attainment counts distinct item_ids in [period_start, min(as_of, period_end)].
"""

import datetime as dt
from collections.abc import Iterable
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
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import (
    GRASSROOTS_KINDS,
    ClassAttendee,
    EventKind,
    IndustrialZone,
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


def metric_source(metric: Metric) -> Subquery:
    """The rows a metric counts (see the module docstring)."""
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
    return stmt.subquery(f"source_{metric.value}")


def window_end(as_of: dt.date) -> ColumnElement[dt.date]:
    return func.least(literal(as_of, Date), Target.period_end)


def in_scope(source: Subquery) -> ColumnElement[bool]:
    """A source row belongs to a target's scope."""
    return or_(
        Target.scope == TargetScope.COMMITTEE,
        and_(
            Target.scope == TargetScope.ORGANIZATION,
            or_(
                source.c.organization_id == Target.organization_id,
                source.c.parent_id == Target.organization_id,
            ),
        ),
        and_(Target.scope == TargetScope.CAMPAIGN, source.c.campaign_id == Target.campaign_id),
    )


def counted(source: Subquery, as_of: dt.date) -> ColumnElement[bool]:
    return and_(
        source.c.on >= Target.period_start, source.c.on <= window_end(as_of), in_scope(source)
    )


async def actuals(
    session: AsyncSession, targets: Iterable[Target], as_of: dt.date
) -> dict[int, int]:
    """The actual of each target on `as_of`: one aggregate statement per metric involved."""
    by_metric: dict[Metric, list[int]] = {}
    for target in targets:
        by_metric.setdefault(Metric(target.metric), []).append(target.id)
    result: dict[int, int] = {}
    for metric, ids in by_metric.items():
        source = metric_source(metric)
        rows = await session.execute(
            select(Target.id, func.count(distinct(source.c.item_id)))
            .select_from(Target)
            .outerjoin(source, counted(source, as_of))
            .where(Target.id.in_(ids))
            .group_by(Target.id)
        )
        result.update({ident: int(count) for ident, count in rows})
    return result
