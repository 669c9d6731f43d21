"""/users: account management, for admins only."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response, status

from app.auth.dependencies import AdminUser
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.http import IfMatch, check_if_match, set_etag
from app.core.pagination import CursorParam, LimitParam, Page, page_of
from app.models import Role
from app.users.repository import USER_ORDERINGS, UserRepository
from app.users.schemas import UserCreate, UserRead, UserUpdate
from app.users.service import UserService

router = APIRouter(prefix="/users", tags=["users"])


@router.get("", response_model=Page[UserRead])
async def list_users(
    session: SessionDep,
    _admin: AdminUser,
    limit: LimitParam = 50,
    cursor: CursorParam = None,
    sort: Literal["username", "-created_at"] = "username",
    role: Role | None = None,
    is_active: bool | None = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Search in username and name.")
    ] = None,
) -> Page[UserRead]:
    ordering = USER_ORDERINGS[sort]
    rows = await UserRepository(session).list(
        ordering=ordering, limit=limit, cursor=cursor, role=role, is_active=is_active, q=q
    )
    items, next_cursor = page_of(rows, ordering, limit)
    return Page(items=[UserRead.model_validate(u) for u in items], next_cursor=next_cursor)


@router.post(
    "",
    response_model=UserRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(409),
)
async def create_user(
    data: UserCreate, session: SessionDep, _admin: AdminUser, response: Response
) -> UserRead:
    user = await UserService(session).create(data)
    set_etag(response, user.version)
    response.headers["Location"] = f"/api/v1/users/{user.id}"
    return UserRead.model_validate(user)


@router.get("/{user_id}", response_model=UserRead)
async def get_user(
    user_id: int, session: SessionDep, _admin: AdminUser, response: Response
) -> UserRead:
    user = await UserRepository(session).get(user_id)
    set_etag(response, user.version)
    return UserRead.model_validate(user)


@router.patch("/{user_id}", response_model=UserRead, responses=problem_responses(409, 412))
async def update_user(
    user_id: int,
    data: UserUpdate,
    session: SessionDep,
    admin: AdminUser,
    response: Response,
    if_match: IfMatch = None,
) -> UserRead:
    user = await UserRepository(session).get(user_id)
    check_if_match(if_match, user.version)
    user = await UserService(session).update(user, data, acting=admin)
    set_etag(response, user.version)
    return UserRead.model_validate(user)


@router.delete(
    "/{user_id}", status_code=status.HTTP_204_NO_CONTENT, responses=problem_responses(409, 412)
)
async def delete_user(
    user_id: int, session: SessionDep, admin: AdminUser, if_match: IfMatch = None
) -> None:
    """Delete an account that nothing refers to; deactivate it otherwise (PATCH is_active)."""
    user = await UserRepository(session).get(user_id)
    check_if_match(if_match, user.version)
    await UserService(session).delete(user, acting=admin)
