"""The orders investment projects are listed in: one Literal for the `sort` parameter and the
repository's orderings."""

from typing import Literal

from app.core.pagination import SortKey, orderings
from app.models import InvestmentProject

ProjectSort = Literal["-licensed_on", "name"]

PROJECT_ORDERINGS = orderings(
    ProjectSort,
    {
        "-licensed_on": (
            SortKey(InvestmentProject.licensed_on, "licensed_on", True),
            SortKey(InvestmentProject.id, "id", True),
        ),
        "name": (SortKey(InvestmentProject.name, "name"), SortKey(InvestmentProject.id, "id")),
    },
)
