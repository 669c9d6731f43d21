"""The orders organizations are listed in: one Literal for the `sort` parameter and the
repository's orderings."""

from typing import Literal

from app.core.pagination import SortKey, orderings
from app.models import Organization

OrganizationSort = Literal["name", "established_on", "-established_on"]

ORGANIZATION_ORDERINGS = orderings(
    OrganizationSort,
    {
        "name": (SortKey(Organization.name, "name"), SortKey(Organization.id, "id")),
        "established_on": (
            SortKey(Organization.established_on, "established_on"),
            SortKey(Organization.id, "id"),
        ),
        "-established_on": (
            SortKey(Organization.established_on, "established_on", True),
            SortKey(Organization.id, "id", True),
        ),
    },
)
