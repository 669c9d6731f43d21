"""/enterprises."""

from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Response, status

from app import models
from app.auth.dependencies import CurrentUser, EditorUser
from app.core.dates import today
from app.core.db import ReplicaSessionDep, SessionDep
from app.core.errors import problem_responses
from app.core.http import IfMatch, check_if_match, constructed, set_etag, set_location
from app.core.idempotency import IdempotentRoute
from app.core.pagination import Page, list_query
from app.core.repository import path_row
from app.enterprises.repository import (
    EnterpriseEventListQuery,
    EnterpriseListQuery,
    EnterpriseRepository,
)
from app.enterprises.schemas import (
    Closure,
    Enterprise,
    EnterpriseCreate,
    EnterpriseEvent,
    EnterpriseFilters,
    EnterpriseUpdate,
    Reopening,
    WorkforceReport,
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
EnterpriseEventQuery = Annotated[EnterpriseEventListQuery, Depends(list_query())]
ACTION_RESPONSES = problem_responses(409, 412)
Body = TypeVar("Body")


async def _read(
    session: SessionDep, enterprise: models.Enterprise, response: Response
) -> Enterprise:
    set_etag(response, enterprise.version)
    return Enterprise.from_row(await EnterpriseRepository(session).with_counts(enterprise, today()))


@router.get("", name="list", response_model=Page[Enterprise])
async def list_enterprises(session: ReplicaSessionDep, query: EnterpriseQuery) -> Page[Enterprise]:
    """Enterprises with their party organization and the members they employ today, by name
    (default), tax_code or -workers_count (today's count). Filter by zone_id (repeatable),
    ownership, investor_country, status, has_organization or q (name, foreign name, tax code).
    With as_of: only the enterprises open that day, their workers and members then."""
    on = query.filters.as_of or today()
    return (await EnterpriseRepository(session).list(on, query)).page(Enterprise.from_row)


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
    enterprise = await EnterpriseService(session, _user).create(data)
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
    enterprise = await EnterpriseService(session, _user).update(enterprise, data)
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


class _Action:
    """What every dated step does around its rule, as the members' actions do: check If-Match,
    run the service's step as the editor, and answer with the enterprise and its new ETag."""

    def __init__(
        self,
        enterprise: EnterpriseDep,
        session: SessionDep,
        user: EditorUser,
        response: Response,
        if_match: IfMatch = None,
    ) -> None:
        self.enterprise, self.session, self.user = enterprise, session, user
        self.response, self.if_match = response, if_match

    async def __call__(
        self,
        step: Callable[[EnterpriseService, models.Enterprise, Body], Awaitable[models.Enterprise]],
        data: Body,
    ) -> Enterprise:
        check_if_match(self.if_match, self.enterprise.version)
        enterprise = await step(EnterpriseService(self.session, self.user), self.enterprise, data)
        return await _read(self.session, enterprise, self.response)


ActionDep = Annotated[_Action, Depends(constructed(_Action))]


@router.post(
    "/{enterprise_id}/close", name="close", response_model=Enterprise, responses=ACTION_RESPONSES
)
async def close_enterprise(data: Closure, act: ActionDep) -> Enterprise:
    """Record that the enterprise closed (dissolved, bankrupt, ceased) on closed_on: from that
    day it is out of every count as of a date. 409 when already closed; 422 in the future or
    before its latest recorded step."""
    return await act(EnterpriseService.close, data)


@router.post(
    "/{enterprise_id}/reopen", name="reopen", response_model=Enterprise, responses=ACTION_RESPONSES
)
async def reopen_enterprise(data: Reopening, act: ActionDep) -> Enterprise:
    """Record that a closed enterprise operates again from reopened_on. 409 when it is not
    closed; 422 in the future or before its closing."""
    return await act(EnterpriseService.reopen, data)


@router.post(
    "/{enterprise_id}/workforce",
    name="report-workforce",
    response_model=Enterprise,
    responses=ACTION_RESPONSES,
)
async def report_workforce(data: WorkforceReport, act: ActionDep) -> Enterprise:
    """Record the enterprise's workers on reported_on (a later report of the same day replaces
    it); counts as of a date use the latest report on or before it. 422 in the future, before
    registration, or on a day it was closed."""
    return await act(EnterpriseService.report_workforce, data)


@router.get("/{enterprise_id}/events", name="list-events", response_model=Page[EnterpriseEvent])
async def list_enterprise_events(
    enterprise: EnterpriseDep, session: SessionDep, _user: CurrentUser, query: EnterpriseEventQuery
) -> Page[EnterpriseEvent]:
    """The enterprise's dated history, oldest first: registered (with its first workers
    count), closed (with the reason), reopened, workforce_reported."""
    events = await EnterpriseRepository(session).events(enterprise, query)
    return events.page(EnterpriseEvent.model_validate)
