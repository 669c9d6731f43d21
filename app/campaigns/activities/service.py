"""Activity rules: an enterprise of the campaign's zones, a date inside its period and not in the
future, a contact of that enterprise, and a follow-up on or after the activity."""

import datetime as dt
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.campaigns.activities.repository import ActivityRepository
from app.campaigns.activities.schemas import ActivityCreate, ActivityUpdate
from app.campaigns.repository import CampaignRepository
from app.core.dates import ensure_not_future
from app.core.errors import RuleViolation
from app.core.problem_codes import ProblemCode
from app.enterprises.contacts.repository import ContactRepository
from app.enterprises.repository import EnterpriseRepository
from app.models import Campaign, CampaignActivity, User


class ActivityService:
    def __init__(self, session: AsyncSession, campaign: Campaign, actor: User) -> None:
        self.campaign = campaign
        self.actor = actor
        self.activities = ActivityRepository(session)
        self.campaigns = CampaignRepository(session)
        self.enterprises = EnterpriseRepository(session)
        self.contacts = ContactRepository(session)

    async def _checked(self, values: dict[str, Any]) -> dict[str, Any]:
        """The values of an activity after every rule held; fills contact_role from the
        contact when it was left out."""
        campaign = self.campaign
        enterprise = await self.enterprises.reference(values["enterprise_id"], "enterprise_id")
        if not await self.campaigns.covers_zone(campaign, enterprise.zone_id):
            raise RuleViolation(
                f"enterprise {enterprise.id} is in industrial zone {enterprise.zone_id}, which "
                f"campaign {campaign.id} does not cover",
                code=ProblemCode.ENTERPRISE_OUTSIDE_CAMPAIGN,
                field="enterprise_id",
            )
        occurred_on: dt.date = values["occurred_on"]
        if not campaign.starts_on <= occurred_on <= campaign.ends_on:
            raise RuleViolation(
                f"occurred_on {occurred_on} is outside the campaign's period "
                f"({campaign.starts_on} to {campaign.ends_on})",
                code=ProblemCode.OUTSIDE_CAMPAIGN_PERIOD,
                field="occurred_on",
            )
        ensure_not_future(occurred_on, "occurred_on")
        follow_up_on: dt.date | None = values.get("follow_up_on")
        if follow_up_on is not None and follow_up_on < occurred_on:
            raise RuleViolation(
                f"follow_up_on {follow_up_on} is before occurred_on {occurred_on}",
                code=ProblemCode.FOLLOW_UP_BEFORE_ACTIVITY,
                field="follow_up_on",
            )
        contact_id = values.get("contact_id")
        if contact_id is not None:
            contact = await self.contacts.get_or_none(contact_id)
            if contact is None or contact.enterprise_id != enterprise.id:
                raise RuleViolation(
                    f"contact {contact_id} is not a contact of enterprise {enterprise.id}",
                    code=(
                        ProblemCode.CONTACT_OF_ANOTHER_ENTERPRISE
                        if contact
                        else ProblemCode.UNKNOWN_REFERENCE
                    ),
                    field="contact_id",
                )
            if values.get("contact_role") is None:
                values["contact_role"] = contact.role
        if values.get("contact_role") is None:
            raise RuleViolation(
                "contact_role is required when no contact_id is given",
                code=ProblemCode.CONTACT_ROLE_REQUIRED,
                field="contact_role",
            )
        return values

    async def create(self, data: ActivityCreate) -> CampaignActivity:
        values = await self._checked(data.model_dump())
        return await self.activities.add(
            CampaignActivity(campaign_id=self.campaign.id, created_by_id=self.actor.id, **values)
        )

    async def update(self, activity: CampaignActivity, data: ActivityUpdate) -> CampaignActivity:
        """The merged activity is judged as a new one would be; a stored activity always has
        its contact_role, so the changes are applied as sent."""
        current = {name: getattr(activity, name) for name in ActivityUpdate.model_fields}
        await self._checked(current | data.model_dump(exclude_unset=True))
        return await self.activities.update(activity, data)

    async def delete(self, activity: CampaignActivity) -> None:
        await self.activities.delete(activity)
