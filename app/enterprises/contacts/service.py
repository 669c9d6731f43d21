"""Contact writes: a new contact belongs to the enterprise in the path."""

from sqlalchemy.ext.asyncio import AsyncSession

from app.enterprises.contacts.repository import ContactRepository
from app.enterprises.contacts.schemas import ContactCreate, ContactUpdate
from app.models import Enterprise, EnterpriseContact


class ContactService:
    def __init__(self, session: AsyncSession) -> None:
        self.contacts = ContactRepository(session)

    async def create(self, enterprise: Enterprise, data: ContactCreate) -> EnterpriseContact:
        contact = EnterpriseContact(enterprise_id=enterprise.id, **data.model_dump())
        return await self.contacts.add(contact)

    async def update(self, contact: EnterpriseContact, data: ContactUpdate) -> EnterpriseContact:
        return await self.contacts.update(contact, data)

    async def delete(self, contact: EnterpriseContact) -> None:
        await self.contacts.delete(contact)
