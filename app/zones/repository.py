"""Queries over industrial zones, with their enterprises and workers totalled in SQL."""

import datetime as dt
from typing import Any

from sqlalchemy import Date, Row, Select, Subquery, bindparam, func, select

from app.core.dates import today
from app.core.pagination import ListQuery, Slice
from app.core.repository import Repository, where_equal
from app.core.text import matches_search
from app.models import Enterprise, IndustrialZone
from app.party.asof import kept_on_row, open_enterprises
from app.zones.schemas import ZoneFilters
from app.zones.sorting import ZONE_ORDERINGS, ZoneSort

ZoneListQuery = ListQuery[ZoneSort, ZoneFilters]


def _with_totals(open_: Subquery) -> Select[IndustrialZone, int, int]:
    """Zones with the enterprises `open_` (app.party.asof.open_enterprises) and their
    workers."""
    totals = (
        select(
            Enterprise.zone_id,
            func.count().label("enterprises_count"),
            func.coalesce(func.sum(open_.c.workers_count), 0).label("workers_count"),
        )
        .join(open_, open_.c.enterprise_id == Enterprise.id)
        .group_by(Enterprise.zone_id)
        .subquery()
    )
    return select(
        IndustrialZone,
        func.coalesce(totals.c.enterprises_count, 0).label("enterprises_count"),
        func.coalesce(totals.c.workers_count, 0).label("workers_count"),
    ).outerjoin(totals, totals.c.zone_id == IndustrialZone.id)


# Built once (composing them cost more than running them): as of today, from the enterprises'
# rows; as of the `on` parameter, from their events.
_NOW = _with_totals(open_enterprises(today()))
_ON: Any = bindparam("on", type_=Date)  # a date, required at execution
_AS_OF = _with_totals(open_enterprises(_ON, from_events=True))


class ZoneRepository(Repository[IndustrialZone]):
    model = IndustrialZone
    noun = "industrial zone"

    async def list(self, on: dt.date, query: ZoneListQuery) -> Slice[Row[IndustrialZone, int, int]]:
        """The zones with the enterprises open on `on` and their workers."""
        filters = query.filters
        now = kept_on_row(on)
        stmt = where_equal(_NOW if now else _AS_OF, (IndustrialZone.status, filters.status))
        if filters.district:
            stmt = stmt.where(func.lower(IndustrialZone.district) == func.lower(filters.district))
        if filters.q:
            stmt = stmt.where(matches_search(IndustrialZone.search_key, filters.q))
        params = None if now else {"on": on}
        return await self._page(stmt, ZONE_ORDERINGS[query.sort], query.limit, query.cursor, params)

    async def with_totals(
        self, zone: IndustrialZone, on: dt.date
    ) -> tuple[IndustrialZone, int, int]:
        """The zone with the enterprises open in it on `on` and their workers."""
        open_ = open_enterprises(on)
        stmt = (
            select(func.count(), func.coalesce(func.sum(open_.c.workers_count), 0))
            .select_from(Enterprise)
            .join(open_, open_.c.enterprise_id == Enterprise.id)
            .where(Enterprise.zone_id == zone.id)
        )
        enterprises, workers = (await self.session.execute(stmt)).one()
        return zone, enterprises, workers
