"""The orders targets and the rows counted for them are listed in: one Literal for the `sort`
parameter and the repository's orderings."""

from typing import Any, Literal

from app.core.pagination import Ordering, SortKey, orderings
from app.models import Target

TargetSort = Literal["period_start", "name"]

# Targets in force, listed with their attainment: by period.
IN_FORCE_SORT: TargetSort = "period_start"

TARGET_ORDERINGS = orderings(
    TargetSort,
    {
        "period_start": (SortKey(Target.period_start, "period_start"), SortKey(Target.id, "id")),
        "name": (SortKey(Target.name, "name"), SortKey(Target.id, "id")),
    },
)


def item_ordering(counted: Any) -> Ordering:
    """The one order of the rows counted for a target (by date, then id), over the subquery
    `counted` that the repository builds for the target's metric."""
    return Ordering("items", (SortKey(counted.c.on, "on"), SortKey(counted.c.id, "id")))
