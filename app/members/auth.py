"""The personal-data rule for members: date of birth, phone and e-mail are hidden from viewers
(docs/domain.md, "The committee")."""

from app.auth import dependencies
from app.members.schemas import Member
from app.models import User

PERSONAL = ("date_of_birth", "phone", "email")


def for_reader(member: Member, user: User) -> Member:
    """The member as `user` may see them: without date of birth, phone and e-mail for viewers."""
    return dependencies.for_reader(member, user, PERSONAL)
