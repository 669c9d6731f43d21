"""/organizations: structure, establishment, dissolution, and members counted on a date."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from app import models
from app.auth.dependencies import EditorUser
from app.core.dates import today
from app.core.db import ReplicaSessionDep, SessionDep
from app.core.errors import problem_responses
from app.core.http import IfMatch, check_if_match, set_etag, set_location
from app.core.idempotency import IdempotentRoute
from app.core.pagination import Page, list_query
from app.core.repository import path_row
from app.organizations.repository import OrganizationListQuery, OrganizationRepository
from app.organizations.schemas import (
    Dissolution,
    Organization,
    OrganizationCreate,
    OrganizationFilters,
    OrganizationUpdate,
)
from app.organizations.service import OrganizationService
from app.organizations.sorting import OrganizationSort

router = APIRouter(prefix="/organizations", tags=["organizations"], route_class=IdempotentRoute)
WRITE_RESPONSES = problem_responses(409, 412)


OrganizationDep = Annotated[
    models.Organization, Depends(path_row(OrganizationRepository, "organization_id"))
]
OrganizationQuery = Annotated[
    OrganizationListQuery,
    Depends(list_query(OrganizationSort, "name", OrganizationFilters)),
]


async def _read(
    session: SessionDep, organization: models.Organization, response: Response
) -> Organization:
    set_etag(response, organization.version)
    on = today()
    row = await OrganizationRepository(session).with_counts(organization, on)
    return Organization.from_row(row, on)


@router.get("", name="list", response_model=Page[Organization])
async def list_organizations(
    session: ReplicaSessionDep, query: OrganizationQuery
) -> Page[Organization]:
    """Organizations with their members, active cells and flags on as_of (today by default; as_of
    also keeps only those active then), by name (default) or established_on, either way. Filter by
    kind, parent_id, enterprise_id, zone_id, sector, active_on or q (name, decision number)."""
    on = query.filters.as_of or today()
    rows = await OrganizationRepository(session).list(on, query)
    return rows.page(lambda row: Organization.from_row(row, on))


@router.post(
    "",
    name="create",
    response_model=Organization,
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_RESPONSES,
)
async def create_organization(
    data: OrganizationCreate, session: SessionDep, _user: EditorUser, response: Response
) -> Organization:
    """Establish an organization (thành lập)."""
    organization = await OrganizationService(session).create(data)
    set_location(response, "organizations", organization.id)
    return await _read(session, organization, response)


@router.get("/{organization_id}", name="get", response_model=Organization)
async def get_organization(
    organization: OrganizationDep, session: SessionDep, response: Response
) -> Organization:
    """One organization with its members, active affiliated cells and flags as of today, and
    its ETag."""
    return await _read(session, organization, response)


@router.patch(
    "/{organization_id}", name="update", response_model=Organization, responses=WRITE_RESPONSES
)
async def update_organization(
    organization: OrganizationDep,
    data: OrganizationUpdate,
    session: SessionDep,
    _user: EditorUser,
    response: Response,
    if_match: IfMatch = None,
) -> Organization:
    """Change name, established_on, decision_no, campaign_id or notes (editors and admins). An
    established_on in the future, after dissolution or after the first member recorded in it is a
    422; a stale If-Match a 412."""
    check_if_match(if_match, organization.version)
    organization = await OrganizationService(session).update(organization, data)
    return await _read(session, organization, response)


@router.post(
    "/{organization_id}/dissolve",
    name="dissolve",
    response_model=Organization,
    responses=WRITE_RESPONSES,
)
async def dissolve_organization(
    organization: OrganizationDep,
    data: Dissolution,
    session: SessionDep,
    _user: EditorUser,
    response: Response,
    if_match: IfMatch = None,
) -> Organization:
    """Dissolve (giải thể) an organization with no active members or affiliated cells; its
    history stays."""
    check_if_match(if_match, organization.version)
    organization = await OrganizationService(session).dissolve(organization, data)
    return await _read(session, organization, response)


@router.delete(
    "/{organization_id}",
    name="delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=WRITE_RESPONSES,
)
async def delete_organization(
    organization: OrganizationDep, session: SessionDep, _user: EditorUser, if_match: IfMatch = None
) -> None:
    """Delete an organization entered by mistake, when nothing refers to it (409 otherwise);
    real ones are dissolved."""
    check_if_match(if_match, organization.version)
    await OrganizationService(session).delete(organization)
