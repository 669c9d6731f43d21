"""/enterprises/{enterprise_id}/contacts: the key people the working groups meet."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from app.auth.dependencies import CurrentUser, EditorUser
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.http import IfMatch, check_if_match, set_etag, set_location
from app.core.idempotency import IdempotentRoute
from app.core.pagination import Page, list_query
from app.core.schemas import ParamInt
from app.enterprises.contacts.auth import for_reader
from app.enterprises.contacts.repository import ContactListQuery, ContactRepository
from app.enterprises.contacts.schemas import Contact, ContactCreate, ContactFilters, ContactUpdate
from app.enterprises.contacts.service import ContactService
from app.enterprises.contacts.sorting import ContactSort
from app.enterprises.router import EnterpriseDep
from app.models import EnterpriseContact, User

router = APIRouter(
    prefix="/enterprises/{enterprise_id}/contacts",
    tags=["enterprise-contacts"],
    route_class=IdempotentRoute,
)


async def valid_contact(
    enterprise: EnterpriseDep, contact_id: ParamInt, session: SessionDep
) -> EnterpriseContact:
    return await ContactRepository(session).get_in(enterprise, contact_id)


ContactDep = Annotated[EnterpriseContact, Depends(valid_contact)]
ContactQuery = Annotated[
    ContactListQuery, Depends(list_query(ContactSort, "full_name", ContactFilters))
]


def _read(contact: EnterpriseContact, user: User, response: Response | None = None) -> Contact:
    """The contact as `user` may see it; with its ETag when it is the response's resource."""
    if response is not None:
        set_etag(response, contact.version)
    return for_reader(Contact.model_validate(contact), user)


@router.get("", name="list", response_model=Page[Contact])
async def list_contacts(
    enterprise: EnterpriseDep,
    session: SessionDep,
    user: CurrentUser,
    query: ContactQuery,
) -> Page[Contact]:
    """The enterprise's contacts by full_name; filter by role or q (name). Viewers get phone, email
    and notes as null."""
    rows = await ContactRepository(session).list(enterprise, query)
    return rows.page(lambda contact: _read(contact, user))


@router.post("", name="create", response_model=Contact, status_code=status.HTTP_201_CREATED)
async def create_contact(
    enterprise: EnterpriseDep,
    data: ContactCreate,
    session: SessionDep,
    user: EditorUser,
    response: Response,
) -> Contact:
    """Add a key contact to the enterprise (editors and admins)."""
    contact = await ContactService(session).create(enterprise, data)
    set_location(response, "enterprises", enterprise.id, "contacts", contact.id)
    return _read(contact, user, response)


@router.get("/{contact_id}", name="get", response_model=Contact)
async def get_contact(contact: ContactDep, user: CurrentUser, response: Response) -> Contact:
    """One contact of the enterprise (404 when it belongs to another), with its ETag. Viewers get
    phone, email and notes as null."""
    return _read(contact, user, response)


@router.patch(
    "/{contact_id}", name="update", response_model=Contact, responses=problem_responses(412)
)
async def update_contact(
    contact: ContactDep,
    data: ContactUpdate,
    session: SessionDep,
    user: EditorUser,
    response: Response,
    if_match: IfMatch = None,
) -> Contact:
    """Change a contact (editors and admins). A stale If-Match is a 412."""
    check_if_match(if_match, contact.version)
    contact = await ContactService(session).update(contact, data)
    return _read(contact, user, response)


@router.delete(
    "/{contact_id}",
    name="delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(412),
)
async def delete_contact(
    contact: ContactDep, session: SessionDep, _user: EditorUser, if_match: IfMatch = None
) -> None:
    """Delete a contact (editors and admins); activities that named it keep their contact_role. A
    stale If-Match is a 412."""
    check_if_match(if_match, contact.version)
    await ContactService(session).delete(contact)
