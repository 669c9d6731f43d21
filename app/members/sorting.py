"""The orders members are listed in, and the one order of a member's events (timeline)."""

from typing import Literal

from app.core.pagination import by, orderings
from app.models import Member, MemberEvent

MemberSort = Literal["full_name", "id", "-registered_on"]

MEMBER_ORDERINGS = orderings(
    MemberSort,
    {
        "full_name": (Member.full_name, Member.id),
        "id": (Member.id,),
        "-registered_on": (Member.registered_on, Member.id),
    },
)

EVENT_ORDERING = by(MemberEvent.occurred_on, MemberEvent.id, name="timeline")
