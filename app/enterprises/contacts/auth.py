"""The personal-data rule for contacts: phone, e-mail and notes are hidden from viewers."""

from app.auth import dependencies
from app.enterprises.contacts.schemas import Contact
from app.models import User

PERSONAL = ("phone", "email", "notes")


def for_reader(contact: Contact, user: User) -> Contact:
    """The contact as `user` may see it: without phone and e-mail for viewers."""
    return dependencies.for_reader(contact, user, PERSONAL)
