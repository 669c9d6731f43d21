"""/enterprises/{enterprise_id}/contacts: the key people the working groups meet."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response, status

from app.auth.dependencies import CurrentUser, EditorUser, sees_personal_data
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.http import IfMatch, check_if_match, set_etag
from app.core.pagination import CursorParam, LimitParam, Page, page_of
from app.enterprises.contacts.repository import CONTACT_ORDERINGS, ContactRepository
from app.enterprises.contacts.schemas import Contact, ContactCreate, ContactUpdate
from app.enterprises.router import EnterpriseDep
from app.models import ContactRole, EnterpriseContact, User

router = APIRouter(prefix="/enterprises/{enterprise_id}/contacts", tags=["enterprise-contacts"])


async def valid_contact(
    enterprise: EnterpriseDep, contact_id: int, session: SessionDep
) -> EnterpriseContact:
    return await ContactRepository(session).get(enterprise, contact_id)


ContactDep = Annotated[EnterpriseContact, Depends(valid_contact)]


def _read(contact: EnterpriseContact, user: User, response: Response | None = None) -> Contact:
    if response is not None:
        set_etag(response, contact.version)
    return Contact.model_validate(contact).for_reader(sees_personal_data(user))


@router.get("", response_model=Page[Contact])
async def list_contacts(
    enterprise: EnterpriseDep,
    session: SessionDep,
    user: CurrentUser,
    limit: LimitParam = 50,
    cursor: CursorParam = None,
    sort: Literal["full_name"] = "full_name",
    role: ContactRole | None = None,
    q: Annotated[str | None, Query(max_length=200, description="Name; accents optional.")] = None,
) -> Page[Contact]:
    ordering = CONTACT_ORDERINGS[sort]
    rows = await ContactRepository(session).list(
        enterprise, ordering=ordering, limit=limit, cursor=cursor, role=role, q=q
    )
    items, next_cursor = page_of(rows, ordering, limit)
    return Page(items=[_read(c, user) for c in items], next_cursor=next_cursor)


@router.post("", response_model=Contact, status_code=status.HTTP_201_CREATED)
async def create_contact(
    enterprise: EnterpriseDep,
    data: ContactCreate,
    session: SessionDep,
    user: EditorUser,
    response: Response,
) -> Contact:
    contact = await ContactRepository(session).create(enterprise, data)
    response.headers["Location"] = f"/api/v1/enterprises/{enterprise.id}/contacts/{contact.id}"
    return _read(contact, user, response)


@router.get("/{contact_id}", response_model=Contact)
async def get_contact(contact: ContactDep, user: CurrentUser, response: Response) -> Contact:
    return _read(contact, user, response)


@router.patch("/{contact_id}", response_model=Contact, responses=problem_responses(412))
async def update_contact(
    contact: ContactDep,
    data: ContactUpdate,
    session: SessionDep,
    user: EditorUser,
    response: Response,
    if_match: IfMatch = None,
) -> Contact:
    check_if_match(if_match, contact.version)
    contact = await ContactRepository(session).update(contact, data)
    return _read(contact, user, response)


@router.delete(
    "/{contact_id}", status_code=status.HTTP_204_NO_CONTENT, responses=problem_responses(412)
)
async def delete_contact(
    contact: ContactDep, session: SessionDep, _user: EditorUser, if_match: IfMatch = None
) -> None:
    check_if_match(if_match, contact.version)
    await ContactRepository(session).delete(contact)
