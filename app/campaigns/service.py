"""Campaign rules: an eligible leader, known zones and accounts, an ordered period, and a zone
held by one campaign at a time."""

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from app.campaigns.repository import CampaignRepository, MemberRow
from app.campaigns.schemas import CampaignCreate, CampaignMemberIn, CampaignUpdate
from app.core.audit import note_change
from app.core.errors import Conflict, FieldError, RuleViolation
from app.core.problem_codes import ProblemCode
from app.models import Campaign, Role
from app.users.repository import UserRepository

LEADER_ROLES = (Role.GROUP_LEADER, Role.EDITOR, Role.ADMIN)


class CampaignService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.campaigns = CampaignRepository(session)
        self.users = UserRepository(session)

    async def _check_leader(self, leader_id: int) -> None:
        leader = await self.users.reference(leader_id, "leader_id")
        if leader.role not in LEADER_ROLES:
            raise RuleViolation(
                f"user {leader_id} is a {leader.role}; a campaign is led by a group_leader, "
                "an editor or an admin",
                code=ProblemCode.INVALID_LEADER,
                field="leader_id",
            )
        if not leader.is_active:
            raise RuleViolation(
                f"user {leader_id} is not active",
                code=ProblemCode.INVALID_LEADER,
                field="leader_id",
            )

    async def _check_members(self, members: Sequence[CampaignMemberIn]) -> None:
        known = await self.users.existing_ids(m.user_id for m in members if m.user_id)
        errors = [
            FieldError(
                loc=["body", "members", index, "user_id"],
                message=f"user {member.user_id} does not exist",
                type="unknown_reference",
            )
            for index, member in enumerate(members)
            if member.user_id is not None and member.user_id not in known
        ]
        if errors:
            raise RuleViolation(
                errors[0].message, code=ProblemCode.UNKNOWN_REFERENCE, errors=errors
            )

    async def _check_zones(self, zone_ids: Sequence[int]) -> None:
        found = await self.campaigns.lock_zones(zone_ids)
        missing = [zone_id for zone_id in zone_ids if zone_id not in found]
        if missing:
            raise RuleViolation(
                f"industrial zone {missing[0]} does not exist",
                code=ProblemCode.UNKNOWN_REFERENCE,
                field="zone_ids",
            )

    @staticmethod
    def _check_period(starts_on: dt.date, ends_on: dt.date) -> None:
        if starts_on > ends_on:
            raise RuleViolation(
                f"ends_on {ends_on} is before starts_on {starts_on}",
                code=ProblemCode.PERIOD_REVERSED,
                field="ends_on",
            )

    async def _check_overlap(
        self,
        zone_ids: Sequence[int],
        starts_on: dt.date,
        ends_on: dt.date,
        campaign_id: int | None,
    ) -> None:
        overlap = await self.campaigns.first_overlap(zone_ids, starts_on, ends_on, campaign_id)
        if overlap is None:
            return
        raise Conflict(
            f"industrial zone {overlap.zone_id} is already assigned to campaign "
            f"{overlap.campaign_id} ({overlap.name}) from {overlap.starts_on} to "
            f"{overlap.ends_on}, which overlaps {starts_on} to {ends_on}",
            code=ProblemCode.ZONE_PERIOD_OVERLAP,
            field="zone_ids",
            extra={
                "zone_id": overlap.zone_id,
                "conflicting_campaign": {
                    "id": overlap.campaign_id,
                    "name": overlap.name,
                    "starts_on": overlap.starts_on.isoformat(),
                    "ends_on": overlap.ends_on.isoformat(),
                },
            },
        )

    async def create(self, data: CampaignCreate) -> Campaign:
        self._check_period(data.starts_on, data.ends_on)
        await self._check_leader(data.leader_id)
        await self._check_members(data.members)
        await self._check_zones(data.zone_ids)
        await self._check_overlap(data.zone_ids, data.starts_on, data.ends_on, None)
        campaign = Campaign(**data.model_dump(exclude={"members", "zone_ids"}))
        # The zones and members live in other tables: the audit trail records them with the row.
        note_change(self.session, campaign, "zone_ids", None, sorted(data.zone_ids))
        note_change(self.session, campaign, "members", None, _listed(_member_rows(data.members)))
        campaign = await self.campaigns.add(campaign)
        await self.campaigns.replace_zones(campaign.id, data.zone_ids)
        await self.campaigns.replace_members(campaign.id, _member_rows(data.members))
        return campaign

    async def update(self, campaign: Campaign, data: CampaignUpdate) -> Campaign:
        current_zone_ids = (await self.campaigns.zones_of([campaign.id])).get(campaign.id, [])
        changes = data.model_dump(exclude_unset=True, exclude={"members", "zone_ids"})
        starts_on = changes.get("starts_on", campaign.starts_on)
        ends_on = changes.get("ends_on", campaign.ends_on)
        self._check_period(starts_on, ends_on)
        if "leader_id" in changes and changes["leader_id"] != campaign.leader_id:
            await self._check_leader(changes["leader_id"])
        if data.members is not None:
            await self._check_members(data.members)
        zone_ids = data.zone_ids if data.zone_ids is not None else list(current_zone_ids)
        zones_changed = set(zone_ids) != set(current_zone_ids)
        period_changed = (starts_on, ends_on) != (campaign.starts_on, campaign.ends_on)
        if zones_changed or period_changed:
            await self._check_zones(zone_ids)
            await self._check_overlap(zone_ids, starts_on, ends_on, campaign.id)
            _refuse_outside(
                "activity",
                await self.campaigns.activity_outside(campaign.id, zone_ids, starts_on, ends_on),
                starts_on,
                ends_on,
                "move or delete such activities first",
            )
            _refuse_outside(
                "planned visit",
                await self.campaigns.visit_outside(campaign.id, zone_ids, starts_on, ends_on),
                starts_on,
                ends_on,
                "move or cancel such visits first",
            )
        if zones_changed:
            note_change(
                self.session, campaign, "zone_ids", sorted(current_zone_ids), sorted(zone_ids)
            )
        if data.members is not None:
            before = (await self.campaigns.members_of([campaign.id])).get(campaign.id, [])
            listed = _listed(MemberRow(m.full_name, m.role, m.user_id) for m in before)
            after = _listed(_member_rows(data.members))
            if listed != after:
                note_change(self.session, campaign, "members", listed, after)
        for name, value in changes.items():
            setattr(campaign, name, value)
        if zones_changed:
            await self.campaigns.replace_zones(campaign.id, zone_ids)
        if data.members is not None:
            await self.campaigns.replace_members(campaign.id, _member_rows(data.members))
        if zones_changed or data.members is not None:
            # The zones and members live in other tables: touching the row moves the version,
            # so an ETag taken before this change no longer matches.
            campaign.updated_at = dt.datetime.now(dt.UTC)
        await self.session.flush()
        return campaign

    async def delete(self, campaign: Campaign) -> None:
        """Only a campaign entered by mistake: one with activities, credited organizations or
        targets keeps its history and is closed instead."""
        references = await self.campaigns.references(campaign.id)
        if references:
            listed = ", ".join(f"{n} {what}" for what, n in references.items())
            raise Conflict(
                f"the campaign has {listed}; close it (status closed) instead of deleting it",
                code=ProblemCode.CAMPAIGN_HAS_RECORDS,
            )
        await self.campaigns.delete(campaign)


def _member_rows(members: Sequence[CampaignMemberIn]) -> list[MemberRow]:
    return [MemberRow(m.full_name, m.role, m.user_id) for m in members]


def _listed(members: Iterable[MemberRow]) -> list[dict[str, object]]:
    """A working group as the audit trail records it."""
    return [dataclasses.asdict(member) for member in members]


def _refuse_outside(
    noun: str,
    found: Row[int, dt.date, int] | None,
    starts_on: dt.date,
    ends_on: dt.date,
    advice: str,
) -> None:
    """409 for a record (id, on, zone_id) the campaign's new zones or period would leave
    outside, on the field that leaves it out."""
    if found is None:
        return
    field = "starts_on" if found.on < starts_on else "ends_on" if found.on > ends_on else "zone_ids"
    raise Conflict(
        f"{noun} {found.id} (on {found.on}, an enterprise of zone {found.zone_id}) would fall "
        f"outside the campaign's zones or period; {advice}",
        code=ProblemCode.ACTIVITIES_OUTSIDE_CAMPAIGN,
        field=field,
    )
