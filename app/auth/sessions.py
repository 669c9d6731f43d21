"""Sessions: a login opens one; its short access tokens name it and the user's token generation;
its refresh token is used once and replaced (rotation). Reusing a spent refresh token ends the
whole session (theft detection, OAuth 2.0 Security BCP). Logging out, a password change or
reset, a role change, deactivation and reactivation end sessions at once."""

import datetime as dt
import secrets

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.schemas import Token
from app.config import Settings
from app.core.db import database_now
from app.core.errors import Unauthorized
from app.core.problem_codes import ProblemCode
from app.core.security import create_access_token, token_digest
from app.models import AuthSession, RefreshToken, User


class Sessions:
    def __init__(self, session: AsyncSession, settings: Settings, signing_key: str) -> None:
        self.session = session
        self.settings = settings
        self.signing_key = signing_key

    async def _issue(self, user: User, auth: AuthSession) -> Token:
        refresh = secrets.token_urlsafe(32)
        self.session.add(RefreshToken(token_hash=token_digest(refresh), session_id=auth.id))
        await self.session.flush()
        minutes = self.settings.access_token_minutes
        access = create_access_token(
            user.id, self.signing_key, minutes, session_id=auth.id, generation=user.token_generation
        )
        return Token(
            access_token=access.token,
            expires_in=minutes * 60,
            expires_at=access.expires_at,
            refresh_token=refresh,
            refresh_expires_at=auth.expires_at,
        )

    async def open(self, user: User, address: str) -> Token:
        auth = await open_session_row(self.session, user, address, self.settings.refresh_token_days)
        return await self._issue(user, auth)

    async def refresh(self, token: str) -> Token:
        found = (
            await self.session.execute(
                select(RefreshToken, AuthSession, User)
                .join(AuthSession, AuthSession.id == RefreshToken.session_id)
                .join(User, User.id == AuthSession.user_id)
                .where(RefreshToken.token_hash == token_digest(token))
                .with_for_update(of=RefreshToken)
            )
        ).first()
        if found is None:
            raise Unauthorized(
                "the refresh token is not valid", code=ProblemCode.INVALID_REFRESH_TOKEN
            )
        refresh, auth, user = found[0], found[1], found[2]
        now = await database_now(self.session)
        if refresh.used_at is not None:
            # A spent token came back: someone holds a copy. End the whole session.
            auth.revoked_at = auth.revoked_at or now
            await self.session.commit()
            raise Unauthorized(
                "this refresh token was already used; the session is ended, log in again",
                code=ProblemCode.REFRESH_TOKEN_REUSED,
            )
        if auth.revoked_at is not None or auth.expires_at <= now or not user.is_active:
            raise Unauthorized(
                "the session has ended; log in again", code=ProblemCode.SESSION_ENDED
            )
        refresh.used_at = now
        auth.refreshed_at = now
        return await self._issue(user, auth)


async def end_every_session(session: AsyncSession, user: User) -> None:
    """Every token of the user stops working: access tokens by the generation, refresh tokens
    with their sessions."""
    user.token_generation += 1
    await _end(session, AuthSession.user_id == user.id)


async def revoke_session(session: AsyncSession, auth_session_id: int, user_id: int) -> bool:
    """End one open session of the user; False when there is no such open session."""
    return (
        await _end(session, AuthSession.id == auth_session_id, AuthSession.user_id == user_id) > 0
    )


async def _end(session: AsyncSession, *which: ColumnElement[bool]) -> int:
    """End the open sessions `which` selects (each one an audit event); how many."""
    now = await database_now(session)
    ended = (
        await session.scalars(
            select(AuthSession)
            .where(*which, AuthSession.revoked_at.is_(None), AuthSession.expires_at > now)
            .order_by(AuthSession.id)
            .with_for_update()
        )
    ).all()
    for auth in ended:
        auth.revoked_at = now
    await session.flush()
    return len(ended)


async def open_sessions(session: AsyncSession, user_id: int) -> list[AuthSession]:
    """The user's sessions not ended and not expired, oldest first."""
    stmt = (
        select(AuthSession)
        .where(
            AuthSession.user_id == user_id,
            AuthSession.revoked_at.is_(None),
            AuthSession.expires_at > func.now(),
        )
        .order_by(AuthSession.id)
    )
    return list((await session.scalars(stmt)).all())


async def open_session_row(
    session: AsyncSession, user: User, address: str, days: int = 14
) -> AuthSession:
    """A session row for `user` (a login adds its refresh token; tests and benchmarks use the
    row alone to make access tokens)."""
    now = await database_now(session)
    auth = AuthSession(
        user_id=user.id, expires_at=now + dt.timedelta(days=days), client_address=address
    )
    session.add(auth)
    await session.flush()
    return auth
