"""/campaigns/{campaign_id}/activities: what the working group did at each enterprise."""

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response, status

from app.campaigns.activities.repository import (
    ACTIVITY_ORDERINGS,
    ActivityFilters,
    ActivityRepository,
)
from app.campaigns.activities.schemas import Activity, ActivityCreate, ActivityUpdate
from app.campaigns.activities.service import ActivityService
from app.campaigns.auth import ActivityWriter, CampaignDep
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.http import IfMatch, check_if_match, set_etag
from app.core.pagination import CursorParam, LimitParam, Page, page_of
from app.models import ActivityKind, CampaignActivity, Outcome

router = APIRouter(prefix="/campaigns/{campaign_id}/activities", tags=["campaign-activities"])
WRITE_RESPONSES = problem_responses(412)


async def valid_activity(
    campaign: CampaignDep, activity_id: int, session: SessionDep
) -> CampaignActivity:
    return await ActivityRepository(session).get(campaign, activity_id)


ActivityDep = Annotated[CampaignActivity, Depends(valid_activity)]


def _read(activity: CampaignActivity, response: Response) -> Activity:
    set_etag(response, activity.version)
    return Activity.model_validate(activity)


@router.get("", response_model=Page[Activity])
async def list_activities(
    campaign: CampaignDep,
    session: SessionDep,
    limit: LimitParam = 50,
    cursor: CursorParam = None,
    sort: Literal["-occurred_on", "occurred_on"] = "-occurred_on",
    enterprise_id: int | None = None,
    outcome: Outcome | None = None,
    kind: ActivityKind | None = None,
    occurred_from: Annotated[dt.date | None, Query(description="On or after this date.")] = None,
    occurred_to: Annotated[dt.date | None, Query(description="On or before this date.")] = None,
) -> Page[Activity]:
    ordering = ACTIVITY_ORDERINGS[sort]
    filters = ActivityFilters(
        enterprise_id=enterprise_id,
        outcome=outcome,
        kind=kind,
        occurred_from=occurred_from,
        occurred_to=occurred_to,
    )
    rows = await ActivityRepository(session).list(
        campaign, filters, ordering=ordering, limit=limit, cursor=cursor
    )
    items, next_cursor = page_of(rows, ordering, limit)
    return Page(items=[Activity.model_validate(a) for a in items], next_cursor=next_cursor)


@router.post("", response_model=Activity, status_code=status.HTTP_201_CREATED)
async def create_activity(
    campaign: CampaignDep,
    user: ActivityWriter,
    data: ActivityCreate,
    session: SessionDep,
    response: Response,
) -> Activity:
    """Log a visit, meeting, call, mailing or event at an enterprise of the campaign's zones.
    Group leaders log only in the campaigns they lead; editors and admins everywhere."""
    activity = await ActivityService(session, campaign, user).create(data)
    response.headers["Location"] = f"/api/v1/campaigns/{campaign.id}/activities/{activity.id}"
    return _read(activity, response)


@router.get("/{activity_id}", response_model=Activity)
async def get_activity(activity: ActivityDep, response: Response) -> Activity:
    return _read(activity, response)


@router.patch("/{activity_id}", response_model=Activity, responses=WRITE_RESPONSES)
async def update_activity(
    campaign: CampaignDep,
    user: ActivityWriter,
    activity: ActivityDep,
    data: ActivityUpdate,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> Activity:
    check_if_match(if_match, activity.version)
    activity = await ActivityService(session, campaign, user).update(activity, data)
    return _read(activity, response)


@router.delete("/{activity_id}", status_code=status.HTTP_204_NO_CONTENT, responses=WRITE_RESPONSES)
async def delete_activity(
    campaign: CampaignDep,
    user: ActivityWriter,
    activity: ActivityDep,
    session: SessionDep,
    if_match: IfMatch = None,
) -> None:
    check_if_match(if_match, activity.version)
    await ActivityService(session, campaign, user).delete(activity)
