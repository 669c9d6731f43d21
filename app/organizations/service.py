"""Organization rules: structure by kind, one grassroots organization per enterprise, and
dissolution only of an empty organization."""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.dates import ensure_not_future, today
from app.core.errors import Conflict, RuleViolation
from app.core.repository import apply_changes, require_reference
from app.models import (
    GRASSROOTS_KINDS,
    Enterprise,
    MemberEvent,
    Organization,
    OrganizationKind,
)
from app.organizations.repository import OrganizationRepository
from app.organizations.schemas import Dissolution, OrganizationCreate, OrganizationUpdate
from app.party.asof import organization_counts


class OrganizationService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.organizations = OrganizationRepository(session)

    async def create(self, data: OrganizationCreate) -> Organization:
        ensure_not_future(data.established_on, "established_on")
        if data.kind == OrganizationKind.AFFILIATED_CELL:
            if data.parent_id is None:
                raise RuleViolation(
                    "an affiliated cell belongs to a grassroots committee: parent_id is required",
                    field="parent_id",
                )
            parent: Organization = await require_reference(
                self.session, Organization, data.parent_id, "parent_id", "organization"
            )
            if parent.kind != OrganizationKind.GRASSROOTS_COMMITTEE:
                raise RuleViolation(
                    f"the parent must be a grassroots committee, not a {parent.kind}",
                    field="parent_id",
                )
            if parent.established_on > data.established_on or (
                parent.dissolved_on is not None and parent.dissolved_on <= data.established_on
            ):
                raise RuleViolation(
                    f"the parent committee is not active on {data.established_on}",
                    field="parent_id",
                )
        elif data.parent_id is not None:
            raise RuleViolation(f"a {data.kind} has no parent: remove parent_id", field="parent_id")
        await require_reference(
            self.session, Enterprise, data.enterprise_id, "enterprise_id", "enterprise"
        )
        if data.kind in GRASSROOTS_KINDS and data.enterprise_id is not None:
            existing = await self.organizations.active_grassroots_of(data.enterprise_id)
            if existing is not None:
                raise Conflict(
                    f"enterprise {data.enterprise_id} already has an active grassroots "
                    f"organization ({existing.id}: {existing.name})",
                    code="organization_exists",
                    field="enterprise_id",
                )
        return await self.organizations.add(Organization(**data.model_dump()))

    async def _first_member_event(self, organization: Organization) -> object:
        return await self.session.scalar(
            select(func.min(MemberEvent.occurred_on)).where(
                MemberEvent.organization_id == organization.id
            )
        )

    async def update(self, organization: Organization, data: OrganizationUpdate) -> Organization:
        changes = data.model_dump(exclude_unset=True)
        if "name" in changes and changes["name"] is None:
            raise RuleViolation("name cannot be removed", field="name")
        if "established_on" in changes:
            established_on = changes["established_on"]
            if established_on is None:
                raise RuleViolation("established_on cannot be removed", field="established_on")
            ensure_not_future(established_on, "established_on")
            first = await self._first_member_event(organization)
            if first is not None and established_on > first:
                raise RuleViolation(
                    f"members were recorded in it from {first}; it cannot be established later",
                    field="established_on",
                )
            if organization.dissolved_on and established_on > organization.dissolved_on:
                raise RuleViolation("established_on is after dissolved_on", field="established_on")
        apply_changes(organization, data)
        await self.session.flush()
        return organization

    async def dissolve(self, organization: Organization, data: Dissolution) -> Organization:
        if organization.dissolved_on is not None:
            raise Conflict(
                f"the organization was already dissolved on {organization.dissolved_on}",
                code="already_dissolved",
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
                code="has_active_members",
            )
        cells = await self.session.scalar(
            select(func.count()).where(
                Organization.parent_id == organization.id, Organization.dissolved_on.is_(None)
            )
        )
        if cells:
            raise Conflict(
                f"the committee has {cells} active affiliated cells; dissolve them first",
                code="has_active_cells",
            )
        later = await self.session.scalar(
            select(func.max(MemberEvent.occurred_on)).where(
                (MemberEvent.organization_id == organization.id)
                | (MemberEvent.from_organization_id == organization.id)
            )
        )
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

    async def delete(self, organization: Organization) -> None:
        await self.session.delete(organization)
        await self.session.flush()
