"""Queries and writes over an enterprise's key contacts."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import NotFound
from app.core.pagination import Ordering, SortKey, keyset
from app.core.repository import apply_changes
from app.core.text import matches_search
from app.enterprises.contacts.schemas import ContactCreate, ContactUpdate
from app.models import ContactRole, Enterprise, EnterpriseContact

CONTACT_ORDERINGS = {
    "full_name": Ordering(
        "full_name",
        (SortKey(EnterpriseContact.full_name, "full_name"), SortKey(EnterpriseContact.id, "id")),
    ),
}


class ContactRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, enterprise: Enterprise, contact_id: int) -> EnterpriseContact:
        contact = await self.session.get(EnterpriseContact, contact_id)
        if contact is None or contact.enterprise_id != enterprise.id:
            raise NotFound(f"contact {contact_id} of enterprise {enterprise.id} does not exist")
        return contact

    async def list(
        self,
        enterprise: Enterprise,
        *,
        ordering: Ordering,
        limit: int,
        cursor: str | None,
        role: ContactRole | None = None,
        q: str | None = None,
    ) -> Sequence[EnterpriseContact]:
        stmt = select(EnterpriseContact).where(EnterpriseContact.enterprise_id == enterprise.id)
        if role is not None:
            stmt = stmt.where(EnterpriseContact.role == role)
        if q:
            stmt = stmt.where(matches_search(EnterpriseContact.search_key, q))
        return (await self.session.scalars(keyset(stmt, ordering, limit, cursor))).all()

    async def create(self, enterprise: Enterprise, data: ContactCreate) -> EnterpriseContact:
        contact = EnterpriseContact(enterprise_id=enterprise.id, **data.model_dump())
        self.session.add(contact)
        await self.session.flush()
        return contact

    async def update(self, contact: EnterpriseContact, data: ContactUpdate) -> EnterpriseContact:
        apply_changes(contact, data)
        await self.session.flush()
        return contact

    async def delete(self, contact: EnterpriseContact) -> None:
        await self.session.delete(contact)
        await self.session.flush()
