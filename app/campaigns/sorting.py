"""The orders campaigns are listed in: one Literal for the `sort` parameter and the repository's
orderings."""

from typing import Literal

from app.core.pagination import SortKey, orderings
from app.models import Campaign

CampaignSort = Literal["name", "starts_on", "-starts_on"]

CAMPAIGN_ORDERINGS = orderings(
    CampaignSort,
    {
        "name": (SortKey(Campaign.name, "name"),),
        "starts_on": (SortKey(Campaign.starts_on, "starts_on"), SortKey(Campaign.id, "id")),
        "-starts_on": (
            SortKey(Campaign.starts_on, "starts_on", True),
            SortKey(Campaign.id, "id", True),
        ),
    },
)
