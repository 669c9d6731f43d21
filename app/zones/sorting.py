"""The orders industrial zones are listed in (see app.core.pagination.orderings)."""

from typing import Literal

from app.core.pagination import orderings
from app.models import IndustrialZone

ZoneSort = Literal["code", "name"]

ZONE_ORDERINGS = orderings(
    ZoneSort,
    {
        "code": (IndustrialZone.code,),
        "name": (IndustrialZone.name, IndustrialZone.id),
    },
)
