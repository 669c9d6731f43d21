"""Queries over investment projects."""

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.pagination import Ordering, SortKey, keyset
from app.core.text import matches_search
from app.models import InvestmentProject, ProjectStatus

PROJECT_ORDERINGS = {
    "-licensed_on": Ordering(
        "-licensed_on",
        (
            SortKey(InvestmentProject.licensed_on, "licensed_on", True),
            SortKey(InvestmentProject.id, "id", True),
        ),
    ),
    "name": Ordering(
        "name", (SortKey(InvestmentProject.name, "name"), SortKey(InvestmentProject.id, "id"))
    ),
}


class ProjectRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list(
        self,
        *,
        ordering: Ordering,
        limit: int,
        cursor: str | None,
        enterprise_id: int | None = None,
        is_fdi: bool | None = None,
        licensed_from: dt.date | None = None,
        licensed_to: dt.date | None = None,
        status: ProjectStatus | None = None,
        q: str | None = None,
    ) -> Sequence[InvestmentProject]:
        stmt = select(InvestmentProject)
        if enterprise_id is not None:
            stmt = stmt.where(InvestmentProject.enterprise_id == enterprise_id)
        if is_fdi is not None:
            stmt = stmt.where(InvestmentProject.is_fdi == is_fdi)
        if licensed_from is not None:
            stmt = stmt.where(InvestmentProject.licensed_on >= licensed_from)
        if licensed_to is not None:
            stmt = stmt.where(InvestmentProject.licensed_on <= licensed_to)
        if status is not None:
            stmt = stmt.where(InvestmentProject.status == status)
        if q:
            stmt = stmt.where(matches_search(InvestmentProject.search_key, q))
        return (await self.session.scalars(keyset(stmt, ordering, limit, cursor))).all()

    async def add(self, project: InvestmentProject) -> InvestmentProject:
        self.session.add(project)
        await self.session.flush()
        return project

    async def delete(self, project: InvestmentProject) -> None:
        await self.session.delete(project)
        await self.session.flush()
