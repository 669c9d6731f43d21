"""The orders enterprises are listed in (see app.core.pagination.orderings)."""

from typing import Literal

from app.core.pagination import orderings
from app.models import Enterprise

EnterpriseSort = Literal["name", "tax_code", "-workers_count"]

ENTERPRISE_ORDERINGS = orderings(
    EnterpriseSort,
    {
        "name": (Enterprise.name, Enterprise.id),
        "tax_code": (Enterprise.tax_code,),
        "-workers_count": (Enterprise.workers_count, Enterprise.id),
    },
)
