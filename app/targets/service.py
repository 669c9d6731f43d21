"""Target rules (metric fits scope, period and bounds) and attainment for one target or many."""

import datetime as dt
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import RuleViolation
from app.core.repository import apply_changes, require_reference
from app.models import Campaign, Metric, Organization, Target, TargetScope
from app.targets.attainment import compute_attainment, quota_rollup
from app.targets.metrics import SCOPES_BY_METRIC, Measure, measure
from app.targets.repository import TargetRepository
from app.targets.schemas import Attainment, TargetCreate, TargetUpdate


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

    async def _check_scope(self, target: Target) -> None:
        scope, metric = TargetScope(target.scope), Metric(target.metric)
        if scope not in SCOPES_BY_METRIC[metric]:
            allowed = ", ".join(sorted(SCOPES_BY_METRIC[metric]))
            raise RuleViolation(
                f"{metric} cannot be set for scope {scope} (possible: {allowed})",
                code="metric_scope_mismatch",
                field="scope",
            )
        for field, needed, model, what in (
            ("organization_id", TargetScope.ORGANIZATION, Organization, "organization"),
            ("campaign_id", TargetScope.CAMPAIGN, Campaign, "campaign"),
        ):
            ident = getattr(target, field)
            if scope == needed and ident is None:
                raise RuleViolation(f"scope {scope} needs {field}", field=field)
            if scope != needed and ident is not None:
                raise RuleViolation(f"{field} is only for scope {needed}", field=field)
            await require_reference(self.session, model, ident, field, what)

    async def create(self, data: TargetCreate) -> Target:
        target = Target(**data.model_dump())
        _check_shape(target)
        await self._check_scope(target)
        self.session.add(target)
        await self.session.flush()
        return target

    async def update(self, target: Target, data: TargetUpdate) -> Target:
        changes = data.model_dump(exclude_unset=True)
        for required in ("name", "period_start", "period_end"):
            if required in changes and changes[required] is None:
                raise RuleViolation(f"{required} cannot be removed", field=required)
        if changes.get("value") is not None:
            target.min_value = target.max_value = None
        if changes.get("min_value") is not None or changes.get("max_value") is not None:
            target.value = None
        apply_changes(target, data)
        _check_shape(target)
        await self.session.flush()
        return target

    async def delete(self, target: Target) -> None:
        await self.session.delete(target)
        await self.session.flush()

    async def attainments(self, targets: Sequence[Target], as_of: dt.date) -> list[Attainment]:
        """Attainment of each target, committee ones with the quotas allocated under them."""
        measures = await measure(self.session, targets, as_of)
        results = []
        for target in targets:
            measured = measures.get(target.id, Measure(0))
            rollup = quota_rollup(target, measured) if measured.quotas else None
            results.append(compute_attainment(target, measured.actual, as_of, rollup))
        return results
