"""/campaigns: the outreach working groups, their leader, members, zones and period."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from app import models
from app.auth.dependencies import EditorUser
from app.campaigns.repository import CampaignListQuery, CampaignRepository
from app.campaigns.schemas import Campaign, CampaignCreate, CampaignFilters, CampaignUpdate
from app.campaigns.service import CampaignService
from app.campaigns.sorting import CampaignSort
from app.core.db import ReplicaSessionDep, SessionDep
from app.core.errors import problem_responses
from app.core.http import IfMatch, check_if_match, set_etag, set_location
from app.core.idempotency import IdempotentRoute
from app.core.pagination import Page, list_query
from app.core.repository import path_row

router = APIRouter(prefix="/campaigns", tags=["campaigns"], route_class=IdempotentRoute)
WRITE_RESPONSES = problem_responses(409, 412)


CampaignDep = Annotated[models.Campaign, Depends(path_row(CampaignRepository, "campaign_id"))]
CampaignQuery = Annotated[
    CampaignListQuery, Depends(list_query(CampaignSort, "name", CampaignFilters))
]


async def _read(session: SessionDep, campaign: models.Campaign, response: Response) -> Campaign:
    set_etag(response, campaign.version)
    [row] = await CampaignRepository(session).with_details([campaign])
    return Campaign.from_row(row)


@router.get("", name="list", response_model=Page[Campaign])
async def list_campaigns(session: ReplicaSessionDep, query: CampaignQuery) -> Page[Campaign]:
    """Campaigns with their members and zone ids, by name (default) or starts_on, either way.
    Filter by status, leader_id, zone_id (a zone covered), active_on (a date inside the period)
    or q (name)."""
    return (await CampaignRepository(session).list(query)).page(Campaign.from_row)


@router.post(
    "",
    name="create",
    response_model=Campaign,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(409),
)
async def create_campaign(
    data: CampaignCreate, session: SessionDep, _user: EditorUser, response: Response
) -> Campaign:
    """Set up a working group (đoàn công tác) over some zones for a period. A zone is covered by
    one campaign at a time: an overlapping period is a 409 naming the other campaign."""
    campaign = await CampaignService(session).create(data)
    set_location(response, "campaigns", campaign.id)
    return await _read(session, campaign, response)


@router.get("/{campaign_id}", name="get", response_model=Campaign)
async def get_campaign(campaign: CampaignDep, session: SessionDep, response: Response) -> Campaign:
    """One campaign with its members and zone ids, and its ETag."""
    return await _read(session, campaign, response)


@router.patch("/{campaign_id}", name="update", response_model=Campaign, responses=WRITE_RESPONSES)
async def update_campaign(
    campaign: CampaignDep,
    data: CampaignUpdate,
    session: SessionDep,
    _user: EditorUser,
    response: Response,
    if_match: IfMatch = None,
) -> Campaign:
    """`members` and `zone_ids`, when given, replace the whole list."""
    check_if_match(if_match, campaign.version)
    campaign = await CampaignService(session).update(campaign, data)
    return await _read(session, campaign, response)


@router.delete(
    "/{campaign_id}",
    name="delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=WRITE_RESPONSES,
)
async def delete_campaign(
    campaign: CampaignDep, session: SessionDep, _user: EditorUser, if_match: IfMatch = None
) -> None:
    """Delete a campaign entered by mistake; one with activities, credited organizations or
    targets is a 409 (close it instead)."""
    check_if_match(if_match, campaign.version)
    await CampaignService(session).delete(campaign)
