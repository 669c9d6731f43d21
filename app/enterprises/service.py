"""Enterprise rules: a known zone, and an investor country for FDI enterprises and only for them."""

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import RuleViolation
from app.enterprises.repository import EnterpriseRepository
from app.enterprises.schemas import EnterpriseCreate, EnterpriseUpdate
from app.models import Enterprise, Ownership
from app.zones.repository import ZoneRepository


def _check(enterprise: Enterprise) -> None:
    """Rules over the whole object, so that a PATCH changing one field is checked merged."""
    if enterprise.ownership == Ownership.FDI and enterprise.investor_country is None:
        raise RuleViolation(
            "investor_country is required for an fdi enterprise", field="investor_country"
        )
    if enterprise.ownership != Ownership.FDI and enterprise.investor_country is not None:
        raise RuleViolation(
            f"investor_country is only for fdi enterprises, not {enterprise.ownership}; "
            "send null to clear it",
            field="investor_country",
        )


class EnterpriseService:
    def __init__(self, session: AsyncSession) -> None:
        self.enterprises = EnterpriseRepository(session)
        self.zones = ZoneRepository(session)

    async def create(self, data: EnterpriseCreate) -> Enterprise:
        await self.zones.reference(data.zone_id, "zone_id")
        enterprise = Enterprise(**data.model_dump())
        _check(enterprise)
        return await self.enterprises.add(enterprise)

    async def update(self, enterprise: Enterprise, data: EnterpriseUpdate) -> Enterprise:
        await self.zones.reference(data.zone_id, "zone_id")
        return await self.enterprises.update(enterprise, data, check=_check)

    async def delete(self, enterprise: Enterprise) -> None:
        """Contacts go with the enterprise; members, organizations or projects referring to it
        make this a 409 (still_referenced)."""
        await self.enterprises.delete(enterprise)
