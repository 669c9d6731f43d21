"""Logging in (OAuth2 password flow), refreshing, logging out, changing one's password, /me."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.dependencies import TokenUser
from app.auth.schemas import PasswordChange, RefreshRequest, Token
from app.auth.sessions import Sessions, revoke_session
from app.auth.throttle import LoginThrottle
from app.core.audit import change, record, set_actor
from app.core.db import SessionDep
from app.core.errors import Forbidden, Unauthorized, problem_responses
from app.core.http import set_etag
from app.core.problem_codes import ProblemCode
from app.core.security import check_password
from app.models import AuditAction, AuditResource, User
from app.users.repository import UserRepository
from app.users.schemas import UserRead
from app.users.service import UserService

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post(
    "/token",
    summary="Log in: get a token pair",
    response_model=Token,
    responses=problem_responses(401, 422, 429),
)
async def token(
    request: Request,
    session: SessionDep,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
) -> Token:
    """Exchange a username and password for a bearer token (OAuth2 password flow).

    Repeated failures lock the username, and a client address, for a while (429 with
    Retry-After; README "Sessions and security")."""
    settings = request.app.state.settings
    username = form.username.strip().lower()[:255]
    address = request.client.host if request.client else "unknown"
    throttle = LoginThrottle(session, settings)
    await throttle.check(username, address)
    user = await UserRepository(session).by_username(username)
    await session.commit()  # the connection goes back to the pool while the password is checked
    if not await check_password(form.password, user.password_hash if user else None):
        # An unknown username is not recorded: people type passwords into that field.
        _login_failed(session, user, "wrong_password")
        await throttle.failed(username, address)
        raise Unauthorized("wrong username or password", code=ProblemCode.INVALID_CREDENTIALS)
    assert user is not None
    if not user.is_active:
        _login_failed(session, user, "inactive_user")
        await session.commit()
        raise Unauthorized("this account is deactivated", code=ProblemCode.INACTIVE_USER)
    await throttle.succeeded(username)
    set_actor(user.id, user.username)
    return await _sessions(request, session).open(user, address)


def _login_failed(session: AsyncSession, user: User | None, reason: str) -> None:
    record(
        session,
        AuditAction.LOGIN_FAILED,
        AuditResource.USER,
        user.id if user else None,
        changes=[change("reason", None, reason)],
    )


def _sessions(request: Request, session: AsyncSession) -> Sessions:
    return Sessions(session, request.app.state.settings, request.app.state.signing_key)


@router.post(
    "/refresh",
    summary="Refresh the token pair",
    response_model=Token,
    responses=problem_responses(401),
)
async def refresh(request: Request, session: SessionDep, data: RefreshRequest) -> Token:
    """New tokens for a refresh token, which is spent: send the new one next time. A spent
    token sent again ends its session (401 `refresh_token_reused`)."""
    return await _sessions(request, session).refresh(data.refresh_token)


@router.post(
    "/logout",
    summary="Log out",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401),
)
async def logout(request: Request, session: SessionDep, user: TokenUser) -> None:
    """End this session: its access token and refresh token stop working at once."""
    await revoke_session(session, request.state.session_id, user.id)


@router.post(
    "/password",
    name="change-password",
    response_model=Token,
    responses=problem_responses(401, 403, 422),
)
async def change_password(
    request: Request, session: SessionDep, user: TokenUser, data: PasswordChange
) -> Token:
    """Change your own password: every earlier token of yours stops working, and a new session
    is returned. A wrong current password is 403 `wrong_password`."""
    if not await check_password(data.current_password, user.password_hash):
        raise Forbidden("the current password is wrong", code=ProblemCode.WRONG_PASSWORD)
    await UserService(session).set_own_password(user, data.new_password)
    address = request.client.host if request.client else "unknown"
    return await _sessions(request, session).open(user, address)


@router.get("/me", summary="Who you are", response_model=UserRead, responses=problem_responses(401))
async def me(user: TokenUser, response: Response) -> UserRead:
    """The account the bearer token belongs to, with its ETag (as GET /users/{id} gives it)."""
    set_etag(response, user.version)
    return UserRead.model_validate(user)
