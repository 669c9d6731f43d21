"""/industrial-zones."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response, status

from app.auth.dependencies import EditorUser
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.http import IfMatch, check_if_match, set_etag
from app.core.pagination import CursorParam, LimitParam, Page, page_of
from app.core.repository import get_or_404
from app.models import IndustrialZone, ZoneStatus
from app.zones.repository import ZONE_ORDERINGS, ZoneRepository
from app.zones.schemas import Zone, ZoneCreate, ZoneUpdate
from app.zones.service import ZoneService

router = APIRouter(prefix="/industrial-zones", tags=["industrial-zones"])


async def valid_zone(zone_id: int, session: SessionDep) -> IndustrialZone:
    return await get_or_404(session, IndustrialZone, zone_id, "industrial zone")


ZoneDep = Annotated[IndustrialZone, Depends(valid_zone)]


async def _read(session: SessionDep, zone: IndustrialZone, response: Response) -> Zone:
    enterprises, workers = await ZoneRepository(session).totals(zone.id)
    set_etag(response, zone.version)
    return Zone.model_validate(zone).model_copy(
        update={"enterprises_count": enterprises, "workers_count": workers}
    )


@router.get("", response_model=Page[Zone])
async def list_zones(
    session: SessionDep,
    limit: LimitParam = 50,
    cursor: CursorParam = None,
    sort: Literal["code", "name"] = "code",
    status: ZoneStatus | None = None,
    district: Annotated[str | None, Query(max_length=100)] = None,
    q: Annotated[str | None, Query(max_length=200, description="Code, name or district.")] = None,
) -> Page[Zone]:
    ordering = ZONE_ORDERINGS[sort]
    rows = await ZoneRepository(session).list(
        ordering=ordering, limit=limit, cursor=cursor, status=status, district=district, q=q
    )
    items, next_cursor = page_of(rows, ordering, limit)
    return Page(
        items=[
            Zone.model_validate(row[0]).model_copy(
                update={"enterprises_count": row[1], "workers_count": row[2]}
            )
            for row in items
        ],
        next_cursor=next_cursor,
    )


@router.post(
    "",
    response_model=Zone,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(409),
)
async def create_zone(
    data: ZoneCreate, session: SessionDep, _user: EditorUser, response: Response
) -> Zone:
    zone = await ZoneService(session).create(data)
    response.headers["Location"] = f"/api/v1/industrial-zones/{zone.id}"
    return await _read(session, zone, response)


@router.get("/{zone_id}", response_model=Zone)
async def get_zone(zone: ZoneDep, session: SessionDep, response: Response) -> Zone:
    return await _read(session, zone, response)


@router.patch("/{zone_id}", response_model=Zone, responses=problem_responses(409, 412))
async def update_zone(
    zone: ZoneDep,
    data: ZoneUpdate,
    session: SessionDep,
    _user: EditorUser,
    response: Response,
    if_match: IfMatch = None,
) -> Zone:
    check_if_match(if_match, zone.version)
    zone = await ZoneService(session).update(zone, data)
    return await _read(session, zone, response)


@router.delete(
    "/{zone_id}", status_code=status.HTTP_204_NO_CONTENT, responses=problem_responses(409, 412)
)
async def delete_zone(
    zone: ZoneDep, session: SessionDep, _user: EditorUser, if_match: IfMatch = None
) -> None:
    """Delete a zone no enterprise is registered in (409 otherwise)."""
    check_if_match(if_match, zone.version)
    await ZoneService(session).delete(zone)
