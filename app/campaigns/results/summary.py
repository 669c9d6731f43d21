"""The campaign's results on a date, counted by PostgreSQL: reach, outcomes, organizations
established and credited, conversion, monthly activity and overdue follow-ups."""

import datetime as dt
import decimal

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from app.campaigns.results.schemas import CampaignSummary, MonthCount
from app.core.dates import add_months
from app.core.numbers import percent
from app.models import (
    GRASSROOTS_KINDS,
    Campaign,
    CampaignActivity,
    Enterprise,
    Organization,
    Outcome,
    campaign_zones,
)
from app.party.asof import open_enterprises


def conversion_rate(established: int, contacted: int) -> decimal.Decimal | None:
    """established / contacted in percent, one decimal, half-up."""
    return percent(established, contacted)


def _months(start: dt.date, end: dt.date) -> list[str]:
    """'YYYY-MM' for every month from start's to end's; empty when end is before start."""
    months: list[str] = []
    month = start.replace(day=1)
    while month <= end:
        months.append(f"{month:%Y-%m}")
        month = add_months(month, 1)
    return months


async def summarize_campaign(
    session: AsyncSession, campaign: Campaign, on: dt.date
) -> CampaignSummary:
    window_end = min(on, campaign.ends_on)
    zones = select(campaign_zones.c.zone_id).where(campaign_zones.c.campaign_id == campaign.id)
    # The enterprises of its zones open on `on` (registered by then, not closed)
    open_ = open_enterprises(on, Enterprise.zone_id.in_(zones))
    assigned = select(open_.c.enterprise_id)
    a = CampaignActivity
    latest = (
        select(a.enterprise_id, a.outcome, a.follow_up_on)
        .where(a.campaign_id == campaign.id, a.occurred_on <= on)
        .ext(distinct_on(a.enterprise_id))
        .order_by(a.enterprise_id, a.occurred_on.desc(), a.id.desc())
        .subquery("latest")
    )
    assigned_count = select(func.count()).select_from(assigned.subquery()).scalar_subquery()
    established = (
        select(func.count())
        .where(
            Organization.enterprise_id.in_(assigned),
            Organization.kind.in_(GRASSROOTS_KINDS),
            Organization.established_on >= campaign.starts_on,
            Organization.established_on <= window_end,
        )
        .scalar_subquery()
    )
    credited = (
        select(func.count())
        .where(Organization.campaign_id == campaign.id, Organization.established_on <= on)
        .scalar_subquery()
    )
    counts = (
        await session.execute(
            select(
                assigned_count.label("assigned"),
                func.count().label("contacted"),
                func.count().filter(latest.c.outcome == Outcome.RECEPTIVE).label("receptive"),
                func.count().filter(latest.c.outcome == Outcome.AGREED).label("agreed"),
                func.count().filter(latest.c.outcome == Outcome.DECLINED).label("declined"),
                func.count().filter(latest.c.follow_up_on < on).label("overdue"),
                established.label("established"),
                credited.label("credited"),
            ).select_from(latest)
        )
    ).one()
    month = func.to_char(a.occurred_on, "YYYY-MM")
    rows = await session.execute(
        select(month, func.count())
        .where(a.campaign_id == campaign.id, a.occurred_on <= window_end)
        .group_by(month)
    )
    per_month: dict[str, int] = dict(rows.all())
    return CampaignSummary(
        campaign_id=campaign.id,
        as_of=on,
        enterprises_assigned=counts.assigned,
        contacted=counts.contacted,
        receptive=counts.receptive,
        agreed=counts.agreed,
        declined=counts.declined,
        organizations_established=counts.established,
        organizations_credited=counts.credited,
        conversion_rate=conversion_rate(counts.established, counts.contacted),
        activities_per_month=[
            MonthCount(month=m, count=per_month.get(m, 0))
            for m in _months(campaign.starts_on, window_end)
        ],
        overdue_follow_ups=counts.overdue,
    )
