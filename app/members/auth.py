"""The personal-data rule for members: date of birth, phone and e-mail are hidden from viewers
(docs/domain.md, "The committee")."""

from app.auth.dependencies import sees_personal_data
from app.members.schemas import Member
from app.models import User


def for_reader(member: Member, user: User) -> Member:
    """The member as `user` may see them: without date of birth, phone and e-mail for viewers."""
    if sees_personal_data(user):
        return member
    return member.model_copy(update={"date_of_birth": None, "phone": None, "email": None})
