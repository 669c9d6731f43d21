"""Queries over a campaign's activities."""

import builtins
from collections.abc import Iterable, Sequence

from sqlalchemy import select

from app.campaigns.activities.schemas import ActivityFilters
from app.campaigns.activities.sorting import ACTIVITY_ORDERINGS, ActivitySort
from app.core.errors import NotFound
from app.core.pagination import ListQuery, Slice
from app.core.repository import Repository, where_equal
from app.materials.links import link_materials, linked_materials
from app.models import Campaign, CampaignActivity, Material, activity_materials

ActivityListQuery = ListQuery[ActivitySort, ActivityFilters]


class ActivityRepository(Repository[CampaignActivity]):
    model = CampaignActivity
    noun = "activity"

    async def get_in(self, campaign: Campaign, activity_id: int) -> CampaignActivity:
        """The activity, which must be one of the campaign's (404 otherwise)."""
        activity = await self.get_or_none(activity_id)
        if activity is None or activity.campaign_id != campaign.id:
            raise NotFound(f"activity {activity_id} of campaign {campaign.id} does not exist")
        return activity

    async def list(self, campaign: Campaign, query: ActivityListQuery) -> Slice[CampaignActivity]:
        filters = query.filters
        stmt = where_equal(
            select(CampaignActivity).where(CampaignActivity.campaign_id == campaign.id),
            (CampaignActivity.enterprise_id, filters.enterprise_id),
            (CampaignActivity.outcome, filters.outcome),
            (CampaignActivity.kind, filters.kind),
        )
        if filters.occurred_from is not None:
            stmt = stmt.where(CampaignActivity.occurred_on >= filters.occurred_from)
        if filters.occurred_to is not None:
            stmt = stmt.where(CampaignActivity.occurred_on <= filters.occurred_to)
        return await self._scalar_page(
            stmt, ACTIVITY_ORDERINGS[query.sort], query.limit, query.cursor
        )

    async def material_ids(self, activity_ids: Iterable[int]) -> dict[int, builtins.list[int]]:
        """The materials each activity handed over, by id."""
        return await linked_materials(self.session, activity_materials, "activity_id", activity_ids)

    async def set_materials(self, activity: CampaignActivity, material_ids: Sequence[int]) -> None:
        await link_materials(
            self.session, activity_materials, "activity_id", activity.id, material_ids
        )

    async def languages_of(self, material_ids: Iterable[int]) -> dict[int, str]:
        rows = await self.session.execute(
            select(Material.id, Material.language).where(Material.id.in_(list(material_ids)))
        )
        return {ident: language for ident, language in rows}  # noqa: C416 (rows, not pairs)
