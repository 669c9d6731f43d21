"""/enterprises."""

from collections.abc import Sequence
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response, status

from app.auth.dependencies import EditorUser
from app.core.dates import today
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.http import IfMatch, check_if_match, set_etag
from app.core.pagination import CursorParam, LimitParam, Page, page_of
from app.core.repository import get_or_404
from app.enterprises.repository import ENTERPRISE_ORDERINGS, EnterpriseRepository
from app.enterprises.schemas import Enterprise, EnterpriseCreate, EnterpriseUpdate
from app.enterprises.service import EnterpriseService
from app.models import Enterprise as EnterpriseRecord
from app.models import EnterpriseStatus, Ownership
from app.party.asof import MemberCounts, employment_counts

router = APIRouter(prefix="/enterprises", tags=["enterprises"])


async def valid_enterprise(enterprise_id: int, session: SessionDep) -> EnterpriseRecord:
    return await get_or_404(session, EnterpriseRecord, enterprise_id, "enterprise")


EnterpriseDep = Annotated[EnterpriseRecord, Depends(valid_enterprise)]


async def _views(
    session: SessionDep, rows: Sequence[tuple[EnterpriseRecord, int | None]]
) -> list[Enterprise]:
    """Read models with the members employed, counted for the whole page in one query."""
    counts = await employment_counts(session, [e.id for e, _ in rows], today())
    views = []
    for enterprise, organization_id in rows:
        employed = counts.get(enterprise.id, MemberCounts())
        views.append(
            Enterprise.model_validate(enterprise).model_copy(
                update={
                    "party_organization_id": organization_id,
                    "official_members": employed.official,
                    "probationary_members": employed.probationary,
                    "candidates": employed.candidates,
                }
            )
        )
    return views


async def _read(
    session: SessionDep, enterprise: EnterpriseRecord, response: Response
) -> Enterprise:
    organization_id = await EnterpriseRepository(session).party_organization_id(enterprise)
    set_etag(response, enterprise.version)
    [view] = await _views(session, [(enterprise, organization_id)])
    return view


@router.get("", response_model=Page[Enterprise])
async def list_enterprises(
    session: SessionDep,
    limit: LimitParam = 50,
    cursor: CursorParam = None,
    sort: Literal["name", "tax_code", "-workers_count"] = "name",
    zone_id: Annotated[
        list[int] | None,
        Query(description="Repeat to match any of several zones: `?zone_id=1&zone_id=2`."),
    ] = None,
    ownership: Ownership | None = None,
    investor_country: Annotated[
        str | None,
        Query(pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2, any case."),
    ] = None,
    status: EnterpriseStatus | None = None,
    has_organization: Annotated[
        bool | None, Query(description="Whether it has an active party organization.")
    ] = None,
    q: Annotated[
        str | None,
        Query(max_length=200, description="Name, foreign name or tax code; accents optional."),
    ] = None,
) -> Page[Enterprise]:
    ordering = ENTERPRISE_ORDERINGS[sort]
    rows = await EnterpriseRepository(session).list(
        ordering=ordering,
        limit=limit,
        cursor=cursor,
        zone_ids=zone_id,
        ownership=ownership,
        investor_country=investor_country,
        status=status,
        has_organization=has_organization,
        q=q,
    )
    items, next_cursor = page_of(rows, ordering, limit)
    views = await _views(session, [(row[0], row[1]) for row in items])
    return Page(items=views, next_cursor=next_cursor)


@router.post(
    "",
    response_model=Enterprise,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(409),
)
async def create_enterprise(
    data: EnterpriseCreate, session: SessionDep, _user: EditorUser, response: Response
) -> Enterprise:
    enterprise = await EnterpriseService(session).create(data)
    response.headers["Location"] = f"/api/v1/enterprises/{enterprise.id}"
    return await _read(session, enterprise, response)


@router.get("/{enterprise_id}", response_model=Enterprise)
async def get_enterprise(
    enterprise: EnterpriseDep, session: SessionDep, response: Response
) -> Enterprise:
    return await _read(session, enterprise, response)


@router.patch("/{enterprise_id}", response_model=Enterprise, responses=problem_responses(409, 412))
async def update_enterprise(
    enterprise: EnterpriseDep,
    data: EnterpriseUpdate,
    session: SessionDep,
    _user: EditorUser,
    response: Response,
    if_match: IfMatch = None,
) -> Enterprise:
    check_if_match(if_match, enterprise.version)
    enterprise = await EnterpriseService(session).update(enterprise, data)
    return await _read(session, enterprise, response)


@router.delete(
    "/{enterprise_id}",
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
