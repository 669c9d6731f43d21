"""The orders industrial zones are listed in: one Literal for the `sort` parameter and the
repository's orderings."""

from typing import Literal

from app.core.pagination import SortKey, orderings
from app.models import IndustrialZone

ZoneSort = Literal["code", "name"]

ZONE_ORDERINGS = orderings(
    ZoneSort,
    {
        "code": (SortKey(IndustrialZone.code, "code"),),
        "name": (SortKey(IndustrialZone.name, "name"), SortKey(IndustrialZone.id, "id")),
    },
)
