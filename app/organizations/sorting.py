"""The orders organizations are listed in (see app.core.pagination.orderings)."""

from typing import Literal

from app.core.pagination import orderings
from app.models import Organization

OrganizationSort = Literal["name", "established_on", "-established_on"]

ORGANIZATION_ORDERINGS = orderings(
    OrganizationSort,
    {
        "name": (Organization.name, Organization.id),
        "established_on": (Organization.established_on, Organization.id),
        "-established_on": (Organization.established_on, Organization.id),
    },
)
