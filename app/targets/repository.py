"""Queries over targets, the quotas under them, and the rows they count."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Date, and_, literal, or_, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.pagination import Ordering, SortKey, keyset
from app.core.text import matches_search
from app.models import (
    IndustrialZone,
    Member,
    MemberEvent,
    Metric,
    Organization,
    Target,
    TargetScope,
)
from app.targets.metrics import ITEM_KINDS, counted, metric_source

TARGET_ORDERINGS = {
    "period_start": Ordering(
        "period_start", (SortKey(Target.period_start, "period_start"), SortKey(Target.id, "id"))
    ),
    "name": Ordering("name", (SortKey(Target.name, "name"), SortKey(Target.id, "id"))),
}

ITEM_ORDERING_NAME = "items"


class TargetRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list(
        self,
        *,
        ordering: Ordering,
        limit: int,
        cursor: str | None,
        metric: Metric | None = None,
        scope: TargetScope | None = None,
        organization_id: int | None = None,
        campaign_id: int | None = None,
        in_force_on: dt.date | None = None,
        q: str | None = None,
    ) -> Sequence[Target]:
        stmt = select(Target)
        if metric is not None:
            stmt = stmt.where(Target.metric == metric)
        if scope is not None:
            stmt = stmt.where(Target.scope == scope)
        if organization_id is not None:
            stmt = stmt.where(Target.organization_id == organization_id)
        if campaign_id is not None:
            stmt = stmt.where(Target.campaign_id == campaign_id)
        if in_force_on is not None:
            stmt = stmt.where(in_force(in_force_on))
        if q:
            stmt = stmt.where(matches_search(Target.search_key, q))
        return (await self.session.scalars(keyset(stmt, ordering, limit, cursor))).all()

    async def in_force(self, on: dt.date, *, include_quotas: bool) -> Sequence[Target]:
        """Every target in force on `on` (see in_force()); with the organizations' quotas,
        grouped by scope."""
        stmt = select(Target).where(in_force(on))
        if include_quotas:
            stmt = stmt.order_by(Target.scope, Target.period_start, Target.id)
        else:
            stmt = stmt.where(Target.scope != TargetScope.ORGANIZATION).order_by(
                Target.period_start, Target.id
            )
        return (await self.session.scalars(stmt)).all()

    async def items(
        self, target: Target, as_of: dt.date, *, limit: int, cursor: str | None
    ) -> tuple[Sequence[Any], Ordering]:
        """A page of the rows counted for a target on `as_of`, labelled for an auditor, and
        their order (for the next cursor)."""
        metric = Metric(target.metric)
        source = metric_source(metric)
        if ITEM_KINDS[metric] == "member_event":
            label = (
                select(Member.full_name)
                .join(MemberEvent, MemberEvent.member_id == Member.id)
                .where(MemberEvent.id == source.c.item_id)
                .scalar_subquery()
            )
        elif ITEM_KINDS[metric] == "member":
            label = select(Member.full_name).where(Member.id == source.c.item_id).scalar_subquery()
        elif ITEM_KINDS[metric] == "organization":
            label = (
                select(Organization.name)
                .where(Organization.id == source.c.item_id)
                .scalar_subquery()
            )
        else:
            label = (
                select(IndustrialZone.name)
                .where(IndustrialZone.id == source.c.item_id)
                .scalar_subquery()
            )
        # A candidate completing two classes counts once: keep their first completion.
        rows = (
            select(
                source.c.item_id.label("id"),
                source.c.on.label("on"),
                label.label("label"),
                source.c.organization_id.label("organization_id"),
            )
            .select_from(Target)
            .join(source, counted(source, literal(as_of, Date)))
            .where(Target.id == target.id)
            .ext(distinct_on(source.c.item_id))
            .order_by(source.c.item_id, source.c.on)
            .subquery("counted")
        )
        ordering = Ordering(
            ITEM_ORDERING_NAME, (SortKey(rows.c.on, "on"), SortKey(rows.c.id, "id"))
        )
        page = await self.session.execute(keyset(select(rows), ordering, limit, cursor))
        return page.all(), ordering


def in_force(on: dt.date) -> Any:
    """Targets whose period contains `on`, or that ended earlier in the same year."""
    return or_(
        and_(Target.period_start <= on, Target.period_end >= on),
        and_(Target.period_end < on, Target.period_end >= dt.date(on.year, 1, 1)),
    )
