"""The orders an enterprise's contacts are listed in: one Literal for the `sort` parameter and
the repository's orderings."""

from typing import Literal

from app.core.pagination import SortKey, orderings
from app.models import EnterpriseContact

ContactSort = Literal["full_name"]

CONTACT_ORDERINGS = orderings(
    ContactSort,
    {
        "full_name": (
            SortKey(EnterpriseContact.full_name, "full_name"),
            SortKey(EnterpriseContact.id, "id"),
        ),
    },
)
