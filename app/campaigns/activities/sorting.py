"""The orders a campaign's activities are listed in."""

from typing import Literal

from app.core.pagination import orderings
from app.models import CampaignActivity

ActivitySort = Literal["-occurred_on", "occurred_on"]

ACTIVITY_ORDERINGS = orderings(
    ActivitySort,
    {
        "-occurred_on": (CampaignActivity.occurred_on, CampaignActivity.id),
        "occurred_on": (CampaignActivity.occurred_on, CampaignActivity.id),
    },
)
