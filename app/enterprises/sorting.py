"""The orders enterprises are listed in: one Literal for the `sort` parameter and the
repository's orderings."""

from typing import Literal

from app.core.pagination import SortKey, orderings
from app.models import Enterprise

EnterpriseSort = Literal["name", "tax_code", "-workers_count"]

ENTERPRISE_ORDERINGS = orderings(
    EnterpriseSort,
    {
        "name": (SortKey(Enterprise.name, "name"), SortKey(Enterprise.id, "id")),
        "tax_code": (SortKey(Enterprise.tax_code, "tax_code"),),
        "-workers_count": (
            SortKey(Enterprise.workers_count, "workers_count", True),
            SortKey(Enterprise.id, "id", True),
        ),
    },
)
