"""Queries over industrial zones."""

from collections.abc import Sequence

from sqlalchemy import Row, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.constraints import register_constraint_message
from app.core.pagination import Ordering, SortKey, keyset
from app.core.text import matches_search
from app.models import Enterprise, IndustrialZone, ZoneStatus

register_constraint_message(
    "uq_industrial_zones_code", "code", "an industrial zone with this code already exists"
)

ZONE_ORDERINGS = {
    "code": Ordering("code", (SortKey(IndustrialZone.code, "code"),)),
    "name": Ordering(
        "name", (SortKey(IndustrialZone.name, "name"), SortKey(IndustrialZone.id, "id"))
    ),
}

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


class ZoneRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list(
        self,
        *,
        ordering: Ordering,
        limit: int,
        cursor: str | None,
        status: ZoneStatus | None = None,
        district: str | None = None,
        q: str | None = None,
    ) -> Sequence[Row[IndustrialZone, int, int]]:
        stmt = _with_totals()
        if status is not None:
            stmt = stmt.where(IndustrialZone.status == status)
        if district:
            stmt = stmt.where(matches_search(IndustrialZone.search_key, district))
        if q:
            stmt = stmt.where(matches_search(IndustrialZone.search_key, q))
        return (await self.session.execute(keyset(stmt, ordering, limit, cursor))).all()

    async def totals(self, zone_id: int) -> tuple[int, int]:
        row = (
            await self.session.execute(
                select(func.count(), func.coalesce(func.sum(Enterprise.workers_count), 0)).where(
                    Enterprise.zone_id == zone_id
                )
            )
        ).one()
        return int(row[0]), int(row[1])

    async def add(self, zone: IndustrialZone) -> IndustrialZone:
        self.session.add(zone)
        await self.session.flush()
        return zone
