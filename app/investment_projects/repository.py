"""Queries over investment projects."""

from sqlalchemy import select

from app.core.pagination import ListQuery, Slice
from app.core.repository import Repository, where_equal
from app.core.text import matches_search
from app.investment_projects.schemas import ProjectFilters
from app.investment_projects.sorting import PROJECT_ORDERINGS, ProjectSort
from app.models import InvestmentProject

ProjectListQuery = ListQuery[ProjectSort, ProjectFilters]


class ProjectRepository(Repository[InvestmentProject]):
    model = InvestmentProject
    noun = "investment project"

    async def list(self, query: ProjectListQuery) -> Slice[InvestmentProject]:
        filters = query.filters
        stmt = where_equal(
            select(InvestmentProject),
            (InvestmentProject.enterprise_id, filters.enterprise_id),
            (InvestmentProject.is_fdi, filters.is_fdi),
        )
        if filters.licensed_from is not None:
            stmt = stmt.where(InvestmentProject.licensed_on >= filters.licensed_from)
        if filters.licensed_to is not None:
            stmt = stmt.where(InvestmentProject.licensed_on <= filters.licensed_to)
        stmt = where_equal(stmt, (InvestmentProject.status, filters.status))
        if filters.q:
            stmt = stmt.where(matches_search(InvestmentProject.search_key, filters.q))
        return await self._scalar_page(
            stmt, PROJECT_ORDERINGS[query.sort], query.limit, query.cursor
        )
