"""Activity rules: an enterprise of the campaign's zones, a date inside its period and not in the
future, a contact of that enterprise, and a follow-up on or after the activity."""

import datetime as dt
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.campaigns.activities.repository import ActivityRepository
from app.campaigns.activities.schemas import ActivityCreate, ActivityUpdate
from app.campaigns.repository import CampaignRepository
from app.campaigns.rules import enterprise_of_campaign, within_campaign
from app.campaigns.schedule.repository import VisitRepository
from app.campaigns.schedule.service import check_materials
from app.core.audit import note_change
from app.core.dates import ensure_not_future
from app.core.errors import Conflict, RuleViolation
from app.core.problem_codes import ProblemCode
from app.core.repository import touch
from app.enterprises.contacts.repository import ContactRepository
from app.enterprises.repository import EnterpriseRepository
from app.models import Campaign, CampaignActivity, User, VisitStatus


class ActivityService:
    def __init__(self, session: AsyncSession, campaign: Campaign, actor: User) -> None:
        self.campaign = campaign
        self.actor = actor
        self.activities = ActivityRepository(session)
        self.campaigns = CampaignRepository(session)
        self.enterprises = EnterpriseRepository(session)
        self.contacts = ContactRepository(session)
        self.visits = VisitRepository(session)

    async def _checked(self, values: dict[str, Any]) -> dict[str, Any]:
        """The values of an activity after every rule held; fills contact_role from the
        contact when it was left out."""
        campaign = self.campaign
        enterprise = await enterprise_of_campaign(
            self.campaigns, self.enterprises, campaign, values["enterprise_id"]
        )
        occurred_on: dt.date = values["occurred_on"]
        within_campaign(campaign, occurred_on, "occurred_on")
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
        await self._planned_visit(values, enterprise.id)
        await self._materials(values)
        return values

    async def _planned_visit(self, values: dict[str, Any], enterprise_id: int) -> None:
        """The visit the activity carries out: this campaign's, at this enterprise, not
        cancelled, and recorded by no other activity (locked, so two activities recording it
        at once take turns and the second is refused)."""
        visit_id = values.get("planned_visit_id")
        if visit_id is None:
            return
        visit = await self.visits.reference(visit_id, "planned_visit_id", lock="update")
        if visit.campaign_id != self.campaign.id:
            raise RuleViolation(
                f"planned visit {visit.id} belongs to campaign {visit.campaign_id}",
                code=ProblemCode.VISIT_OF_ANOTHER_CAMPAIGN,
                field="planned_visit_id",
            )
        if visit.enterprise_id != enterprise_id:
            raise RuleViolation(
                f"planned visit {visit.id} is at enterprise {visit.enterprise_id}, not "
                f"{enterprise_id}",
                code=ProblemCode.VISIT_ENTERPRISE_MISMATCH,
                field="planned_visit_id",
            )
        if visit.status == VisitStatus.CANCELLED:
            raise Conflict(
                f"planned visit {visit.id} was cancelled; set it planned again first",
                code=ProblemCode.INVALID_STATUS,
                extra={"current_status": VisitStatus.CANCELLED.value},
            )
        recorded_by = await self.visits.fulfilled_by(visit)
        if recorded_by is not None and recorded_by != values.get("id"):
            raise Conflict(
                f"planned visit {visit.id} is already recorded by activity {recorded_by}",
                code=ProblemCode.VISIT_ALREADY_FULFILLED,
                extra={"activity_id": recorded_by},
            )

    async def _materials(self, values: dict[str, Any]) -> None:
        """Materials that exist; material_language one of theirs (theirs when left out and
        they share one)."""
        material_ids = values.get("material_ids") or []
        if not material_ids:
            return
        await check_materials(self.activities.session, material_ids, "material_ids")
        languages = set((await self.activities.languages_of(material_ids)).values())
        language = values.get("material_language")
        if language is None and len(languages) == 1:
            values["material_language"] = languages.pop()
        elif language is not None and language not in languages:
            raise RuleViolation(
                f"material_language {language} is not the language of the materials handed "
                f"over ({', '.join(sorted(languages))})",
                code=ProblemCode.MATERIAL_LANGUAGE_MISMATCH,
                field="material_language",
            )

    async def create(self, data: ActivityCreate) -> CampaignActivity:
        values = await self._checked(data.model_dump())
        material_ids = values.pop("material_ids")
        activity = await self.activities.add(
            CampaignActivity(campaign_id=self.campaign.id, created_by_id=self.actor.id, **values)
        )
        await self.activities.set_materials(activity, material_ids)
        await self._touch_visits(values.get("planned_visit_id"))
        return activity

    async def _touch_visits(self, *visit_ids: int | None) -> None:
        """A visit recorded or released by an activity changed as calendars show it: its
        version (the iCalendar SEQUENCE) moves, so that subscribed apps replace the event."""
        for visit_id in {v for v in visit_ids if v is not None}:
            visit = await self.visits.get_or_none(visit_id)
            if visit is not None:
                touch(visit)
        await self.activities.session.flush()

    async def update(self, activity: CampaignActivity, data: ActivityUpdate) -> CampaignActivity:
        """The merged activity is judged as a new one would be; a stored activity always has
        its contact_role, so the changes are applied as sent (with material_language filled
        from new materials that share one)."""
        changes = data.model_dump(exclude_unset=True)
        current = {
            name: getattr(activity, name)
            for name in ActivityUpdate.model_fields
            if name != "material_ids"
        }
        if "material_language" in changes and "material_ids" not in changes:
            # The language is judged against the materials already handed over.
            current["material_ids"] = (await self.activities.material_ids([activity.id]))[
                activity.id
            ]
        released = activity.planned_visit_id
        checked = await self._checked(current | changes | {"id": activity.id})
        if "material_ids" in changes:
            before = (await self.activities.material_ids([activity.id]))[activity.id]
            note_change(self.activities.session, activity, "material_ids", before,
                        changes["material_ids"])  # fmt: skip
            await self.activities.set_materials(activity, changes.pop("material_ids"))
            changes["material_language"] = checked["material_language"]
            touch(activity)
        for name, value in changes.items():
            setattr(activity, name, value)
        await self.activities.session.flush()
        if activity.planned_visit_id != released:
            await self._touch_visits(released, activity.planned_visit_id)
        return activity

    async def delete(self, activity: CampaignActivity) -> None:
        released = activity.planned_visit_id
        await self.activities.delete(activity)
        await self._touch_visits(released)
