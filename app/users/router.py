"""/users: account management, for admins only."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status

from app.auth.dependencies import AdminUser
from app.auth.schemas import SessionRead
from app.auth.sessions import open_sessions, revoke_session
from app.core.db import SessionDep
from app.core.errors import NotFound, problem_responses
from app.core.http import IfMatch, check_if_match, set_etag, set_location
from app.core.idempotency import IdempotentRoute
from app.core.pagination import Page, list_query
from app.core.repository import path_lock
from app.core.schemas import ParamInt
from app.models import User
from app.users.repository import UserListQuery, UserRepository
from app.users.schemas import UserCreate, UserFilters, UserRead, UserUpdate
from app.users.service import UserService
from app.users.sorting import UserSort

router = APIRouter(prefix="/users", tags=["users"], route_class=IdempotentRoute)


async def valid_user(
    user_id: ParamInt, session: SessionDep, _admin: AdminUser, request: Request
) -> User:
    """The user named in the path; only admins learn whether it exists."""
    return await UserRepository(session).get(user_id, lock=path_lock(request))


UserDep = Annotated[User, Depends(valid_user)]
UserQuery = Annotated[UserListQuery, Depends(list_query(UserSort, "username", UserFilters))]


def _read(user: User, response: Response) -> UserRead:
    set_etag(response, user.version)
    return UserRead.model_validate(user)


@router.get("", name="list", response_model=Page[UserRead])
async def list_users(session: SessionDep, _admin: AdminUser, query: UserQuery) -> Page[UserRead]:
    """Accounts (admins only), by username (default) or newest first (-created_at). Filter by role,
    is_active or q (username, name)."""
    return (await UserRepository(session).list(query)).page(UserRead.model_validate)


@router.post(
    "",
    name="create",
    response_model=UserRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(409),
)
async def create_user(
    data: UserCreate, session: SessionDep, _admin: AdminUser, response: Response
) -> UserRead:
    """Create an account (admins only). A username already taken is a 409, a weak password a 422."""
    user = await UserService(session).create(data)
    set_location(response, "users", user.id)
    return _read(user, response)


@router.get("/{user_id}", name="get", response_model=UserRead)
async def get_user(user: UserDep, response: Response) -> UserRead:
    """One account with its ETag (admins only)."""
    return _read(user, response)


@router.patch(
    "/{user_id}", name="update", response_model=UserRead, responses=problem_responses(409, 412)
)
async def update_user(
    admin: AdminUser,
    user: UserDep,
    data: UserUpdate,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> UserRead:
    """Change an account's name, role, password or is_active (admins only); a new password, role or
    is_active ends its sessions. Demoting or deactivating yourself, or leaving no active admin, is a
    409; your own password goes through POST /auth/password (403)."""
    check_if_match(if_match, user.version)
    user = await UserService(session).update(user, data, acting=admin)
    return _read(user, response)


@router.delete(
    "/{user_id}",
    name="delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(409, 412),
)
async def delete_user(
    admin: AdminUser, user: UserDep, session: SessionDep, if_match: IfMatch = None
) -> None:
    """Delete an account that nothing refers to; deactivate it otherwise (PATCH is_active)."""
    check_if_match(if_match, user.version)
    await UserService(session).delete(user, acting=admin)


@router.get("/{user_id}/sessions", name="list-sessions", response_model=list[SessionRead])
async def list_user_sessions(user: UserDep, session: SessionDep) -> list[SessionRead]:
    """The user's open sessions (logins not ended, not expired), oldest first."""
    return [SessionRead.model_validate(s) for s in await open_sessions(session, user.id)]


@router.delete(
    "/{user_id}/sessions/{session_id}",
    name="end-session",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(404),
)
async def end_user_session(user: UserDep, session_id: ParamInt, session: SessionDep) -> None:
    """End one of the user's sessions: its tokens stop working at once."""
    if not await revoke_session(session, session_id, user.id):
        raise NotFound(f"user {user.id} has no open session {session_id}")
