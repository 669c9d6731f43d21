"""/members: candidates and party members, their actions and their history."""

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response, status

from app.auth.dependencies import CurrentUser, EditorUser, sees_personal_data
from app.core.dates import add_months, today
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.http import IfMatch, check_if_match, set_etag
from app.core.pagination import CursorParam, LimitParam, Page, page_of
from app.core.repository import get_or_404
from app.members import schemas
from app.members.repository import (
    EVENT_ORDERING,
    MEMBER_ORDERINGS,
    MemberFilters,
    MemberRepository,
)
from app.members.service import MemberService
from app.models import Member, MemberStatus, SourceGroup, User

router = APIRouter(prefix="/members", tags=["members"])
ACTION_RESPONSES = problem_responses(409, 412)


async def valid_member(member_id: int, session: SessionDep) -> Member:
    return await get_or_404(session, Member, member_id, "member")


MemberDep = Annotated[Member, Depends(valid_member)]


def member_out(
    member: Member,
    user: User,
    *,
    status: str | None = None,
    organization_id: int | None = None,
    as_of: bool = False,
) -> schemas.Member:
    """The read model; as of a date, with the status and organization of that date (they come
    from SQL as plain text and are turned back into the enum)."""
    out = schemas.Member.model_validate(member)
    update: dict[str, object] = {}
    if as_of and status is not None:
        update.update(status=MemberStatus(status), organization_id=organization_id)
    effective = update.get("status", out.status)
    if effective == MemberStatus.PROBATIONARY and member.admitted_on is not None:
        update["probation_ends_on"] = add_months(member.admitted_on, 12)
    if not sees_personal_data(user):
        update.update(date_of_birth=None, phone=None, email=None)
    return out.model_copy(update=update) if update else out


def _single(member: Member, user: User, response: Response) -> schemas.Member:
    set_etag(response, member.version)
    return member_out(member, user)


@router.get("", response_model=Page[schemas.Member])
async def list_members(
    session: SessionDep,
    user: CurrentUser,
    limit: LimitParam = 50,
    cursor: CursorParam = None,
    sort: Literal["full_name", "id", "-registered_on"] = "full_name",
    as_of: Annotated[
        dt.date | None,
        Query(description="Who was in the records on this date, with their status then."),
    ] = None,
    organization_id: int | None = None,
    include_affiliated: Annotated[
        bool, Query(description="With organization_id: also members of its affiliated cells.")
    ] = False,
    enterprise_id: int | None = None,
    status: MemberStatus | None = None,
    source_group: SourceGroup | None = None,
    dossier_stale: Annotated[
        bool | None,
        Query(description="Candidates whose dossier started over 12 months ago, not admitted."),
    ] = None,
    probation_ends_before: Annotated[
        dt.date | None, Query(description="Probationary members whose 12 months end before it.")
    ] = None,
    q: Annotated[str | None, Query(max_length=200, description="Search in the name.")] = None,
) -> Page[schemas.Member]:
    ordering = MEMBER_ORDERINGS[sort]
    filters = MemberFilters(
        organization_id=organization_id,
        include_affiliated=include_affiliated,
        enterprise_id=enterprise_id,
        status=status,
        source_group=source_group,
        dossier_stale=dossier_stale,
        probation_ends_before=probation_ends_before,
        q=q,
    )
    rows = await MemberRepository(session).list(
        filters,
        on=as_of or today(),
        as_of=as_of is not None,
        ordering=ordering,
        limit=limit,
        cursor=cursor,
    )
    items, next_cursor = page_of(rows, ordering, limit)
    return Page(
        items=[
            member_out(m, user, status=s, organization_id=o, as_of=as_of is not None)
            for m, s, o in items
        ],
        next_cursor=next_cursor,
    )


@router.post("", response_model=schemas.Member, status_code=status.HTTP_201_CREATED)
async def create_member(
    data: schemas.MemberCreate, session: SessionDep, user: EditorUser, response: Response
) -> schemas.Member:
    """Register a candidate (optionally with the dossier started)."""
    member = await MemberService(session, user).create_candidate(data)
    response.headers["Location"] = f"/api/v1/members/{member.id}"
    return _single(member, user, response)


@router.post("/transfer-in", response_model=schemas.Member, status_code=status.HTTP_201_CREATED)
async def register_transfer_in(
    data: schemas.MemberTransferIn, session: SessionDep, user: EditorUser, response: Response
) -> schemas.Member:
    """Register a party member whose activity moves here from outside the committee."""
    member = await MemberService(session, user).transfer_in(data)
    response.headers["Location"] = f"/api/v1/members/{member.id}"
    return _single(member, user, response)


@router.get("/{member_id}", response_model=schemas.Member)
async def get_member(member: MemberDep, user: CurrentUser, response: Response) -> schemas.Member:
    return _single(member, user, response)


@router.patch("/{member_id}", response_model=schemas.Member, responses=ACTION_RESPONSES)
async def update_member(
    member: MemberDep,
    data: schemas.MemberUpdate,
    session: SessionDep,
    user: EditorUser,
    response: Response,
    if_match: IfMatch = None,
) -> schemas.Member:
    check_if_match(if_match, member.version)
    member = await MemberService(session, user).update(member, data)
    return _single(member, user, response)


@router.delete("/{member_id}", status_code=status.HTTP_204_NO_CONTENT, responses=ACTION_RESPONSES)
async def delete_member(
    member: MemberDep, session: SessionDep, user: EditorUser, if_match: IfMatch = None
) -> None:
    """Delete a candidate entered by mistake; party members leave through actions."""
    check_if_match(if_match, member.version)
    await MemberService(session, user).delete(member)


@router.post("/{member_id}/dossier", response_model=schemas.Member, responses=ACTION_RESPONSES)
async def start_dossier(
    member: MemberDep,
    data: schemas.DossierStart,
    session: SessionDep,
    user: EditorUser,
    response: Response,
    if_match: IfMatch = None,
) -> schemas.Member:
    """Start a candidate's admission dossier."""
    check_if_match(if_match, member.version)
    return _single(await MemberService(session, user).start_dossier(member, data), user, response)


@router.post("/{member_id}/admit", response_model=schemas.Member, responses=ACTION_RESPONSES)
async def admit_member(
    member: MemberDep,
    data: schemas.Admission,
    session: SessionDep,
    user: EditorUser,
    response: Response,
    if_match: IfMatch = None,
) -> schemas.Member:
    """Admit a candidate (kết nạp): 18 to 60 years old in full months, into an organization
    active on that date; probation starts."""
    check_if_match(if_match, member.version)
    return _single(await MemberService(session, user).admit(member, data), user, response)


@router.post("/{member_id}/recognize", response_model=schemas.Member, responses=ACTION_RESPONSES)
async def recognize_member(
    member: MemberDep,
    data: schemas.Recognition,
    session: SessionDep,
    user: EditorUser,
    response: Response,
    if_match: IfMatch = None,
) -> schemas.Member:
    """Recognize a probationary member as official, 12 months or more after admission."""
    check_if_match(if_match, member.version)
    return _single(await MemberService(session, user).recognize(member, data), user, response)


@router.post("/{member_id}/transfer", response_model=schemas.Member, responses=ACTION_RESPONSES)
async def transfer_member(
    member: MemberDep,
    data: schemas.Transfer,
    session: SessionDep,
    user: EditorUser,
    response: Response,
    if_match: IfMatch = None,
) -> schemas.Member:
    """Move a member's party activity to another organization, or out of the committee."""
    check_if_match(if_match, member.version)
    return _single(await MemberService(session, user).transfer(member, data), user, response)


@router.post("/{member_id}/remove", response_model=schemas.Member, responses=ACTION_RESPONSES)
async def remove_member(
    member: MemberDep,
    data: schemas.Removal,
    session: SessionDep,
    user: EditorUser,
    response: Response,
    if_match: IfMatch = None,
) -> schemas.Member:
    """Remove a member or candidate from the records (expelled, struck off, deceased, other)."""
    check_if_match(if_match, member.version)
    return _single(await MemberService(session, user).remove(member, data), user, response)


@router.get("/{member_id}/events", response_model=Page[schemas.MemberEvent])
async def list_member_events(
    member: MemberDep,
    session: SessionDep,
    limit: LimitParam = 50,
    cursor: CursorParam = None,
) -> Page[schemas.MemberEvent]:
    """The member's history, oldest first."""
    rows = await MemberRepository(session).events(member.id, limit=limit, cursor=cursor)
    items, next_cursor = page_of(rows, EVENT_ORDERING, limit)
    return Page(
        items=[schemas.MemberEvent.model_validate(e) for e in items], next_cursor=next_cursor
    )
