"""Queries over targets, the quotas under them, and the rows they count."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Date, String, and_, bindparam, literal, or_, select
from sqlalchemy.dialects.postgresql import distinct_on

from app.core.pagination import ListQuery, Slice
from app.core.reads import Prepared, column_keys, detached, param
from app.core.repository import Repository, where_equal
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
from app.targets.schemas import TargetFilters
from app.targets.sorting import TARGET_ORDERINGS, TargetSort, item_ordering

TargetListQuery = ListQuery[TargetSort, TargetFilters]


class TargetRepository(Repository[Target]):
    model = Target
    noun = "target"

    async def list(self, query: TargetListQuery) -> Slice[Target]:
        filters = query.filters
        stmt = where_equal(
            select(Target),
            (Target.metric, filters.metric),
            (Target.scope, filters.scope),
            (Target.organization_id, filters.organization_id),
            (Target.campaign_id, filters.campaign_id),
        )
        params = None
        if filters.in_force_on is not None:
            stmt = stmt.where(_IN_FORCE_ON)
            params = in_force_dates(filters.in_force_on)
        if filters.q:
            stmt = stmt.where(matches_search(Target.search_key, filters.q))
        ordering = TARGET_ORDERINGS[query.sort]
        return await self._scalar_page(stmt, ordering, query.limit, query.cursor, params)

    async def in_force(self, on: dt.date, *, include_quotas: bool) -> Sequence[Target]:
        """Every target in force on `on` (see in_force()); with the organizations' quotas,
        grouped by scope. Read on the driver, as objects no session holds (the reports only
        read them)."""
        rows = await _IN_FORCE[include_quotas].all(self.session, **in_force_dates(on))
        return [detached(Target, row) for row in rows]

    async def items(
        self, target: Target, as_of: dt.date, *, limit: int, cursor: str | None
    ) -> Slice[Any]:
        """A page of the rows counted for a target on `as_of`, labelled for an auditor:
        (kind, id, on, label, organization_id)."""
        metric = Metric(target.metric)
        source = metric_source(metric)
        kind = ITEM_KINDS[metric]
        label: ColumnElement[str | None]
        if kind == "member_event":
            label = (
                select(Member.full_name)
                .join(MemberEvent, MemberEvent.member_id == Member.id)
                .where(MemberEvent.id == source.c.item_id)
                .scalar_subquery()
            )
        elif kind == "member":
            label = select(Member.full_name).where(Member.id == source.c.item_id).scalar_subquery()
        elif kind == "organization":
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
                literal(kind, String).label("kind"),
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
        return await self._page(select(rows), item_ordering(rows), limit, cursor)


def in_force(on: Any, year_start: Any) -> Any:
    """Targets whose period contains `on`, or that ended earlier in the same year: `on` and
    `year_start` are the parameters `in_force_dates` gives. (Both end on or after year_start,
    stated once at the top, where ix_targets_scope_period_end can use it.)"""
    return and_(
        Target.period_end >= year_start,
        or_(and_(Target.period_start <= on, Target.period_end >= on), Target.period_end < on),
    )


def in_force_dates(on: dt.date) -> dict[str, dt.date]:
    """The values of in_force's parameters for the day `on`."""
    return {"in_force_on": on, "in_force_year_start": dt.date(on.year, 1, 1)}


def _in_force_statements() -> dict[bool, Prepared]:
    """in_force's statements, with the quotas (by scope) and without."""
    columns = [getattr(Target, key).label(key) for key in column_keys(Target)]
    condition = in_force(param("in_force_on", Date), param("in_force_year_start", Date))
    return {
        True: Prepared(
            select(*columns).where(condition).order_by(Target.scope, Target.period_start, Target.id)
        ),
        False: Prepared(
            select(*columns)
            # Every scope but the quotas', named (a generic plan cannot use an index for <>).
            .where(condition, Target.scope.in_((TargetScope.COMMITTEE, TargetScope.CAMPAIGN)))
            .order_by(Target.period_start, Target.id)
        ),
    }


_IN_FORCE = _in_force_statements()
# The list's in_force_on filter, built once; its dates are given at execution.
_IN_FORCE_ON = in_force(
    bindparam("in_force_on", type_=Date), bindparam("in_force_year_start", type_=Date)
)
