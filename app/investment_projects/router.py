"""/investment-projects."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from app.auth.dependencies import EditorUser
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.http import IfMatch, check_if_match, set_etag, set_location
from app.core.idempotency import IdempotentRoute
from app.core.pagination import Page, list_query
from app.core.repository import path_row
from app.investment_projects.repository import ProjectListQuery, ProjectRepository
from app.investment_projects.schemas import Project, ProjectCreate, ProjectFilters, ProjectUpdate
from app.investment_projects.service import ProjectService
from app.investment_projects.sorting import ProjectSort
from app.models import InvestmentProject

router = APIRouter(
    prefix="/investment-projects", tags=["investment-projects"], route_class=IdempotentRoute
)


ProjectDep = Annotated[InvestmentProject, Depends(path_row(ProjectRepository, "project_id"))]
ProjectQuery = Annotated[
    ProjectListQuery, Depends(list_query(ProjectSort, "-licensed_on", ProjectFilters))
]


def _read(project: InvestmentProject, response: Response) -> Project:
    set_etag(response, project.version)
    return Project.model_validate(project)


@router.get("", name="list", response_model=Page[Project])
async def list_projects(session: SessionDep, query: ProjectQuery) -> Page[Project]:
    """Investment projects, most recently licensed first (default) or by name. Filter by
    enterprise_id, is_fdi, a licensed_from / licensed_to range, status or q (name)."""
    return (await ProjectRepository(session).list(query)).page(Project.model_validate)


@router.post("", name="create", response_model=Project, status_code=status.HTTP_201_CREATED)
async def create_project(
    data: ProjectCreate, session: SessionDep, _user: EditorUser, response: Response
) -> Project:
    """Record a project of a known enterprise (editors and admins); is_fdi defaults to whether the
    enterprise is fdi. terminated_on is for a terminated project only, and required there, not
    before licensed_on (422)."""
    project = await ProjectService(session).create(data)
    set_location(response, "investment-projects", project.id)
    return _read(project, response)


@router.get("/{project_id}", name="get", response_model=Project)
async def get_project(project: ProjectDep, response: Response) -> Project:
    """One investment project with its ETag."""
    return _read(project, response)


@router.patch(
    "/{project_id}", name="update", response_model=Project, responses=problem_responses(412)
)
async def update_project(
    project: ProjectDep,
    data: ProjectUpdate,
    session: SessionDep,
    _user: EditorUser,
    response: Response,
    if_match: IfMatch = None,
) -> Project:
    """Change a project (editors and admins), checked merged as on create; is_fdi is kept when it
    moves to another enterprise. A stale If-Match is a 412."""
    check_if_match(if_match, project.version)
    project = await ProjectService(session).update(project, data)
    return _read(project, response)


@router.delete(
    "/{project_id}",
    name="delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(412),
)
async def delete_project(
    project: ProjectDep, session: SessionDep, _user: EditorUser, if_match: IfMatch = None
) -> None:
    """Delete a project (editors and admins). A stale If-Match is a 412."""
    check_if_match(if_match, project.version)
    await ProjectService(session).delete(project)
