"""The current user from the bearer token, and role checks declared as reusable dependencies."""

from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from pydantic import BaseModel
from sqlalchemy import bindparam, select

from app.core.audit import set_actor
from app.core.db import SAFE_METHODS, SessionDep
from app.core.errors import Forbidden, Unauthorized
from app.core.http import API_PREFIX
from app.core.problem_codes import ProblemCode
from app.core.reads import Prepared, column_keys, detached, param
from app.core.security import InvalidToken, decode_access_token
from app.models import AuthSession, Role, User

Shown = TypeVar("Shown", bound=BaseModel)

# Built once: every authenticated request runs it. A write loads the user into its session
# (a password change writes it); a read runs it on the driver, and the user it answers is a
# transient object that no session holds (issue 11).
_USER_AND_SESSION = (
    select(User, AuthSession.revoked_at)
    .join(AuthSession, AuthSession.user_id == User.id)
    .where(User.id == bindparam("user_id"), AuthSession.id == bindparam("session_id"))
)
_USER_COLUMNS = column_keys(User)
_READ_USER_AND_SESSION = Prepared(
    select(
        *(getattr(User, key).label(key) for key in _USER_COLUMNS),
        AuthSession.revoked_at.label("session_revoked_at"),
    )
    .join(AuthSession, AuthSession.user_id == User.id)
    .where(User.id == param("user_id"), AuthSession.id == param("session_id"))
)


async def _user_and_revocation(
    request: Request, session: SessionDep, user_id: int, session_id: int
) -> tuple[User | None, object]:
    """The token's user and its session's revoked_at (None, None when either is gone)."""
    if request.method in SAFE_METHODS:
        row = await _READ_USER_AND_SESSION.first(session, user_id=user_id, session_id=session_id)
        if row is None:
            return None, None
        return detached(User, {key: row[key] for key in _USER_COLUMNS}), row["session_revoked_at"]
    found = (
        await session.execute(_USER_AND_SESSION, {"user_id": user_id, "session_id": session_id})
    ).first()
    return (found[0], found[1]) if found is not None else (None, None)


oauth2_scheme = OAuth2PasswordBearer(tokenUrl=f"{API_PREFIX}/auth/token", auto_error=False)


async def get_current_user(
    request: Request,
    session: SessionDep,
    token: Annotated[str | None, Depends(oauth2_scheme)],
) -> User:
    if not token:
        raise Unauthorized("a bearer token is required", code=ProblemCode.NOT_AUTHENTICATED)
    try:
        claims = decode_access_token(token, request.app.state.signing_key)
    except InvalidToken as exc:
        raise Unauthorized(
            str(exc),
            code=ProblemCode.INVALID_TOKEN,
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        ) from exc
    # Loaded on every request (one statement: the user and the token's session), so that a
    # deactivation, a new password or a logout ends the token at once.
    user, revoked_at = await _user_and_revocation(
        request, session, claims.user_id, claims.session_id
    )
    if user is None or not user.is_active:
        raise Unauthorized(
            "the account behind this token is not active",
            code=ProblemCode.INACTIVE_USER,
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    if revoked_at is not None or user.token_generation != claims.generation:
        raise Unauthorized(
            "this token's session has ended; log in again",
            code=ProblemCode.SESSION_ENDED,
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    request.state.user = user
    request.state.user_id = user.id
    request.state.session_id = claims.session_id
    set_actor(user.id, user.username)
    return user


# The user of a route outside the protected routers (logging out, /auth/me): authenticated
# by the route's own dependency.
TokenUser = Annotated[User, Depends(get_current_user)]


async def authenticated_user(request: Request) -> User:
    """The user the protected router's `get_current_user` authenticated for this request: that
    dependency comes first in each of its routes, and resolving it again for every dependency
    naming the user cost a tenth of a simple GET (issue 11). A route outside the protected
    routers takes `TokenUser`."""
    user: User | None = getattr(request.state, "user", None)
    if user is None:
        raise RuntimeError(f"{request.url.path}: CurrentUser needs get_current_user first")
    return user


CurrentUser = Annotated[User, Depends(authenticated_user)]


def require_roles(*roles: Role) -> Callable[[User], Awaitable[User]]:
    allowed = ", ".join(roles)

    async def check(user: CurrentUser) -> User:
        if user.role not in roles:
            raise Forbidden(
                f"this action needs one of the roles: {allowed}", code=ProblemCode.FORBIDDEN_ROLE
            )
        return user

    check.__name__ = f"require_{'_or_'.join(roles)}"
    return check


# The roles that write the registers, plans and everything not reserved to admins.
EDITORS = (Role.ADMIN, Role.EDITOR)
AdminUser = Annotated[User, Depends(require_roles(Role.ADMIN))]
EditorUser = Annotated[User, Depends(require_roles(*EDITORS))]


def sees_personal_data(user: User) -> bool:
    """Viewers read everything but personal data (dates of birth, phones, e-mails)."""
    return user.role != Role.VIEWER


def for_reader(record: Shown, user: User, personal: tuple[str, ...]) -> Shown:
    """`record` as `user` may see it: its `personal` fields null for a viewer. Each domain's
    auth.py names its personal fields."""
    if sees_personal_data(user):
        return record
    return record.model_copy(update=dict.fromkeys(personal))
