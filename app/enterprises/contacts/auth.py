"""The personal-data rule for contacts: phone, e-mail and notes (the model's `__personal__`,
which the audit trail masks too) are hidden from viewers."""

from app.auth import dependencies
from app.enterprises.contacts.schemas import Contact
from app.models import EnterpriseContact, User

PERSONAL = EnterpriseContact.__personal__


def for_reader(contact: Contact, user: User) -> Contact:
    """The contact as `user` may see it: without its personal fields for viewers."""
    return dependencies.for_reader(contact, user, PERSONAL)
