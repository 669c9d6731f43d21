"""The personal-data rule for members: date of birth, phone, e-mail and notes (where people type
ID-card numbers) are hidden from viewers (docs/domain.md, "The committee"). The fields are the
models' `__personal__` lists, which the audit trail masks too."""

from app.auth import dependencies
from app.members.schemas import Member, MemberEvent
from app.models import Member as MemberRow
from app.models import MemberEvent as MemberEventRow
from app.models import User

PERSONAL = MemberRow.__personal__


def for_reader(member: Member, user: User) -> Member:
    """The member as `user` may see them: without their personal fields for viewers."""
    return dependencies.for_reader(member, user, PERSONAL)


def event_for_reader(event: MemberEvent, user: User) -> MemberEvent:
    """A step of the member's history as `user` may see it: its notes hidden from viewers."""
    return dependencies.for_reader(event, user, MemberEventRow.__personal__)
