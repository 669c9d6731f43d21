"""Queries over a campaign's activities."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import NotFound
from app.core.pagination import Ordering, SortKey, keyset
from app.models import ActivityKind, Campaign, CampaignActivity, Outcome, campaign_zones

ACTIVITY_ORDERINGS = {
    "-occurred_on": Ordering(
        "-occurred_on",
        (
            SortKey(CampaignActivity.occurred_on, "occurred_on", True),
            SortKey(CampaignActivity.id, "id", True),
        ),
    ),
    "occurred_on": Ordering(
        "occurred_on",
        (SortKey(CampaignActivity.occurred_on, "occurred_on"), SortKey(CampaignActivity.id, "id")),
    ),
}


@dataclass(frozen=True)
class ActivityFilters:
    enterprise_id: int | None = None
    outcome: Outcome | None = None
    kind: ActivityKind | None = None
    occurred_from: dt.date | None = None
    occurred_to: dt.date | None = None


class ActivityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, campaign: Campaign, activity_id: int) -> CampaignActivity:
        activity = await self.session.get(CampaignActivity, activity_id)
        if activity is None or activity.campaign_id != campaign.id:
            raise NotFound(f"activity {activity_id} of campaign {campaign.id} does not exist")
        return activity

    async def list(
        self,
        campaign: Campaign,
        filters: ActivityFilters,
        *,
        ordering: Ordering,
        limit: int,
        cursor: str | None,
    ) -> Sequence[CampaignActivity]:
        stmt = select(CampaignActivity).where(CampaignActivity.campaign_id == campaign.id)
        if filters.enterprise_id is not None:
            stmt = stmt.where(CampaignActivity.enterprise_id == filters.enterprise_id)
        if filters.outcome is not None:
            stmt = stmt.where(CampaignActivity.outcome == filters.outcome)
        if filters.kind is not None:
            stmt = stmt.where(CampaignActivity.kind == filters.kind)
        if filters.occurred_from is not None:
            stmt = stmt.where(CampaignActivity.occurred_on >= filters.occurred_from)
        if filters.occurred_to is not None:
            stmt = stmt.where(CampaignActivity.occurred_on <= filters.occurred_to)
        return (await self.session.scalars(keyset(stmt, ordering, limit, cursor))).all()

    async def covers_zone(self, campaign: Campaign, zone_id: int) -> bool:
        covered = await self.session.scalar(
            select(
                exists().where(
                    campaign_zones.c.campaign_id == campaign.id,
                    campaign_zones.c.zone_id == zone_id,
                )
            )
        )
        return bool(covered)

    async def add(self, activity: CampaignActivity) -> CampaignActivity:
        self.session.add(activity)
        await self.session.flush()
        return activity
