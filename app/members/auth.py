"""The personal-data rule for members: date of birth, phone, e-mail and notes (where people type
ID-card numbers) are hidden from viewers
(docs/domain.md, "The committee")."""

from app.auth import dependencies
from app.members.schemas import Member, MemberEvent
from app.models import User

PERSONAL = ("date_of_birth", "phone", "email", "notes")


def for_reader(member: Member, user: User) -> Member:
    """The member as `user` may see them: without date of birth, phone and e-mail for viewers."""
    return dependencies.for_reader(member, user, PERSONAL)


def event_for_reader(event: MemberEvent, user: User) -> MemberEvent:
    """A step of the member's history as `user` may see it: its notes hidden from viewers."""
    return dependencies.for_reader(event, user, ("notes",))
