"""/training-classes/{class_id}/attendees: the candidates in a class and their completion."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from app.auth.dependencies import EditorUser
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.http import IfMatch, check_if_match, set_etag, set_location
from app.core.idempotency import IdempotentRoute
from app.core.pagination import Page, list_query
from app.core.schemas import ParamInt
from app.models import ClassAttendee
from app.training.attendees.repository import AttendeeListQuery, AttendeeRepository
from app.training.attendees.schemas import Attendee, AttendeeCreate, AttendeeUpdate
from app.training.attendees.service import AttendeeService
from app.training.router import ClassDep

router = APIRouter(
    prefix="/training-classes/{class_id}/attendees",
    tags=["class-attendees"],
    route_class=IdempotentRoute,
)


async def valid_attendee(
    training_class: ClassDep, member_id: ParamInt, session: SessionDep
) -> ClassAttendee:
    return await AttendeeRepository(session).get_in(training_class, member_id)


AttendeeDep = Annotated[ClassAttendee, Depends(valid_attendee)]
AttendeeQuery = Annotated[AttendeeListQuery, Depends(list_query())]


async def _read(session: SessionDep, attendee: ClassAttendee, response: Response) -> Attendee:
    set_etag(response, attendee.version)
    return Attendee.model_validate(await AttendeeRepository(session).read(attendee))


@router.get("", name="list", response_model=Page[Attendee])
async def list_attendees(
    training_class: ClassDep, session: SessionDep, query: AttendeeQuery
) -> Page[Attendee]:
    """Attendees by name."""
    return (await AttendeeRepository(session).list(training_class, query)).page(
        Attendee.model_validate
    )


@router.post(
    "",
    name="add",
    response_model=Attendee,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(409),
)
async def add_attendee(
    training_class: ClassDep,
    data: AttendeeCreate,
    session: SessionDep,
    _user: EditorUser,
    response: Response,
) -> Attendee:
    """Enrol a candidate (422 for anyone else, 409 if already enrolled)."""
    attendee = await AttendeeService(session).add(training_class, data)
    set_location(response, "training-classes", training_class.id, "attendees", attendee.member_id)
    return await _read(session, attendee, response)


@router.get("/{member_id}", name="get", response_model=Attendee)
async def get_attendee(attendee: AttendeeDep, session: SessionDep, response: Response) -> Attendee:
    """One attendee of the class, by member id (404 when the member does not attend it), with
    its ETag."""
    return await _read(session, attendee, response)


@router.patch(
    "/{member_id}", name="update", response_model=Attendee, responses=problem_responses(412)
)
async def update_attendee(
    attendee: AttendeeDep,
    data: AttendeeUpdate,
    session: SessionDep,
    _user: EditorUser,
    response: Response,
    if_match: IfMatch = None,
) -> Attendee:
    """Record whether the attendee completed the class."""
    check_if_match(if_match, attendee.version)
    attendee = await AttendeeService(session).update(attendee, data)
    return await _read(session, attendee, response)


@router.delete(
    "/{member_id}",
    name="remove",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(412),
)
async def remove_attendee(
    attendee: AttendeeDep, session: SessionDep, _user: EditorUser, if_match: IfMatch = None
) -> None:
    """Take a member off the class (editors and admins). A stale If-Match is a 412."""
    check_if_match(if_match, attendee.version)
    await AttendeeService(session).remove(attendee)
