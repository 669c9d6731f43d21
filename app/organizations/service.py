"""Organization rules: structure by kind, one grassroots organization per enterprise, dissolution
only of an empty organization, and the Charter's flags on a date (docs/domain.md, "Party
organizations")."""

from sqlalchemy.ext.asyncio import AsyncSession

from app import models
from app.core.dates import ensure_not_future, today
from app.core.errors import Conflict, RuleViolation
from app.core.problem_codes import ProblemCode
from app.enterprises.repository import EnterpriseRepository
from app.models import GRASSROOTS_KINDS, OrganizationKind
from app.organizations.repository import OrganizationRepository
from app.organizations.schemas import (
    Dissolution,
    OrganizationCreate,
    OrganizationUpdate,
)
from app.party.asof import organization_counts


class OrganizationService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.organizations = OrganizationRepository(session)
        self.enterprises = EnterpriseRepository(session)

    async def create(self, data: OrganizationCreate) -> models.Organization:
        ensure_not_future(data.established_on, "established_on")
        if data.kind == OrganizationKind.AFFILIATED_CELL:
            if data.parent_id is None:
                raise RuleViolation(
                    "an affiliated cell belongs to a grassroots committee: parent_id is required",
                    field="parent_id",
                )
            parent = await self.organizations.reference(data.parent_id, "parent_id", lock="share")
            if parent.kind != OrganizationKind.GRASSROOTS_COMMITTEE:
                raise RuleViolation(
                    f"the parent must be a grassroots committee, not a {parent.kind}",
                    field="parent_id",
                )
            if not parent.is_active_on(data.established_on):
                raise RuleViolation(
                    f"the parent committee is not active on {data.established_on}",
                    field="parent_id",
                )
        elif data.parent_id is not None:
            raise RuleViolation(f"a {data.kind} has no parent: remove parent_id", field="parent_id")
        await self.enterprises.reference(data.enterprise_id, "enterprise_id")
        if data.kind in GRASSROOTS_KINDS and data.enterprise_id is not None:
            existing = await self.organizations.active_grassroots_of(data.enterprise_id)
            if existing is not None:
                raise Conflict(
                    f"enterprise {data.enterprise_id} already has an active grassroots "
                    f"organization ({existing.id}: {existing.name})",
                    code=ProblemCode.ORGANIZATION_EXISTS,
                    field="enterprise_id",
                )
        return await self.organizations.add(models.Organization(**data.model_dump()))

    async def update(
        self, organization: models.Organization, data: OrganizationUpdate
    ) -> models.Organization:
        established_on = data.established_on
        if established_on is not None:
            ensure_not_future(established_on, "established_on")
            first = await self.organizations.first_member_event(organization)
            if first is not None and established_on > first:
                raise RuleViolation(
                    f"members were recorded in it from {first}; it cannot be established later",
                    field="established_on",
                )
            if organization.dissolved_on and established_on > organization.dissolved_on:
                raise RuleViolation("established_on is after dissolved_on", field="established_on")
        return await self.organizations.update(organization, data)

    async def dissolve(
        self, organization: models.Organization, data: Dissolution
    ) -> models.Organization:
        if organization.dissolved_on is not None:
            raise Conflict(
                f"the organization was already dissolved on {organization.dissolved_on}",
                code=ProblemCode.ALREADY_DISSOLVED,
            )
        ensure_not_future(data.dissolved_on, "dissolved_on")
        if data.dissolved_on < organization.established_on:
            raise RuleViolation(
                f"dissolved_on is before established_on ({organization.established_on})",
                field="dissolved_on",
            )
        counts = (await organization_counts(self.session, [organization.id], today()))[
            organization.id
        ]
        if counts.members:
            raise Conflict(
                f"the organization has {counts.members} active members; transfer or remove "
                "them first",
                code=ProblemCode.HAS_ACTIVE_MEMBERS,
            )
        cells = await self.organizations.undissolved_cells(organization)
        if cells:
            raise Conflict(
                f"the committee has {cells} active affiliated cells; dissolve them first",
                code=ProblemCode.HAS_ACTIVE_CELLS,
            )
        later = await self.organizations.last_member_event(organization)
        if later is not None and later > data.dissolved_on:
            raise RuleViolation(
                f"members were recorded in it until {later}; it cannot be dissolved earlier",
                field="dissolved_on",
            )
        organization.dissolved_on = data.dissolved_on
        organization.dissolution_reason = data.reason
        organization.dissolution_decision_no = data.decision_no
        await self.session.flush()
        return organization

    async def delete(self, organization: models.Organization) -> None:
        """An organization something refers to is a 409 (still_referenced)."""
        await self.organizations.delete(organization)
