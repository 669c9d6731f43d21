"""Planned visit rules: an enterprise of the campaign's zones, a day inside its period (the future
allowed), materials that exist; planned and cancelled are set by hand, done only by the activity
that records the visit, which fixes its enterprise; a fulfilled visit is not cancelled or
deleted."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.campaigns.repository import CampaignRepository
from app.campaigns.rules import enterprise_of_campaign, within_campaign
from app.campaigns.schedule.repository import VisitRepository
from app.campaigns.schedule.schemas import VisitCreate, VisitUpdate
from app.core.audit import note_change
from app.core.errors import Conflict, RuleViolation
from app.core.problem_codes import ProblemCode
from app.core.repository import touch
from app.enterprises.repository import EnterpriseRepository
from app.models import (
    STORED_VISIT_STATUSES,
    Campaign,
    Material,
    PlannedVisit,
    User,
    VisitStatus,
)


async def check_materials(session: AsyncSession, material_ids: list[int], field: str) -> None:
    """Every id names a material of the library (422 on `field` otherwise)."""
    wanted = set(material_ids)
    if not wanted:
        return
    found = set(await session.scalars(select(Material.id).where(Material.id.in_(wanted))))
    missing = sorted(wanted - found)
    if missing:
        raise RuleViolation(
            f"material {missing[0]} does not exist",
            code=ProblemCode.UNKNOWN_REFERENCE,
            field=field,
        )


class VisitService:
    def __init__(self, session: AsyncSession, campaign: Campaign, actor: User) -> None:
        self.session, self.campaign, self.actor = session, campaign, actor
        self.visits = VisitRepository(session)
        self.campaigns = CampaignRepository(session)
        self.enterprises = EnterpriseRepository(session)

    async def _checked(self, values: dict[str, Any], *, placed: bool = True) -> None:
        """The visit's rules; where and when it is (`placed`) only when those are set, so
        that a visit a campaign's later change left outside can still be cancelled."""
        if placed:
            await enterprise_of_campaign(
                self.campaigns, self.enterprises, self.campaign, values["enterprise_id"]
            )
            within_campaign(self.campaign, values["planned_on"], "planned_on")
        if values["status"] not in STORED_VISIT_STATUSES:
            raise RuleViolation(
                f"a visit is set planned or cancelled; it is done when an activity records it "
                f"(planned_visit_id), and missed when its day passes (not {values['status']})",
                field="status",
            )
        await check_materials(self.session, values.get("material_ids") or [], "material_ids")

    async def create(self, data: VisitCreate) -> PlannedVisit:
        values = data.model_dump() | {"status": VisitStatus.PLANNED}
        await self._checked(values)
        material_ids = values.pop("material_ids")
        visit = await self.visits.add(
            PlannedVisit(campaign_id=self.campaign.id, created_by_id=self.actor.id, **values)
        )
        await self.visits.set_materials(visit, material_ids)
        return visit

    async def update(self, visit: PlannedVisit, data: VisitUpdate) -> PlannedVisit:
        changes = data.model_dump(exclude_unset=True)
        activity_id = await self.visits.fulfilled_by(visit)
        if activity_id is not None:
            changed = {k for k in ("enterprise_id", "status") if k in changes}
            if any(changes[k] != getattr(visit, k) for k in changed):
                raise Conflict(
                    f"visit {visit.id} was recorded by activity {activity_id}: its enterprise "
                    "and status follow that activity",
                    code=ProblemCode.INVALID_STATUS,
                    extra={"current_status": VisitStatus.DONE.value},
                )
        current = {
            name: getattr(visit, name)
            for name in VisitUpdate.model_fields
            if name != "material_ids"
        }
        replanned = changes.get("status") == VisitStatus.PLANNED != visit.status
        placed = replanned or any(
            changes.get(k, getattr(visit, k)) != getattr(visit, k)
            for k in ("enterprise_id", "planned_on")
        )
        await self._checked(current | changes, placed=placed)
        material_ids = changes.pop("material_ids", None)
        for name, value in changes.items():
            setattr(visit, name, value)
        if material_ids is not None:
            before = await self.visits.material_ids_of(visit)
            note_change(self.session, visit, "material_ids", before, material_ids)
            await self.visits.set_materials(visit, material_ids)
            touch(visit)
        await self.session.flush()
        return visit

    async def delete(self, visit: PlannedVisit) -> None:
        activity_id = await self.visits.fulfilled_by(visit)
        if activity_id is not None:
            raise Conflict(
                f"visit {visit.id} was recorded by activity {activity_id}; delete or change "
                "that activity first",
                code=ProblemCode.INVALID_STATUS,
                extra={"current_status": VisitStatus.DONE.value},
            )
        await self.visits.delete(visit)
