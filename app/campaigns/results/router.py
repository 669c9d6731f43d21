"""/campaigns/{campaign_id}/pipeline and /summary: where each enterprise stands, and results."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.campaigns.results.pipeline import PipelineRepository
from app.campaigns.results.schemas import CampaignSummary, PipelineEntry, PipelineFilters
from app.campaigns.results.summary import summarize_campaign
from app.campaigns.router import CampaignDep
from app.core.dates import today
from app.core.db import SessionDep
from app.core.idempotency import IdempotentRoute
from app.core.pagination import DEFAULT_LIMIT, CursorParam, LimitParam, Page
from app.core.schemas import Date

router = APIRouter(
    prefix="/campaigns/{campaign_id}", tags=["campaigns"], route_class=IdempotentRoute
)

AsOf = Annotated[Date | None, Query(description="The date to look from; today by default.")]


@router.get("/pipeline", name="get-pipeline", response_model=Page[PipelineEntry])
async def campaign_pipeline(
    campaign: CampaignDep,
    session: SessionDep,
    *,
    as_of: AsOf = None,
    filters: Annotated[PipelineFilters, Query()],
    limit: LimitParam = DEFAULT_LIMIT,
    cursor: CursorParam = None,
) -> Page[PipelineEntry]:
    """Every enterprise of the campaign's zones without an active grassroots organization on
    the date, or that got one during the campaign, ordered by what the group should do next:
    agreed first, then ready to establish, then receptive, then the larger workforce."""
    rows = await PipelineRepository(session).list(
        campaign, as_of or today(), filters, limit=limit, cursor=cursor
    )
    return rows.page(PipelineEntry.from_row)


@router.get("/summary", name="get-summary", response_model=CampaignSummary)
async def campaign_summary(
    campaign: CampaignDep, session: SessionDep, as_of: AsOf = None
) -> CampaignSummary:
    """The campaign's results as of a date: enterprises reached and their latest outcome,
    organizations established and credited, conversion, activities per month and overdue
    follow-ups."""
    return await summarize_campaign(session, campaign, as_of or today())
