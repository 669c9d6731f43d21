"""/enterprises."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from app import models
from app.auth.dependencies import EditorUser
from app.core.dates import today
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.http import IfMatch, check_if_match, set_etag, set_location
from app.core.idempotency import IdempotentRoute
from app.core.pagination import Page, list_query
from app.core.repository import path_row
from app.enterprises.repository import EnterpriseListQuery, EnterpriseRepository
from app.enterprises.schemas import (
    Enterprise,
    EnterpriseCreate,
    EnterpriseFilters,
    EnterpriseUpdate,
)
from app.enterprises.service import EnterpriseService
from app.enterprises.sorting import EnterpriseSort

router = APIRouter(prefix="/enterprises", tags=["enterprises"], route_class=IdempotentRoute)


EnterpriseDep = Annotated[
    models.Enterprise, Depends(path_row(EnterpriseRepository, "enterprise_id"))
]
EnterpriseQuery = Annotated[
    EnterpriseListQuery, Depends(list_query(EnterpriseSort, "name", EnterpriseFilters))
]


async def _read(
    session: SessionDep, enterprise: models.Enterprise, response: Response
) -> Enterprise:
    set_etag(response, enterprise.version)
    return Enterprise.from_row(await EnterpriseRepository(session).with_counts(enterprise, today()))


@router.get("", name="list", response_model=Page[Enterprise])
async def list_enterprises(session: SessionDep, query: EnterpriseQuery) -> Page[Enterprise]:
    """Enterprises with their party organization and the members they employ today, by name
    (default), tax_code or -workers_count. Filter by zone_id (repeatable), ownership,
    investor_country, status, has_organization or q (name, foreign name, tax code)."""
    return (await EnterpriseRepository(session).list(today(), query)).page(Enterprise.from_row)


@router.post(
    "",
    name="create",
    response_model=Enterprise,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(409),
)
async def create_enterprise(
    data: EnterpriseCreate, session: SessionDep, _user: EditorUser, response: Response
) -> Enterprise:
    """Register an enterprise in a known zone (editors and admins). A tax_code already registered is
    a 409; investor_country is required for fdi ownership and refused for the others (422)."""
    enterprise = await EnterpriseService(session).create(data)
    set_location(response, "enterprises", enterprise.id)
    return await _read(session, enterprise, response)


@router.get("/{enterprise_id}", name="get", response_model=Enterprise)
async def get_enterprise(
    enterprise: EnterpriseDep, session: SessionDep, response: Response
) -> Enterprise:
    """One enterprise with its party organization, the members it employs today, and its ETag."""
    return await _read(session, enterprise, response)


@router.patch(
    "/{enterprise_id}",
    name="update",
    response_model=Enterprise,
    responses=problem_responses(409, 412),
)
async def update_enterprise(
    enterprise: EnterpriseDep,
    data: EnterpriseUpdate,
    session: SessionDep,
    _user: EditorUser,
    response: Response,
    if_match: IfMatch = None,
) -> Enterprise:
    """Change an enterprise (editors and admins), checked merged as on create: a tax_code in use is
    a 409, investor_country only and always for fdi (422). A stale If-Match is a 412."""
    check_if_match(if_match, enterprise.version)
    enterprise = await EnterpriseService(session).update(enterprise, data)
    return await _read(session, enterprise, response)


@router.delete(
    "/{enterprise_id}",
    name="delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(409, 412),
)
async def delete_enterprise(
    enterprise: EnterpriseDep, session: SessionDep, _user: EditorUser, if_match: IfMatch = None
) -> None:
    """Delete an enterprise nothing refers to (409 while members, organizations or investment
    projects do); its contacts are deleted with it."""
    check_if_match(if_match, enterprise.version)
    await EnterpriseService(session).delete(enterprise)
