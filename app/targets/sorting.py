"""The orders targets and the rows counted for them are listed in."""

from typing import Any, Literal

from app.core.pagination import Ordering, by, orderings
from app.models import Target

TargetSort = Literal["period_start", "name"]

# Targets in force, listed with their attainment: by period.
IN_FORCE_SORT: TargetSort = "period_start"

TARGET_ORDERINGS = orderings(
    TargetSort,
    {
        "period_start": (Target.period_start, Target.id),
        "name": (Target.name, Target.id),
    },
)


def item_ordering(counted: Any) -> Ordering:
    """The one order of the rows counted for a target (by date, then id), over the subquery
    `counted` that the repository builds for the target's metric."""
    return by(counted.c.on, counted.c.id, name="items")
