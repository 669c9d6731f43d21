"""Queries over the materials library, and the language coverage of a campaign's pipeline."""

import builtins
import datetime as dt
from typing import Any

from sqlalchemy import Row, String, cast, func, select, union_all

from app.campaigns.results.pipeline import ranked_subquery
from app.core.dates import recorded_by
from app.core.pagination import ListQuery, Slice
from app.core.repository import Repository, where_equal
from app.core.text import matches_search
from app.materials.schemas import MaterialFilters
from app.materials.sorting import MATERIAL_ORDERINGS, MaterialSort
from app.models import (
    Campaign,
    CampaignActivity,
    Material,
    MaterialFile,
    activity_materials,
)

MaterialListQuery = ListQuery[MaterialSort, MaterialFilters]


class MaterialRepository(Repository[Material]):
    model = Material
    noun = "material"

    async def list(self, query: MaterialListQuery) -> Slice[Material]:
        filters = query.filters
        stmt = where_equal(
            select(Material),
            (Material.language, filters.language),
            (Material.kind, filters.kind),
            (Material.topic, filters.topic),
        )
        if filters.q:
            stmt = stmt.where(matches_search(Material.search_key, filters.q))
        return await self._scalar_page(
            stmt, MATERIAL_ORDERINGS[query.sort], query.limit, query.cursor
        )

    async def by_sha256(self, digest: str) -> Material | None:
        return await self.session.scalar(select(Material).where(Material.sha256 == digest))

    async def content(self, material: Material) -> bytes | None:
        stmt = select(MaterialFile.content).where(MaterialFile.material_id == material.id)
        return await self.session.scalar(stmt)

    async def coverage(self, campaign: Campaign, on: dt.date) -> builtins.list[Row[Any]]:
        """Per language suggested for the pipeline's owners on `on`: its enterprises, those the
        campaign handed material in that language by then (an activity's material_language,
        or a material it handed over), and the library's materials in it created by then."""
        pipeline = ranked_subquery(campaign, on)
        a = CampaignActivity
        handed = union_all(
            select(a.enterprise_id, a.material_language.label("language")).where(
                a.campaign_id == campaign.id,
                a.occurred_on <= on,
                a.material_language.is_not(None),
            ),
            select(a.enterprise_id, cast(Material.language, String).label("language"))
            .join(activity_materials, activity_materials.c.activity_id == a.id)
            .join(Material, Material.id == activity_materials.c.material_id)
            .where(a.campaign_id == campaign.id, a.occurred_on <= on),
        ).subquery("handed")
        received = select(handed.c.enterprise_id, handed.c.language).distinct().subquery("received")
        library = (
            select(Material.language, func.count().label("materials"))
            .where(recorded_by(Material.created_at, on))
            .group_by(Material.language)
            .subquery("library")
        )
        stmt = (
            select(
                pipeline.c.suggested_language.label("language"),
                func.count().label("enterprises"),
                func.count(received.c.enterprise_id).label("received"),
                func.coalesce(func.max(library.c.materials), 0).label("library_materials"),
            )
            .select_from(pipeline)
            .outerjoin(
                received,
                (received.c.enterprise_id == pipeline.c.enterprise_id)
                & (received.c.language == pipeline.c.suggested_language),
            )
            .outerjoin(library, library.c.language == pipeline.c.suggested_language)
            .group_by(pipeline.c.suggested_language)
            .order_by(func.count().desc(), pipeline.c.suggested_language)
        )
        return list((await self.session.execute(stmt)).all())
