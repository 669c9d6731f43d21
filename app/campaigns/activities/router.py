"""/campaigns/{campaign_id}/activities: what the working group did at each enterprise."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from app.campaigns.activities.repository import ActivityListQuery, ActivityRepository
from app.campaigns.activities.schemas import (
    Activity,
    ActivityCreate,
    ActivityFilters,
    ActivityUpdate,
)
from app.campaigns.activities.service import ActivityService
from app.campaigns.activities.sorting import ActivitySort
from app.campaigns.auth import ActivityWriter
from app.campaigns.router import CampaignDep
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.http import IfMatch, check_if_match, set_etag, set_location
from app.core.idempotency import IdempotentRoute
from app.core.pagination import Page, list_query
from app.core.schemas import ParamInt
from app.models import CampaignActivity

router = APIRouter(
    prefix="/campaigns/{campaign_id}/activities",
    tags=["campaign-activities"],
    route_class=IdempotentRoute,
)
WRITE_RESPONSES = problem_responses(409, 412)


async def valid_activity(
    campaign: CampaignDep, activity_id: ParamInt, session: SessionDep
) -> CampaignActivity:
    return await ActivityRepository(session).get_in(campaign, activity_id)


ActivityDep = Annotated[CampaignActivity, Depends(valid_activity)]
ActivityQuery = Annotated[
    ActivityListQuery, Depends(list_query(ActivitySort, "-occurred_on", ActivityFilters))
]


async def _read(session: SessionDep, activity: CampaignActivity, response: Response) -> Activity:
    set_etag(response, activity.version)
    materials = await ActivityRepository(session).material_ids([activity.id])
    return Activity.of_record(activity, material_ids=materials[activity.id])


@router.get("", name="list", response_model=Page[Activity])
async def list_activities(
    campaign: CampaignDep, session: SessionDep, query: ActivityQuery
) -> Page[Activity]:
    """The campaign's activities, newest first (sort=occurred_on for oldest first). Filter by
    enterprise_id, kind, outcome and an occurred_from / occurred_to range."""
    repository = ActivityRepository(session)
    found = await repository.list(campaign, query)
    materials = await repository.material_ids(activity.id for activity in found.items)
    return found.page(lambda a: Activity.of_record(a, material_ids=materials[a.id]))


@router.post(
    "",
    name="create",
    response_model=Activity,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(409),
)
async def create_activity(
    campaign: CampaignDep,
    user: ActivityWriter,
    data: ActivityCreate,
    session: SessionDep,
    response: Response,
) -> Activity:
    """Log a visit, meeting, call, mailing or event at an enterprise of the campaign's zones.
    Group leaders log only in the campaigns they lead; editors and admins everywhere. With
    planned_visit_id it records that planned visit (then done): of this campaign (422
    `visit_of_another_campaign`), at this enterprise (422 `visit_enterprise_mismatch`), not
    cancelled and not recorded by another activity (409). material_ids are the materials handed
    over; material_language is one of their languages (422 `material_language_mismatch`)."""
    activity = await ActivityService(session, campaign, user).create(data)
    set_location(response, "campaigns", campaign.id, "activities", activity.id)
    return await _read(session, activity, response)


@router.get("/{activity_id}", name="get", response_model=Activity)
async def get_activity(activity: ActivityDep, session: SessionDep, response: Response) -> Activity:
    """One activity of the campaign (404 when it belongs to another), with its ETag."""
    return await _read(session, activity, response)


@router.patch("/{activity_id}", name="update", response_model=Activity, responses=WRITE_RESPONSES)
async def update_activity(
    campaign: CampaignDep,
    user: ActivityWriter,
    activity: ActivityDep,
    data: ActivityUpdate,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> Activity:
    """Change an activity, checked merged as a new one: an enterprise outside the campaign's
    zones, a date outside its period or in the future, a contact of another enterprise are a 422.
    Group leaders only in the campaigns they lead, editors and admins everywhere; a stale If-Match
    is a 412."""
    check_if_match(if_match, activity.version)
    activity = await ActivityService(session, campaign, user).update(activity, data)
    return await _read(session, activity, response)


@router.delete(
    "/{activity_id}",
    name="delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=WRITE_RESPONSES,
)
async def delete_activity(
    campaign: CampaignDep,
    user: ActivityWriter,
    activity: ActivityDep,
    session: SessionDep,
    if_match: IfMatch = None,
) -> None:
    """Delete an activity: group leaders only in the campaigns they lead, editors and admins
    everywhere. A stale If-Match is a 412."""
    check_if_match(if_match, activity.version)
    await ActivityService(session, campaign, user).delete(activity)
