"""/investment-projects."""

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response, status

from app.auth.dependencies import EditorUser
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.http import IfMatch, check_if_match, set_etag
from app.core.pagination import CursorParam, LimitParam, Page, page_of
from app.core.repository import get_or_404
from app.investment_projects.repository import PROJECT_ORDERINGS, ProjectRepository
from app.investment_projects.schemas import Project, ProjectCreate, ProjectUpdate
from app.investment_projects.service import ProjectService
from app.models import InvestmentProject, ProjectStatus

router = APIRouter(prefix="/investment-projects", tags=["investment-projects"])


async def valid_project(project_id: int, session: SessionDep) -> InvestmentProject:
    return await get_or_404(session, InvestmentProject, project_id, "investment project")


ProjectDep = Annotated[InvestmentProject, Depends(valid_project)]


def _read(project: InvestmentProject, response: Response) -> Project:
    set_etag(response, project.version)
    return Project.model_validate(project)


@router.get("", response_model=Page[Project])
async def list_projects(
    session: SessionDep,
    limit: LimitParam = 50,
    cursor: CursorParam = None,
    sort: Literal["-licensed_on", "name"] = "-licensed_on",
    enterprise_id: int | None = None,
    is_fdi: bool | None = None,
    licensed_from: Annotated[
        dt.date | None, Query(description="Licensed on or after this date.")
    ] = None,
    licensed_to: Annotated[
        dt.date | None, Query(description="Licensed on or before this date.")
    ] = None,
    status: ProjectStatus | None = None,
    q: Annotated[str | None, Query(max_length=200, description="Name; accents optional.")] = None,
) -> Page[Project]:
    ordering = PROJECT_ORDERINGS[sort]
    rows = await ProjectRepository(session).list(
        ordering=ordering,
        limit=limit,
        cursor=cursor,
        enterprise_id=enterprise_id,
        is_fdi=is_fdi,
        licensed_from=licensed_from,
        licensed_to=licensed_to,
        status=status,
        q=q,
    )
    items, next_cursor = page_of(rows, ordering, limit)
    return Page(items=[Project.model_validate(p) for p in items], next_cursor=next_cursor)


@router.post("", response_model=Project, status_code=status.HTTP_201_CREATED)
async def create_project(
    data: ProjectCreate, session: SessionDep, _user: EditorUser, response: Response
) -> Project:
    project = await ProjectService(session).create(data)
    response.headers["Location"] = f"/api/v1/investment-projects/{project.id}"
    return _read(project, response)


@router.get("/{project_id}", response_model=Project)
async def get_project(project: ProjectDep, response: Response) -> Project:
    return _read(project, response)


@router.patch("/{project_id}", response_model=Project, responses=problem_responses(412))
async def update_project(
    project: ProjectDep,
    data: ProjectUpdate,
    session: SessionDep,
    _user: EditorUser,
    response: Response,
    if_match: IfMatch = None,
) -> Project:
    check_if_match(if_match, project.version)
    project = await ProjectService(session).update(project, data)
    return _read(project, response)


@router.delete(
    "/{project_id}", status_code=status.HTTP_204_NO_CONTENT, responses=problem_responses(412)
)
async def delete_project(
    project: ProjectDep, session: SessionDep, _user: EditorUser, if_match: IfMatch = None
) -> None:
    check_if_match(if_match, project.version)
    await ProjectService(session).delete(project)
