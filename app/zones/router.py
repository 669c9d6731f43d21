"""/industrial-zones."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from app.auth.dependencies import EditorUser
from app.core.dates import today
from app.core.db import ReplicaSessionDep, SessionDep
from app.core.errors import problem_responses
from app.core.http import IfMatch, check_if_match, set_etag, set_location
from app.core.idempotency import IdempotentRoute
from app.core.pagination import Page, list_query
from app.core.repository import path_row
from app.models import IndustrialZone
from app.zones.repository import ZoneListQuery, ZoneRepository
from app.zones.schemas import Zone, ZoneCreate, ZoneFilters, ZoneUpdate
from app.zones.service import ZoneService
from app.zones.sorting import ZoneSort

router = APIRouter(
    prefix="/industrial-zones", tags=["industrial-zones"], route_class=IdempotentRoute
)


ZoneDep = Annotated[IndustrialZone, Depends(path_row(ZoneRepository, "zone_id"))]
ZoneQuery = Annotated[ZoneListQuery, Depends(list_query(ZoneSort, "code", ZoneFilters))]


async def _read(session: SessionDep, zone: IndustrialZone, response: Response) -> Zone:
    set_etag(response, zone.version)
    return Zone.from_row(await ZoneRepository(session).with_totals(zone, today()))


@router.get("", name="list", response_model=Page[Zone])
async def list_zones(session: ReplicaSessionDep, query: ZoneQuery) -> Page[Zone]:
    """Industrial zones with their enterprises and workers counted, by code (default) or name.
    Filter by status, district (exact name, any case) or q (code, name or district)."""
    return (await ZoneRepository(session).list(today(), query)).page(Zone.from_row)


@router.post(
    "",
    name="create",
    response_model=Zone,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(409),
)
async def create_zone(
    data: ZoneCreate, session: SessionDep, _user: EditorUser, response: Response
) -> Zone:
    """Add an industrial zone (editors and admins). A code already in use is a 409; a zone that is
    not planned needs established_on, and only a closed one has closed_on (422)."""
    zone = await ZoneService(session).create(data)
    set_location(response, "industrial-zones", zone.id)
    return await _read(session, zone, response)


@router.get("/{zone_id}", name="get", response_model=Zone)
async def get_zone(zone: ZoneDep, session: SessionDep, response: Response) -> Zone:
    """One zone with its enterprises and workers counted, and its ETag."""
    return await _read(session, zone, response)


@router.patch(
    "/{zone_id}", name="update", response_model=Zone, responses=problem_responses(409, 412)
)
async def update_zone(
    zone: ZoneDep,
    data: ZoneUpdate,
    session: SessionDep,
    _user: EditorUser,
    response: Response,
    if_match: IfMatch = None,
) -> Zone:
    """Change a zone (editors and admins), checked merged as on create: a code in use is a 409, the
    status and date rules a 422. A stale If-Match is a 412."""
    check_if_match(if_match, zone.version)
    zone = await ZoneService(session).update(zone, data)
    return await _read(session, zone, response)


@router.delete(
    "/{zone_id}",
    name="delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(409, 412),
)
async def delete_zone(
    zone: ZoneDep, session: SessionDep, _user: EditorUser, if_match: IfMatch = None
) -> None:
    """Delete a zone no enterprise is registered in (409 otherwise)."""
    check_if_match(if_match, zone.version)
    await ZoneService(session).delete(zone)
