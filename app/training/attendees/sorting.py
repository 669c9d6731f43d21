"""The one order a class's attendees are listed in: by name."""

from app.core.pagination import by
from app.models import ClassAttendee, Member

ATTENDEE_ORDERING = by(Member.full_name, ClassAttendee.member_id, name="full_name")
