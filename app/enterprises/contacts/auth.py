"""The personal-data rule for contacts: phone and e-mail are hidden from viewers."""

from app.auth.dependencies import sees_personal_data
from app.enterprises.contacts.schemas import Contact
from app.models import User


def for_reader(contact: Contact, user: User) -> Contact:
    """The contact as `user` may see it: without phone and e-mail for viewers."""
    if sees_personal_data(user):
        return contact
    return contact.model_copy(update={"phone": None, "email": None})
