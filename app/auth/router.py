"""POST /auth/token (OAuth2 password flow) and GET /auth/me."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm

from app.auth.dependencies import CurrentUser
from app.auth.schemas import Token
from app.auth.throttle import LoginThrottle
from app.core.db import SessionDep
from app.core.errors import Unauthorized, problem_responses
from app.core.security import check_password, create_access_token
from app.users.repository import UserRepository
from app.users.schemas import UserRead

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/token", response_model=Token, responses=problem_responses(401, 422, 429))
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
        await throttle.failed(username, address)
        raise Unauthorized("wrong username or password", code="invalid_credentials")
    assert user is not None
    if not user.is_active:
        raise Unauthorized("this account is deactivated", code="inactive_user")
    await throttle.succeeded(username)
    issued = create_access_token(
        user.id, request.app.state.signing_key, settings.access_token_minutes
    )
    return Token(
        access_token=issued.token,
        expires_in=settings.access_token_minutes * 60,
        expires_at=issued.expires_at,
    )


@router.get("/me", response_model=UserRead, responses=problem_responses(401))
async def me(user: CurrentUser) -> UserRead:
    """The account the bearer token belongs to."""
    return UserRead.model_validate(user)
