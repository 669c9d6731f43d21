"""The orders a campaign's activities are listed in: one Literal for the `sort` parameter and the
repository's orderings."""

from typing import Literal

from app.core.pagination import SortKey, orderings
from app.models import CampaignActivity

ActivitySort = Literal["-occurred_on", "occurred_on"]

ACTIVITY_ORDERINGS = orderings(
    ActivitySort,
    {
        "-occurred_on": (
            SortKey(CampaignActivity.occurred_on, "occurred_on", True),
            SortKey(CampaignActivity.id, "id", True),
        ),
        "occurred_on": (
            SortKey(CampaignActivity.occurred_on, "occurred_on"),
            SortKey(CampaignActivity.id, "id"),
        ),
    },
)
