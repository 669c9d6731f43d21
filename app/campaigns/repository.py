"""Queries over campaigns, their zones and members, and the records that refer to them."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Row, delete, exists, func, insert, or_, select

from app.campaigns.schemas import CampaignFilters, CampaignRow
from app.campaigns.sorting import CAMPAIGN_ORDERINGS, CampaignSort
from app.core.pagination import ListQuery, Slice
from app.core.reads import Prepared, any_of, column_keys, detached
from app.core.repository import Repository, where_equal
from app.core.text import matches_search
from app.models import (
    Campaign,
    CampaignActivity,
    CampaignMember,
    Enterprise,
    IndustrialZone,
    Organization,
    PlannedVisit,
    Target,
    VisitStatus,
    campaign_zones,
)

CampaignListQuery = ListQuery[CampaignSort, CampaignFilters]


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


def _covers(campaign_id: object, zone_id: int) -> ColumnElement[bool]:
    """The campaign covers the zone."""
    return exists().where(
        campaign_zones.c.campaign_id == campaign_id, campaign_zones.c.zone_id == zone_id
    )


# A page of campaigns' zones and members: built once, run on the driver (app/core/reads.py).
_CAMPAIGN_IDS = any_of("ids")
_ZONES_OF = Prepared(
    select(campaign_zones.c.campaign_id, campaign_zones.c.zone_id)
    .where(campaign_zones.c.campaign_id == _CAMPAIGN_IDS)
    .order_by(campaign_zones.c.campaign_id, campaign_zones.c.zone_id)
)
_MEMBERS_OF = Prepared(
    select(*(getattr(CampaignMember, key).label(key) for key in column_keys(CampaignMember)))
    .where(CampaignMember.campaign_id == _CAMPAIGN_IDS)
    .order_by(CampaignMember.campaign_id, CampaignMember.id)
)


class CampaignRepository(Repository[Campaign]):
    # `list` comes last: below it, `list[...]` in an annotation would name the method.
    model = Campaign
    noun = "campaign"

    async def with_details(self, campaigns: Sequence[Campaign]) -> list[CampaignRow]:
        """The campaigns with their zones and members: two statements for any number."""
        ids = [campaign.id for campaign in campaigns]
        zones = await self.zones_of(ids)
        members = await self.members_of(ids)
        return [(c, zones.get(c.id, []), members.get(c.id, [])) for c in campaigns]

    async def covers_zone(self, campaign: Campaign, zone_id: int) -> bool:
        return bool(await self.session.scalar(select(_covers(campaign.id, zone_id))))

    async def zones_of(self, campaign_ids: Iterable[int]) -> dict[int, list[int]]:
        zones: dict[int, list[int]] = defaultdict(list)
        for campaign_id, zone_id in await _ZONES_OF.all(self.session, ids=list(campaign_ids)):
            zones[campaign_id].append(zone_id)
        return zones

    async def members_of(self, campaign_ids: Iterable[int]) -> dict[int, list[CampaignMember]]:
        """Each campaign's members, as objects no session holds (read, never written)."""
        members: dict[int, list[CampaignMember]] = defaultdict(list)
        for row in await _MEMBERS_OF.all(self.session, ids=list(campaign_ids)):
            members[row["campaign_id"]].append(detached(CampaignMember, row))
        return members

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
        (id, on, the enterprise's zone)."""
        return await self._first_outside(
            CampaignActivity,
            CampaignActivity.occurred_on,
            campaign_id,
            zone_ids,
            starts_on,
            ends_on,
        )

    async def visit_outside(
        self, campaign_id: int, zone_ids: Sequence[int], starts_on: dt.date, ends_on: dt.date
    ) -> Row[int, dt.date, int] | None:
        """A planned visit, not cancelled, that the new zones or period would leave outside:
        (id, on, the enterprise's zone)."""
        return await self._first_outside(
            PlannedVisit,
            PlannedVisit.planned_on,
            campaign_id,
            zone_ids,
            starts_on,
            ends_on,
            PlannedVisit.status != VisitStatus.CANCELLED,
        )

    async def _first_outside(
        self,
        model: type[CampaignActivity] | type[PlannedVisit],
        day: Any,
        campaign_id: int,
        zone_ids: Sequence[int],
        starts_on: dt.date,
        ends_on: dt.date,
        *conditions: ColumnElement[bool],
    ) -> Row[int, dt.date, int] | None:
        """The campaign's earliest `model` row (an activity, a visit) of an enterprise outside
        `zone_ids` or dated outside the period: (id, on, the enterprise's zone)."""
        stmt = (
            select(model.id, day.label("on"), Enterprise.zone_id)
            .join(Enterprise, Enterprise.id == model.enterprise_id)
            .where(
                model.campaign_id == campaign_id,
                *conditions,
                or_(Enterprise.zone_id.not_in(zone_ids), day < starts_on, day > ends_on),
            )
            .order_by(day, model.id)
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
                    select(func.count())
                    .where(PlannedVisit.campaign_id == campaign_id)
                    .scalar_subquery(),
                )
            )
        ).one()
        names = ("activities", "credited organizations", "targets", "planned visits")
        return {name: n for name, n in zip(names, counts, strict=True) if n}

    async def list(self, query: CampaignListQuery) -> Slice[CampaignRow]:
        filters = query.filters
        stmt = where_equal(
            select(Campaign),
            (Campaign.status, filters.status),
            (Campaign.leader_id, filters.leader_id),
        )
        if filters.zone_id is not None:
            stmt = stmt.where(_covers(Campaign.id, filters.zone_id))
        if filters.active_on is not None:
            stmt = stmt.where(
                Campaign.starts_on <= filters.active_on, Campaign.ends_on >= filters.active_on
            )
        if filters.q:
            stmt = stmt.where(matches_search(Campaign.search_key, filters.q))
        campaigns = await self._scalar_page(
            stmt, CAMPAIGN_ORDERINGS[query.sort], query.limit, query.cursor
        )
        return Slice(await self.with_details(campaigns.items), campaigns.next_cursor)
