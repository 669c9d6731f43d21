"""Queries over an enterprise's key contacts."""

from sqlalchemy import select

from app.core.errors import NotFound
from app.core.pagination import ListQuery, Slice
from app.core.repository import Repository, where_equal
from app.core.text import matches_search
from app.enterprises.contacts.schemas import ContactFilters
from app.enterprises.contacts.sorting import CONTACT_ORDERINGS, ContactSort
from app.models import Enterprise, EnterpriseContact

ContactListQuery = ListQuery[ContactSort, ContactFilters]


class ContactRepository(Repository[EnterpriseContact]):
    model = EnterpriseContact
    noun = "contact"

    async def get_in(self, enterprise: Enterprise, contact_id: int) -> EnterpriseContact:
        """The contact, which must be one of the enterprise's (404 otherwise)."""
        contact = await self.get_or_none(contact_id)
        if contact is None or contact.enterprise_id != enterprise.id:
            raise NotFound(f"contact {contact_id} of enterprise {enterprise.id} does not exist")
        return contact

    async def list(
        self, enterprise: Enterprise, query: ContactListQuery
    ) -> Slice[EnterpriseContact]:
        filters = query.filters
        stmt = where_equal(
            select(EnterpriseContact).where(EnterpriseContact.enterprise_id == enterprise.id),
            (EnterpriseContact.role, filters.role),
        )
        if filters.q:
            stmt = stmt.where(matches_search(EnterpriseContact.search_key, filters.q))
        return await self._scalar_page(
            stmt, CONTACT_ORDERINGS[query.sort], query.limit, query.cursor
        )
