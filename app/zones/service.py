"""Zone rules: operating and closed zones have an establishment date, closed ones a closing date."""

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import RuleViolation
from app.models import IndustrialZone, ZoneStatus
from app.zones.repository import ZoneRepository
from app.zones.schemas import ZoneCreate, ZoneUpdate


def _check(zone: IndustrialZone) -> None:
    if zone.status != ZoneStatus.PLANNED and zone.established_on is None:
        raise RuleViolation(
            f"established_on is required for a zone that is {zone.status}",
            field="established_on",
        )
    if zone.status == ZoneStatus.CLOSED and zone.closed_on is None:
        raise RuleViolation("closed_on is required for a closed zone", field="closed_on")
    if zone.status != ZoneStatus.CLOSED and zone.closed_on is not None:
        raise RuleViolation("closed_on is only for a closed zone", field="closed_on")
    if zone.closed_on and zone.established_on and zone.closed_on < zone.established_on:
        raise RuleViolation("closed_on is before established_on", field="closed_on")


class ZoneService:
    def __init__(self, session: AsyncSession) -> None:
        self.zones = ZoneRepository(session)

    async def create(self, data: ZoneCreate) -> IndustrialZone:
        zone = IndustrialZone(**data.model_dump())
        _check(zone)
        return await self.zones.add(zone)

    async def update(self, zone: IndustrialZone, data: ZoneUpdate) -> IndustrialZone:
        return await self.zones.update(zone, data, check=_check)

    async def delete(self, zone: IndustrialZone) -> None:
        """A zone enterprises are registered in is a 409 (still_referenced)."""
        await self.zones.delete(zone)
