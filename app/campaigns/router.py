"""/campaigns: the outreach working groups, their leader, members, zones and period."""

import datetime as dt
from collections.abc import Sequence
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.dependencies import EditorUser
from app.campaigns import schemas
from app.campaigns.auth import CampaignDep
from app.campaigns.repository import CAMPAIGN_ORDERINGS, CampaignFilters, CampaignRepository
from app.campaigns.service import CampaignService
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.http import IfMatch, check_if_match, set_etag
from app.core.pagination import CursorParam, LimitParam, Page, page_of
from app.models import Campaign, CampaignStatus

router = APIRouter(prefix="/campaigns", tags=["campaigns"])
WRITE_RESPONSES = problem_responses(409, 412)


async def _views(session: AsyncSession, campaigns: Sequence[Campaign]) -> list[schemas.Campaign]:
    """Read models with their zones and members: two statements for the whole page."""
    repository = CampaignRepository(session)
    ids = [c.id for c in campaigns]
    zones = await repository.zones_of(ids)
    members = await repository.members_of(ids)
    return [
        schemas.Campaign.model_validate(campaign).model_copy(
            update={
                "zone_ids": zones.get(campaign.id, []),
                "members": [
                    schemas.CampaignMember.model_validate(m) for m in members.get(campaign.id, [])
                ],
            }
        )
        for campaign in campaigns
    ]


async def _read(session: AsyncSession, campaign: Campaign, response: Response) -> schemas.Campaign:
    set_etag(response, campaign.version)
    [view] = await _views(session, [campaign])
    return view


@router.get("", response_model=Page[schemas.Campaign])
async def list_campaigns(
    session: SessionDep,
    limit: LimitParam = 50,
    cursor: CursorParam = None,
    sort: Literal["name", "starts_on", "-starts_on"] = "name",
    status: CampaignStatus | None = None,
    zone_id: Annotated[int | None, Query(description="Campaigns covering this zone.")] = None,
    leader_id: int | None = None,
    active_on: Annotated[
        dt.date | None, Query(description="Campaigns whose period includes this date.")
    ] = None,
    q: Annotated[str | None, Query(max_length=200, description="Search in the name.")] = None,
) -> Page[schemas.Campaign]:
    ordering = CAMPAIGN_ORDERINGS[sort]
    filters = CampaignFilters(
        status=status, zone_id=zone_id, leader_id=leader_id, active_on=active_on, q=q
    )
    rows = await CampaignRepository(session).page(
        filters, ordering=ordering, limit=limit, cursor=cursor
    )
    items, next_cursor = page_of(rows, ordering, limit)
    return Page(items=await _views(session, items), next_cursor=next_cursor)


@router.post(
    "",
    response_model=schemas.Campaign,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(409),
)
async def create_campaign(
    data: schemas.CampaignCreate, session: SessionDep, _user: EditorUser, response: Response
) -> schemas.Campaign:
    """Set up a working group (đoàn công tác) over some zones for a period. A zone is covered by
    one campaign at a time: an overlapping period is a 409 naming the other campaign."""
    campaign = await CampaignService(session).create(data)
    response.headers["Location"] = f"/api/v1/campaigns/{campaign.id}"
    return await _read(session, campaign, response)


@router.get("/{campaign_id}", response_model=schemas.Campaign)
async def get_campaign(
    campaign: CampaignDep, session: SessionDep, response: Response
) -> schemas.Campaign:
    return await _read(session, campaign, response)


@router.patch("/{campaign_id}", response_model=schemas.Campaign, responses=WRITE_RESPONSES)
async def update_campaign(
    campaign: CampaignDep,
    data: schemas.CampaignUpdate,
    session: SessionDep,
    _user: EditorUser,
    response: Response,
    if_match: IfMatch = None,
) -> schemas.Campaign:
    """`members` and `zone_ids`, when given, replace the whole list."""
    check_if_match(if_match, campaign.version)
    campaign = await CampaignService(session).update(campaign, data)
    return await _read(session, campaign, response)


@router.delete("/{campaign_id}", status_code=status.HTTP_204_NO_CONTENT, responses=WRITE_RESPONSES)
async def delete_campaign(
    campaign: CampaignDep, session: SessionDep, _user: EditorUser, if_match: IfMatch = None
) -> None:
    """Delete a campaign entered by mistake; one with activities, credited organizations or
    targets is a 409 (close it instead)."""
    check_if_match(if_match, campaign.version)
    await CampaignService(session).delete(campaign)
