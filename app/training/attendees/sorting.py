"""The one order a class's attendees are listed in: by name."""

from app.core.pagination import Ordering, SortKey
from app.models import ClassAttendee, Member

ATTENDEE_ORDERING = Ordering(
    "full_name",
    (SortKey(Member.full_name, "full_name"), SortKey(ClassAttendee.member_id, "member_id")),
)
