"""/members: candidates and party members, their actions and their history."""

from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Response, status

from app import models
from app.auth.dependencies import CurrentUser, EditorUser
from app.core.dates import today
from app.core.db import ReplicaSessionDep, SessionDep
from app.core.errors import problem_responses
from app.core.http import IfMatch, check_if_match, constructed, set_etag, set_location
from app.core.idempotency import IdempotentRoute
from app.core.pagination import Page, list_query
from app.core.repository import path_row
from app.members.auth import event_for_reader, for_reader
from app.members.repository import MemberEventListQuery, MemberListQuery, MemberRepository
from app.members.schemas import (
    Admission,
    DossierStart,
    Member,
    MemberCreate,
    MemberEvent,
    MemberFilters,
    MemberTransferIn,
    MemberUpdate,
    Recognition,
    Removal,
    Transfer,
)
from app.members.service import MemberService
from app.members.sorting import MemberSort
from app.models import User

router = APIRouter(prefix="/members", tags=["members"], route_class=IdempotentRoute)
ACTION_RESPONSES = problem_responses(409, 412)
Body = TypeVar("Body")


MemberDep = Annotated[models.Member, Depends(path_row(MemberRepository, "member_id"))]
MemberQuery = Annotated[
    MemberListQuery, Depends(list_query(MemberSort, "full_name", MemberFilters))
]
MemberEventQuery = Annotated[MemberEventListQuery, Depends(list_query())]


def _read(member: models.Member, user: User, response: Response) -> Member:
    set_etag(response, member.version)
    return for_reader(Member.of(member), user)


def _created(member: models.Member, user: User, response: Response) -> Member:
    set_location(response, "members", member.id)
    return _read(member, user, response)


class _Action:
    """What every member action does around its rule: check If-Match, run the service's step as
    the editor, and answer with the member and its new ETag."""

    def __init__(
        self,
        member: MemberDep,
        session: SessionDep,
        user: EditorUser,
        response: Response,
        if_match: IfMatch = None,
    ) -> None:
        self.member, self.session, self.user = member, session, user
        self.response, self.if_match = response, if_match

    async def __call__(
        self,
        step: Callable[[MemberService, models.Member, Body], Awaitable[models.Member]],
        data: Body,
    ) -> Member:
        check_if_match(self.if_match, self.member.version)
        member = await step(MemberService(self.session, self.user), self.member, data)
        return _read(member, self.user, self.response)


ActionDep = Annotated[_Action, Depends(constructed(_Action))]


@router.get("", name="list", response_model=Page[Member])
async def list_members(
    session: ReplicaSessionDep, user: CurrentUser, query: MemberQuery
) -> Page[Member]:
    """Candidates and members by full_name (default), id or -registered_on; as_of gives who was in
    the records on that date, with their status then. Filters: organization_id (include_affiliated),
    enterprise_id, status, source_group, dossier_stale, probation_ends_before, q (name). Viewers
    get date_of_birth, phone, email and notes as null."""
    rows = await MemberRepository(session).list(query.filters.as_of or today(), query)
    return rows.page(lambda row: for_reader(Member.from_row(row), user))


@router.post(
    "",
    name="create",
    response_model=Member,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(409),
)
async def create_member(
    data: MemberCreate, session: SessionDep, user: EditorUser, response: Response
) -> Member:
    """Register a candidate (optionally with the dossier started). A party_card_no another
    member holds is a 409."""
    return _created(await MemberService(session, user).create_candidate(data), user, response)


@router.post(
    "/transfer-in",
    name="transfer-in",
    response_model=Member,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(409),
)
async def register_transfer_in(
    data: MemberTransferIn, session: SessionDep, user: EditorUser, response: Response
) -> Member:
    """Register a party member whose activity moves here from outside the committee. A
    party_card_no another member holds is a 409."""
    return _created(await MemberService(session, user).transfer_in(data), user, response)


# `:int`: ids are digits only, so /members/transfer-in never falls into /{member_id} (a PATCH
# on it is 405 with the Allow header, not a 422 about the id).
@router.get("/{member_id:int}", name="get", response_model=Member)
async def get_member(member: MemberDep, user: CurrentUser, response: Response) -> Member:
    """One candidate or member with its ETag. Viewers get date_of_birth, phone, email and
    notes as null."""
    return _read(member, user, response)


@router.patch("/{member_id:int}", name="update", response_model=Member, responses=ACTION_RESPONSES)
async def update_member(data: MemberUpdate, act: ActionDep) -> Member:
    """Change personal and employment details (editors and admins); status and organization change
    only through the actions. A future date_of_birth or an unknown enterprise_id is a 422, a stale
    If-Match a 412."""
    return await act(MemberService.update, data)


@router.delete(
    "/{member_id:int}",
    name="delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=ACTION_RESPONSES,
)
async def delete_member(
    member: MemberDep, session: SessionDep, user: EditorUser, if_match: IfMatch = None
) -> None:
    """Delete a candidate entered by mistake; party members leave through actions."""
    check_if_match(if_match, member.version)
    await MemberService(session, user).delete(member)


@router.post(
    "/{member_id:int}/dossier",
    name="start-dossier",
    response_model=Member,
    responses=ACTION_RESPONSES,
)
async def start_dossier(data: DossierStart, act: ActionDep) -> Member:
    """Start a candidate's admission dossier."""
    return await act(MemberService.start_dossier, data)


@router.post(
    "/{member_id:int}/admit", name="admit", response_model=Member, responses=ACTION_RESPONSES
)
async def admit_member(data: Admission, act: ActionDep) -> Member:
    """Admit a candidate (kết nạp): 18 to 60 years old in full months, into an organization
    active on that date; probation starts."""
    return await act(MemberService.admit, data)


@router.post(
    "/{member_id:int}/recognize",
    name="recognize",
    response_model=Member,
    responses=ACTION_RESPONSES,
)
async def recognize_member(data: Recognition, act: ActionDep) -> Member:
    """Recognize a probationary member as official, 12 months or more after admission."""
    return await act(MemberService.recognize, data)


@router.post(
    "/{member_id:int}/transfer", name="transfer", response_model=Member, responses=ACTION_RESPONSES
)
async def transfer_member(data: Transfer, act: ActionDep) -> Member:
    """Move a member's party activity to another organization, or out of the committee."""
    return await act(MemberService.transfer, data)


@router.post(
    "/{member_id:int}/remove", name="remove", response_model=Member, responses=ACTION_RESPONSES
)
async def remove_member(data: Removal, act: ActionDep) -> Member:
    """Remove a member or candidate from the records (expelled, struck off, deceased, other)."""
    return await act(MemberService.remove, data)


@router.get("/{member_id:int}/events", name="list-events", response_model=Page[MemberEvent])
async def list_member_events(
    member: MemberDep, session: SessionDep, user: CurrentUser, query: MemberEventQuery
) -> Page[MemberEvent]:
    """The member's history, oldest first."""
    events = await MemberRepository(session).events(member, query)
    return events.page(lambda event: event_for_reader(MemberEvent.model_validate(event), user))
