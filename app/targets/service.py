"""Target rules (metric fits scope, period and bounds) and attainment for one target or many."""

import datetime as dt
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from app.campaigns.repository import CampaignRepository
from app.core.errors import RuleViolation
from app.core.pagination import Page
from app.core.problem_codes import ProblemCode
from app.models import Metric, Target, TargetScope
from app.organizations.repository import OrganizationRepository
from app.targets.attainment import compute_attainment, quota_rollup
from app.targets.metrics import SCOPES_BY_METRIC, Measure, measure
from app.targets.repository import TargetListQuery, TargetRepository
from app.targets.schemas import (
    Attainment,
    AttainmentFilters,
    TargetCreate,
    TargetFilters,
    TargetUpdate,
)
from app.targets.sorting import IN_FORCE_SORT


def _check_shape(target: Target) -> None:
    if target.period_start > target.period_end:
        raise RuleViolation("period_end is before period_start", field="period_end")
    if target.due_on is not None and not target.period_start <= target.due_on <= target.period_end:
        raise RuleViolation("due_on must lie inside the period", field="due_on")
    if target.value is None:
        if target.min_value is None or target.max_value is None:
            raise RuleViolation("a range needs both min_value and max_value", field="max_value")
        if target.min_value > target.max_value:
            raise RuleViolation("min_value is above max_value", field="min_value")
        if target.max_value < 1:
            raise RuleViolation("max_value must be at least 1", field="max_value")
    elif target.min_value is not None or target.max_value is not None:
        raise RuleViolation("give either value or a range, not both", field="value")


class TargetService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.targets = TargetRepository(session)
        self.organizations = OrganizationRepository(session)
        self.campaigns = CampaignRepository(session)

    async def _check_scope(self, target: Target) -> None:
        scope, metric = TargetScope(target.scope), Metric(target.metric)
        if scope not in SCOPES_BY_METRIC[metric]:
            allowed = ", ".join(sorted(SCOPES_BY_METRIC[metric]))
            raise RuleViolation(
                f"{metric} cannot be set for scope {scope} (possible: {allowed})",
                code=ProblemCode.METRIC_SCOPE_MISMATCH,
                field="scope",
            )
        for field, needed, ident, references in (
            (
                "organization_id",
                TargetScope.ORGANIZATION,
                target.organization_id,
                self.organizations,
            ),
            ("campaign_id", TargetScope.CAMPAIGN, target.campaign_id, self.campaigns),
        ):
            if scope == needed and ident is None:
                raise RuleViolation(f"scope {scope} needs {field}", field=field)
            if scope != needed and ident is not None:
                raise RuleViolation(f"{field} is only for scope {needed}", field=field)
            await references.reference(ident, field)

    async def create(self, data: TargetCreate) -> Target:
        target = Target(**data.model_dump())
        _check_shape(target)
        await self._check_scope(target)
        return await self.targets.add(target)

    async def update(self, target: Target, data: TargetUpdate) -> Target:
        """A new value replaces a range and a new bound replaces a value."""
        if data.value is not None:
            target.min_value = target.max_value = None
        if data.min_value is not None or data.max_value is not None:
            target.value = None
        return await self.targets.update(target, data, check=_check_shape)

    async def delete(self, target: Target) -> None:
        await self.targets.delete(target)

    async def attainments(self, targets: Sequence[Target], as_of: dt.date) -> list[Attainment]:
        """Attainment of each target, committee ones with the quotas allocated under them."""
        measures = await measure(self.session, targets, as_of)
        results = []
        for target in targets:
            measured = measures.get(target.id, Measure(0))
            rollup = quota_rollup(target, measured) if measured.quotas else None
            results.append(compute_attainment(target, measured.actual, as_of, rollup))
        return results

    async def attainment_page(
        self, on: dt.date, filters: AttainmentFilters, limit: int, cursor: str | None
    ) -> Page[Attainment]:
        """One page of the attainment on `on` of the targets in force then, by period."""
        in_force = TargetFilters(**filters.model_dump(), in_force_on=on)
        targets = await self.targets.list(TargetListQuery(limit, cursor, IN_FORCE_SORT, in_force))
        return Page(
            items=await self.attainments(targets.items, on), next_cursor=targets.next_cursor
        )

    async def attainments_in_force(self, on: dt.date, *, include_quotas: bool) -> list[Attainment]:
        """Attainment on `on` of every target in force then (see repository.in_force)."""
        targets = await self.targets.in_force(on, include_quotas=include_quotas)
        return await self.attainments(targets, on)
