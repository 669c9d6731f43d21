"""The orders members and their events are listed in: one Literal for the members' `sort`
parameter and the repository's orderings; a member's events have one order, their timeline."""

from typing import Literal

from app.core.pagination import Ordering, SortKey, orderings
from app.models import Member, MemberEvent

MemberSort = Literal["full_name", "id", "-registered_on"]

MEMBER_ORDERINGS = orderings(
    MemberSort,
    {
        "full_name": (SortKey(Member.full_name, "full_name"), SortKey(Member.id, "id")),
        "id": (SortKey(Member.id, "id"),),
        "-registered_on": (
            SortKey(Member.registered_on, "registered_on", True),
            SortKey(Member.id, "id", True),
        ),
    },
)

EVENT_ORDERING = Ordering(
    "timeline", (SortKey(MemberEvent.occurred_on, "occurred_on"), SortKey(MemberEvent.id, "id"))
)
