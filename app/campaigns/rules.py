"""The rules every record of a campaign's outreach shares (activities, planned visits): an
enterprise of the campaign's zones, a day inside the campaign's period."""

import datetime as dt

from app.campaigns.repository import CampaignRepository
from app.core.errors import RuleViolation
from app.core.problem_codes import ProblemCode
from app.enterprises.repository import EnterpriseRepository
from app.models import Campaign, Enterprise


async def enterprise_of_campaign(
    campaigns: CampaignRepository,
    enterprises: EnterpriseRepository,
    campaign: Campaign,
    enterprise_id: int,
) -> Enterprise:
    """The enterprise `enterprise_id`, which must lie in one of the campaign's zones."""
    enterprise = await enterprises.reference(enterprise_id, "enterprise_id")
    if not await campaigns.covers_zone(campaign, enterprise.zone_id):
        raise RuleViolation(
            f"enterprise {enterprise.id} is in industrial zone {enterprise.zone_id}, which "
            f"campaign {campaign.id} does not cover",
            code=ProblemCode.ENTERPRISE_OUTSIDE_CAMPAIGN,
            field="enterprise_id",
        )
    return enterprise


def within_campaign(campaign: Campaign, day: dt.date, field: str) -> None:
    """`day` lies inside the campaign's period."""
    if not campaign.starts_on <= day <= campaign.ends_on:
        raise RuleViolation(
            f"{field} {day} is outside the campaign's period "
            f"({campaign.starts_on} to {campaign.ends_on})",
            code=ProblemCode.OUTSIDE_CAMPAIGN_PERIOD,
            field=field,
        )
