"""Queries over industrial zones, with their enterprises and workers totalled in SQL."""

from sqlalchemy import Row, Select, func, select

from app.core.pagination import ListQuery, Slice
from app.core.repository import Repository, where_equal
from app.core.text import matches_search
from app.models import Enterprise, IndustrialZone
from app.zones.schemas import ZoneFilters
from app.zones.sorting import ZONE_ORDERINGS, ZoneSort

ZoneListQuery = ListQuery[ZoneSort, ZoneFilters]

_totals = (
    select(
        Enterprise.zone_id,
        func.count().label("enterprises_count"),
        func.coalesce(func.sum(Enterprise.workers_count), 0).label("workers_count"),
    )
    .group_by(Enterprise.zone_id)
    .subquery()
)


def _with_totals() -> Select[IndustrialZone, int, int]:
    return select(
        IndustrialZone,
        func.coalesce(_totals.c.enterprises_count, 0).label("enterprises_count"),
        func.coalesce(_totals.c.workers_count, 0).label("workers_count"),
    ).outerjoin(_totals, _totals.c.zone_id == IndustrialZone.id)


class ZoneRepository(Repository[IndustrialZone]):
    model = IndustrialZone
    noun = "industrial zone"

    async def list(self, query: ZoneListQuery) -> Slice[Row[IndustrialZone, int, int]]:
        filters = query.filters
        stmt = where_equal(_with_totals(), (IndustrialZone.status, filters.status))
        if filters.district:
            stmt = stmt.where(func.lower(IndustrialZone.district) == func.lower(filters.district))
        if filters.q:
            stmt = stmt.where(matches_search(IndustrialZone.search_key, filters.q))
        return await self._page(stmt, ZONE_ORDERINGS[query.sort], query.limit, query.cursor)

    async def with_totals(self, zone: IndustrialZone) -> tuple[IndustrialZone, int, int]:
        """The zone with its enterprises and their workers counted."""
        stmt = select(func.count(), func.coalesce(func.sum(Enterprise.workers_count), 0)).where(
            Enterprise.zone_id == zone.id
        )
        enterprises, workers = (await self.session.execute(stmt)).one()
        return zone, enterprises, workers
