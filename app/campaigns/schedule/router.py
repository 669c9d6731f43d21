"""/campaigns/{campaign_id}/schedule: the working group's planned visits, and the same as an
iCalendar feed."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response, status

from app.campaigns.auth import ActivityWriter
from app.campaigns.router import CampaignDep
from app.campaigns.schedule.ics import MEDIA_TYPE, calendar_of
from app.campaigns.schedule.repository import VisitListQuery, VisitRepository
from app.campaigns.schedule.schemas import Visit, VisitCreate, VisitFilters, VisitUpdate
from app.campaigns.schedule.service import VisitService
from app.core.dates import today
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.http import IfMatch, check_if_match, set_etag, set_location
from app.core.idempotency import IdempotentRoute
from app.core.pagination import Page, list_query
from app.core.repository import path_lock
from app.core.schemas import ParamInt
from app.models import Campaign, PlannedVisit

router = APIRouter(
    prefix="/campaigns/{campaign_id}/schedule",
    tags=["campaign-schedule"],
    route_class=IdempotentRoute,
)
WRITE_RESPONSES = problem_responses(409, 412)
CALENDAR: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "An iCalendar (RFC 5545) feed: one all-day event per planned visit.",
        "content": {"text/calendar": {"schema": {"type": "string"}}},
    }
}


async def valid_visit(
    campaign: CampaignDep, visit_id: ParamInt, session: SessionDep, request: Request
) -> PlannedVisit:
    return await VisitRepository(session).get_in(campaign, visit_id, lock=path_lock(request))


VisitDep = Annotated[PlannedVisit, Depends(valid_visit)]
VisitQuery = Annotated[VisitListQuery, Depends(list_query(None, None, VisitFilters))]


def visit_of(row: Any) -> Visit:
    return Visit.of_record(
        row.PlannedVisit,
        activity_id=row.activity_id,
        material_ids=row.material_ids,
        status=row.shown_status,
    )


async def _read(session: SessionDep, visit: PlannedVisit, response: Response) -> Visit:
    set_etag(response, visit.version)
    return visit_of(await VisitRepository(session).shown(visit, today()))


@router.get("", name="list", response_model=Page[Visit])
async def list_visits(campaign: CampaignDep, session: SessionDep, query: VisitQuery) -> Page[Visit]:
    """The campaign's planned visits, soonest first. Filter by status as shown (planned,
    missed, done, cancelled), enterprise_id and a planned_from / planned_to range."""
    found = await VisitRepository(session).list(campaign, today(), query)
    return found.page(visit_of)


@router.post("", name="create", response_model=Visit, status_code=status.HTTP_201_CREATED)
async def create_visit(
    campaign: CampaignDep,
    user: ActivityWriter,
    data: VisitCreate,
    session: SessionDep,
    response: Response,
) -> Visit:
    """Plan a visit to an enterprise of the campaign's zones on a day inside its period (the
    future allowed): its purpose, whom to meet, the materials to bring. Group leaders plan in
    the campaigns they lead; editors and admins everywhere."""
    visit = await VisitService(session, campaign, user).create(data)
    set_location(response, "campaigns", campaign.id, "schedule", visit.id)
    return await _read(session, visit, response)


@router.get(".ics", name="download-ics", response_class=Response, responses=CALENDAR)
async def download_schedule_ics(campaign: CampaignDep, session: SessionDep) -> Response:
    """The campaign's visits as an iCalendar feed for a calendar app, with the bearer token
    (apps that cannot send one subscribe to a personal feed: POST /calendar/feed)."""
    rows = await VisitRepository(session).for_calendar(today(), Campaign.id == campaign.id)
    return calendar_response(
        f"Lịch thăm doanh nghiệp — {campaign.name}", rows, f"lich-{campaign.id}"
    )


def calendar_response(name: str, rows: Any, filename: str) -> Response:
    return Response(
        calendar_of(name, rows),
        media_type=MEDIA_TYPE,
        headers={"Content-Disposition": f'inline; filename="{filename}.ics"'},
    )


@router.get("/{visit_id}", name="get", response_model=Visit)
async def get_visit(visit: VisitDep, session: SessionDep, response: Response) -> Visit:
    """One planned visit of the campaign (404 when it belongs to another), with its ETag."""
    return await _read(session, visit, response)


@router.patch("/{visit_id}", name="update", response_model=Visit, responses=WRITE_RESPONSES)
async def update_visit(
    campaign: CampaignDep,
    user: ActivityWriter,
    visit: VisitDep,
    data: VisitUpdate,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> Visit:
    """Move, change or cancel a visit (status planned or cancelled), judged merged as a new
    one. A visit an activity recorded keeps its enterprise and cannot be cancelled (409).
    A stale If-Match is a 412."""
    check_if_match(if_match, visit.version)
    visit = await VisitService(session, campaign, user).update(visit, data)
    return await _read(session, visit, response)


@router.delete(
    "/{visit_id}", name="delete", status_code=status.HTTP_204_NO_CONTENT, responses=WRITE_RESPONSES
)
async def delete_visit(
    campaign: CampaignDep,
    user: ActivityWriter,
    visit: VisitDep,
    session: SessionDep,
    if_match: IfMatch = None,
) -> None:
    """Delete a visit planned by mistake (cancel one that will not happen instead); one an
    activity recorded is a 409."""
    check_if_match(if_match, visit.version)
    await VisitService(session, campaign, user).delete(visit)
