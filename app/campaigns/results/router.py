"""/campaigns/{campaign_id}/pipeline and /summary: where each enterprise stands, and results."""

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from app.campaigns.auth import CampaignDep
from app.campaigns.results.pipeline import PipelineRepository, entry_of
from app.campaigns.results.schemas import CampaignSummary, PipelineEntry, Stage
from app.campaigns.results.summary import summarize_campaign
from app.core.dates import today
from app.core.db import SessionDep
from app.core.pagination import CursorParam, LimitParam, Page, page_of

router = APIRouter(prefix="/campaigns/{campaign_id}", tags=["campaigns"])

AsOf = Annotated[dt.date | None, Query(description="The date to look from; today by default.")]


@router.get("/pipeline", response_model=Page[PipelineEntry])
async def campaign_pipeline(
    campaign: CampaignDep,
    session: SessionDep,
    as_of: AsOf = None,
    stage: Stage | None = None,
    zone_id: int | None = None,
    limit: LimitParam = 50,
    cursor: CursorParam = None,
) -> Page[PipelineEntry]:
    """Every enterprise of the campaign's zones without an active grassroots organization on
    the date, or that got one during the campaign, ordered by what the group should do next:
    agreed first, then ready to establish, then receptive, then the larger workforce."""
    rows, ordering = await PipelineRepository(session).page(
        campaign, as_of or today(), stage=stage, zone_id=zone_id, limit=limit, cursor=cursor
    )
    items, next_cursor = page_of(rows, ordering, limit)
    return Page(items=[entry_of(row) for row in items], next_cursor=next_cursor)


@router.get("/summary", response_model=CampaignSummary)
async def campaign_summary(
    campaign: CampaignDep, session: SessionDep, as_of: AsOf = None
) -> CampaignSummary:
    """The campaign's results as of a date: enterprises reached and their latest outcome,
    organizations established and credited, conversion, activities per month and overdue
    follow-ups."""
    return await summarize_campaign(session, campaign, as_of or today())
