"""The orders campaigns are listed in (see app.core.pagination.orderings)."""

from typing import Literal

from app.core.pagination import orderings
from app.models import Campaign

CampaignSort = Literal["name", "starts_on", "-starts_on"]

CAMPAIGN_ORDERINGS = orderings(
    CampaignSort,
    {
        "name": (Campaign.name,),
        "starts_on": (Campaign.starts_on, Campaign.id),
        "-starts_on": (Campaign.starts_on, Campaign.id),
    },
)
