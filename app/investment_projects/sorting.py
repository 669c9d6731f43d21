"""The orders investment projects are listed in (see app.core.pagination.orderings)."""

from typing import Literal

from app.core.pagination import orderings
from app.models import InvestmentProject

ProjectSort = Literal["-licensed_on", "name"]

PROJECT_ORDERINGS = orderings(
    ProjectSort,
    {
        "-licensed_on": (InvestmentProject.licensed_on, InvestmentProject.id),
        "name": (InvestmentProject.name, InvestmentProject.id),
    },
)
