"""Queries over a campaign's activities."""

import builtins
from collections.abc import Iterable, Sequence

from sqlalchemy import delete, insert, select

from app.campaigns.activities.schemas import ActivityFilters
from app.campaigns.activities.sorting import ACTIVITY_ORDERINGS, ActivitySort
from app.core.errors import NotFound
from app.core.pagination import ListQuery, Slice
from app.core.repository import Repository, where_equal
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
        ids = list(activity_ids)
        found: dict[int, builtins.list[int]] = {ident: [] for ident in ids}
        if ids:
            rows = await self.session.execute(
                select(activity_materials.c.activity_id, activity_materials.c.material_id)
                .where(activity_materials.c.activity_id.in_(ids))
                .order_by(activity_materials.c.material_id)
            )
            for activity_id, material_id in rows:
                found[activity_id].append(material_id)
        return found

    async def set_materials(self, activity: CampaignActivity, material_ids: Sequence[int]) -> None:
        table = activity_materials
        await self.session.execute(delete(table).where(table.c.activity_id == activity.id))
        if material_ids:
            await self.session.execute(
                insert(table),
                [
                    {"activity_id": activity.id, "material_id": m}
                    for m in dict.fromkeys(material_ids)
                ],
            )

    async def languages_of(self, material_ids: Iterable[int]) -> dict[int, str]:
        rows = await self.session.execute(
            select(Material.id, Material.language).where(Material.id.in_(list(material_ids)))
        )
        return {ident: language for ident, language in rows}  # noqa: C416 (rows, not pairs)
