"""Queries over campaigns, their zones and members, and the records that refer to them."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Row, delete, exists, func, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.pagination import Ordering, SortKey, keyset
from app.core.text import matches_search
from app.models import (
    Campaign,
    CampaignActivity,
    CampaignMember,
    CampaignStatus,
    Enterprise,
    IndustrialZone,
    Organization,
    Target,
    User,
    campaign_zones,
)

CAMPAIGN_ORDERINGS = {
    "name": Ordering("name", (SortKey(Campaign.name, "name"),)),
    "starts_on": Ordering(
        "starts_on", (SortKey(Campaign.starts_on, "starts_on"), SortKey(Campaign.id, "id"))
    ),
    "-starts_on": Ordering(
        "-starts_on",
        (SortKey(Campaign.starts_on, "starts_on", True), SortKey(Campaign.id, "id", True)),
    ),
}


@dataclass(frozen=True)
class CampaignFilters:
    status: CampaignStatus | None = None
    zone_id: int | None = None
    leader_id: int | None = None
    active_on: dt.date | None = None
    q: str | None = None


@dataclass(frozen=True)
class Overlap:
    """Another campaign holding one of the zones over an overlapping period."""

    zone_id: int
    campaign_id: int
    name: str
    starts_on: dt.date
    ends_on: dt.date


@dataclass(frozen=True)
class MemberRow:
    full_name: str
    role: str | None
    user_id: int | None


class CampaignRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def page(
        self, filters: CampaignFilters, *, ordering: Ordering, limit: int, cursor: str | None
    ) -> Sequence[Campaign]:
        stmt = select(Campaign)
        if filters.status is not None:
            stmt = stmt.where(Campaign.status == filters.status)
        if filters.leader_id is not None:
            stmt = stmt.where(Campaign.leader_id == filters.leader_id)
        if filters.zone_id is not None:
            stmt = stmt.where(
                exists().where(
                    campaign_zones.c.campaign_id == Campaign.id,
                    campaign_zones.c.zone_id == filters.zone_id,
                )
            )
        if filters.active_on is not None:
            stmt = stmt.where(
                Campaign.starts_on <= filters.active_on, Campaign.ends_on >= filters.active_on
            )
        if filters.q:
            stmt = stmt.where(matches_search(Campaign.search_key, filters.q))
        return (await self.session.scalars(keyset(stmt, ordering, limit, cursor))).all()

    async def zones_of(self, campaign_ids: Iterable[int]) -> dict[int, list[int]]:
        rows = await self.session.execute(
            select(campaign_zones.c.campaign_id, campaign_zones.c.zone_id)
            .where(campaign_zones.c.campaign_id.in_(list(campaign_ids)))
            .order_by(campaign_zones.c.campaign_id, campaign_zones.c.zone_id)
        )
        zones: dict[int, list[int]] = defaultdict(list)
        for campaign_id, zone_id in rows:
            zones[campaign_id].append(zone_id)
        return zones

    async def members_of(self, campaign_ids: Iterable[int]) -> dict[int, list[CampaignMember]]:
        rows = await self.session.scalars(
            select(CampaignMember)
            .where(CampaignMember.campaign_id.in_(list(campaign_ids)))
            .order_by(CampaignMember.campaign_id, CampaignMember.id)
        )
        members: dict[int, list[CampaignMember]] = defaultdict(list)
        for member in rows:
            members[member.campaign_id].append(member)
        return members

    async def add(self, campaign: Campaign) -> Campaign:
        self.session.add(campaign)
        await self.session.flush()
        return campaign

    async def replace_zones(self, campaign_id: int, zone_ids: Sequence[int]) -> None:
        await self.session.execute(
            delete(campaign_zones).where(campaign_zones.c.campaign_id == campaign_id)
        )
        if zone_ids:
            await self.session.execute(
                insert(campaign_zones),
                [{"campaign_id": campaign_id, "zone_id": zone_id} for zone_id in zone_ids],
            )

    async def replace_members(self, campaign_id: int, members: Sequence[MemberRow]) -> None:
        await self.session.execute(
            delete(CampaignMember).where(CampaignMember.campaign_id == campaign_id)
        )
        self.session.add_all(
            CampaignMember(
                campaign_id=campaign_id,
                full_name=member.full_name,
                role=member.role,
                user_id=member.user_id,
            )
            for member in members
        )
        await self.session.flush()

    async def lock_zones(self, zone_ids: Sequence[int]) -> set[int]:
        """The zones that exist among `zone_ids`, locked until the transaction ends, so that two
        requests assigning the same zone check for overlaps one after the other."""
        if not zone_ids:
            return set()
        rows = await self.session.scalars(
            select(IndustrialZone.id)
            .where(IndustrialZone.id.in_(zone_ids))
            .order_by(IndustrialZone.id)
            .with_for_update(key_share=True)
        )
        return set(rows)

    async def existing_users(self, user_ids: Iterable[int]) -> set[int]:
        ids = list(set(user_ids))
        if not ids:
            return set()
        return set(await self.session.scalars(select(User.id).where(User.id.in_(ids))))

    async def first_overlap(
        self,
        zone_ids: Sequence[int],
        starts_on: dt.date,
        ends_on: dt.date,
        exclude_id: int | None,
    ) -> Overlap | None:
        if not zone_ids:
            return None
        stmt = (
            select(
                campaign_zones.c.zone_id,
                Campaign.id,
                Campaign.name,
                Campaign.starts_on,
                Campaign.ends_on,
            )
            .join(Campaign, Campaign.id == campaign_zones.c.campaign_id)
            .where(
                campaign_zones.c.zone_id.in_(zone_ids),
                Campaign.starts_on <= ends_on,
                Campaign.ends_on >= starts_on,
            )
            .order_by(Campaign.starts_on, Campaign.id, campaign_zones.c.zone_id)
            .limit(1)
        )
        if exclude_id is not None:
            stmt = stmt.where(Campaign.id != exclude_id)
        row = (await self.session.execute(stmt)).first()
        return None if row is None else Overlap(*row)

    async def activity_outside(
        self, campaign_id: int, zone_ids: Sequence[int], starts_on: dt.date, ends_on: dt.date
    ) -> Row[int, dt.date, int] | None:
        """An activity already logged that the new zones or period would leave outside:
        (activity id, occurred_on, the enterprise's zone)."""
        stmt = (
            select(CampaignActivity.id, CampaignActivity.occurred_on, Enterprise.zone_id)
            .join(Enterprise, Enterprise.id == CampaignActivity.enterprise_id)
            .where(
                CampaignActivity.campaign_id == campaign_id,
                or_(
                    Enterprise.zone_id.not_in(zone_ids),
                    CampaignActivity.occurred_on < starts_on,
                    CampaignActivity.occurred_on > ends_on,
                ),
            )
            .order_by(CampaignActivity.occurred_on, CampaignActivity.id)
            .limit(1)
        )
        return (await self.session.execute(stmt)).first()

    async def references(self, campaign_id: int) -> dict[str, int]:
        """Records that would lose their campaign if it were deleted, by kind."""
        counts = (
            await self.session.execute(
                select(
                    select(func.count())
                    .where(CampaignActivity.campaign_id == campaign_id)
                    .scalar_subquery(),
                    select(func.count())
                    .where(Organization.campaign_id == campaign_id)
                    .scalar_subquery(),
                    select(func.count()).where(Target.campaign_id == campaign_id).scalar_subquery(),
                )
            )
        ).one()
        names = ("activities", "credited organizations", "targets")
        return {name: n for name, n in zip(names, counts, strict=True) if n}
