"""/training-classes: awareness classes for candidates."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from app import models
from app.auth.dependencies import EditorUser
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.http import IfMatch, check_if_match, set_etag, set_location
from app.core.idempotency import IdempotentRoute
from app.core.pagination import Page, list_query
from app.core.repository import path_row
from app.training.repository import TrainingClassListQuery, TrainingClassRepository
from app.training.schemas import (
    TrainingClass,
    TrainingClassCreate,
    TrainingClassFilters,
    TrainingClassUpdate,
)
from app.training.service import TrainingClassService
from app.training.sorting import ClassSort

router = APIRouter(
    prefix="/training-classes", tags=["training-classes"], route_class=IdempotentRoute
)


ClassDep = Annotated[models.TrainingClass, Depends(path_row(TrainingClassRepository, "class_id"))]
ClassQuery = Annotated[
    TrainingClassListQuery, Depends(list_query(ClassSort, "-ends_on", TrainingClassFilters))
]


async def _read(
    session: SessionDep, training_class: models.TrainingClass, response: Response
) -> TrainingClass:
    set_etag(response, training_class.version)
    row = await TrainingClassRepository(session).with_attendance(training_class)
    return TrainingClass.from_row(row)


@router.get("", name="list", response_model=Page[TrainingClass])
async def list_classes(session: SessionDep, query: ClassQuery) -> Page[TrainingClass]:
    """Training classes with attendees and completions counted, latest ended first (default) or by
    title. Filter by an ended_from / ended_to range or q (title)."""
    return (await TrainingClassRepository(session).list(query)).page(TrainingClass.from_row)


@router.post("", name="create", response_model=TrainingClass, status_code=status.HTTP_201_CREATED)
async def create_class(
    data: TrainingClassCreate, session: SessionDep, _user: EditorUser, response: Response
) -> TrainingClass:
    """Schedule a class (editors and admins); ends_on before starts_on is a 422."""
    training_class = await TrainingClassService(session).create(data)
    set_location(response, "training-classes", training_class.id)
    return await _read(session, training_class, response)


@router.get("/{class_id}", name="get", response_model=TrainingClass)
async def get_class(
    training_class: ClassDep, session: SessionDep, response: Response
) -> TrainingClass:
    """One class with attendees and completions counted, and its ETag."""
    return await _read(session, training_class, response)


@router.patch(
    "/{class_id}", name="update", response_model=TrainingClass, responses=problem_responses(412)
)
async def update_class(
    training_class: ClassDep,
    data: TrainingClassUpdate,
    session: SessionDep,
    _user: EditorUser,
    response: Response,
    if_match: IfMatch = None,
) -> TrainingClass:
    """Change a class (editors and admins); ends_on before starts_on is a 422, a stale
    If-Match a 412."""
    check_if_match(if_match, training_class.version)
    training_class = await TrainingClassService(session).update(training_class, data)
    return await _read(session, training_class, response)


@router.delete(
    "/{class_id}",
    name="delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(412),
)
async def delete_class(
    training_class: ClassDep, session: SessionDep, _user: EditorUser, if_match: IfMatch = None
) -> None:
    """Delete a class with its attendance list."""
    check_if_match(if_match, training_class.version)
    await TrainingClassService(session).delete(training_class)
