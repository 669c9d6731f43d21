"""/organizations: structure, establishment, dissolution, and members counted on a date."""

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.dependencies import EditorUser
from app.core.dates import today
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.http import IfMatch, check_if_match, set_etag
from app.core.pagination import CursorParam, LimitParam, Page, page_of
from app.core.repository import get_or_404
from app.models import Organization, OrganizationKind, Ownership
from app.organizations import schemas
from app.organizations.repository import (
    ORGANIZATION_ORDERINGS,
    OrganizationFilters,
    OrganizationRepository,
)
from app.organizations.service import OrganizationService
from app.party.asof import MemberCounts, organization_counts

router = APIRouter(prefix="/organizations", tags=["organizations"])
WRITE_RESPONSES = problem_responses(409, 412)
MINIMUM_OFFICIAL = 3
COMMITTEE_SIZE = 30


async def valid_organization(organization_id: int, session: SessionDep) -> Organization:
    return await get_or_404(session, Organization, organization_id, "organization")


OrganizationDep = Annotated[Organization, Depends(valid_organization)]


def organization_out(
    organization: Organization,
    ownership: Ownership | None,
    active_cells: int,
    counts: MemberCounts,
    on: dt.date,
) -> schemas.Organization:
    active = organization.established_on <= on and (
        organization.dissolved_on is None or organization.dissolved_on > on
    )
    flags = []
    if active and counts.official < MINIMUM_OFFICIAL:
        flags.append(schemas.OrganizationFlag.BELOW_MINIMUM_OFFICIAL)
    if organization.kind == OrganizationKind.GRASSROOTS_CELL and counts.members >= COMMITTEE_SIZE:
        flags.append(schemas.OrganizationFlag.SIZE_SUGGESTS_COMMITTEE)
    return schemas.Organization.model_validate(organization).model_copy(
        update={
            "sector": schemas.Sector(ownership) if ownership else schemas.Sector.NONE,
            "is_active": active,
            "official_members": counts.official,
            "probationary_members": counts.probationary,
            "affiliated_cells": active_cells,
            "flags": flags,
        }
    )


async def _single(
    session: AsyncSession, organization: Organization, response: Response
) -> schemas.Organization:
    on = today()
    row = await OrganizationRepository(session).one(organization.id, on)
    counts = await organization_counts(session, [organization.id], on)
    set_etag(response, organization.version)
    return organization_out(row[0], row[1], row[2], counts[organization.id], on)


@router.get("", response_model=Page[schemas.Organization])
async def list_organizations(
    session: SessionDep,
    limit: LimitParam = 50,
    cursor: CursorParam = None,
    sort: Literal["name", "established_on", "-established_on"] = "name",
    as_of: Annotated[
        dt.date | None,
        Query(description="Organizations active on this date, with their members then."),
    ] = None,
    kind: OrganizationKind | None = None,
    parent_id: int | None = None,
    enterprise_id: int | None = None,
    zone_id: int | None = None,
    sector: schemas.Sector | None = None,
    active_on: Annotated[dt.date | None, Query(description="Active on this date.")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Name or decision number.")] = None,
) -> Page[schemas.Organization]:
    on = as_of or today()
    ordering = ORGANIZATION_ORDERINGS[sort]
    filters = OrganizationFilters(
        kind=kind,
        parent_id=parent_id,
        enterprise_id=enterprise_id,
        zone_id=zone_id,
        sector=sector.value if sector else None,
        active_on=active_on or as_of,
        q=q,
    )
    rows = await OrganizationRepository(session).list(
        filters, on=on, ordering=ordering, limit=limit, cursor=cursor
    )
    items, next_cursor = page_of(rows, ordering, limit)
    counts = await organization_counts(session, [row[0].id for row in items], on)
    return Page(
        items=[organization_out(o, own, cells, counts[o.id], on) for o, own, cells in items],
        next_cursor=next_cursor,
    )


@router.post(
    "",
    response_model=schemas.Organization,
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_RESPONSES,
)
async def create_organization(
    data: schemas.OrganizationCreate, session: SessionDep, _user: EditorUser, response: Response
) -> schemas.Organization:
    """Establish an organization (thành lập)."""
    organization = await OrganizationService(session).create(data)
    response.headers["Location"] = f"/api/v1/organizations/{organization.id}"
    return await _single(session, organization, response)


@router.get("/{organization_id}", response_model=schemas.Organization)
async def get_organization(
    organization: OrganizationDep, session: SessionDep, response: Response
) -> schemas.Organization:
    return await _single(session, organization, response)


@router.patch("/{organization_id}", response_model=schemas.Organization, responses=WRITE_RESPONSES)
async def update_organization(
    organization: OrganizationDep,
    data: schemas.OrganizationUpdate,
    session: SessionDep,
    _user: EditorUser,
    response: Response,
    if_match: IfMatch = None,
) -> schemas.Organization:
    check_if_match(if_match, organization.version)
    organization = await OrganizationService(session).update(organization, data)
    return await _single(session, organization, response)


@router.post(
    "/{organization_id}/dissolve", response_model=schemas.Organization, responses=WRITE_RESPONSES
)
async def dissolve_organization(
    organization: OrganizationDep,
    data: schemas.Dissolution,
    session: SessionDep,
    _user: EditorUser,
    response: Response,
    if_match: IfMatch = None,
) -> schemas.Organization:
    """Dissolve (giải thể) an organization with no active members or affiliated cells; its
    history stays."""
    check_if_match(if_match, organization.version)
    organization = await OrganizationService(session).dissolve(organization, data)
    return await _single(session, organization, response)


@router.delete(
    "/{organization_id}", status_code=status.HTTP_204_NO_CONTENT, responses=WRITE_RESPONSES
)
async def delete_organization(
    organization: OrganizationDep, session: SessionDep, _user: EditorUser, if_match: IfMatch = None
) -> None:
    """Delete an organization entered by mistake, when nothing refers to it (409 otherwise);
    real ones are dissolved."""
    check_if_match(if_match, organization.version)
    await OrganizationService(session).delete(organization)
