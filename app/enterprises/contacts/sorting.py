"""The orders an enterprise's contacts are listed in."""

from typing import Literal

from app.core.pagination import orderings
from app.models import EnterpriseContact

ContactSort = Literal["full_name"]

CONTACT_ORDERINGS = orderings(
    ContactSort,
    {
        "full_name": (EnterpriseContact.full_name, EnterpriseContact.id),
    },
)
