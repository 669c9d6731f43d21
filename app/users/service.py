"""Account rules: unique usernames, hashed passwords, and never locking the last admin out."""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.sessions import end_every_session
from app.core.errors import Conflict, Forbidden
from app.core.problem_codes import ProblemCode
from app.core.security import hash_password_off_loop
from app.models import Role, User
from app.users.passwords import ensure_strong
from app.users.repository import UserRepository
from app.users.schemas import UserCreate, UserUpdate


def _check_not_locking_out(user: User, acting: User) -> None:
    if user.id == acting.id and (user.role != Role.ADMIN or not user.is_active):
        raise Conflict(
            "you cannot remove your own admin role or deactivate yourself",
            code=ProblemCode.SELF_LOCKOUT,
        )


# pg_advisory_xact_lock key taking turns between account changes ("kcn-users").
ACCOUNT_CHANGES_LOCK = 0x6B636E2D7573


class UserService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.users = UserRepository(session)

    async def _new_password(self, password: str, username: str, full_name: str) -> str:
        await ensure_strong(password, username, full_name)
        return await hash_password_off_loop(password)

    async def _take_turn(self, acting: User) -> None:
        """Account changes run one at a time, each by an admin who still is one when its turn
        comes: two admins demoting each other at the same moment leave one admin, not none."""
        await self.session.execute(select(func.pg_advisory_xact_lock(ACCOUNT_CHANGES_LOCK)))
        await self.session.refresh(acting, ["role", "is_active"])
        if acting.role != Role.ADMIN or not acting.is_active:
            raise Conflict(
                "your own account was changed a moment ago and is no longer an active admin",
                code=ProblemCode.CONCURRENT_UPDATE,
            )

    async def _keep_an_admin(self) -> None:
        admins = await self.session.scalar(
            select(func.count()).select_from(User).where(User.role == Role.ADMIN, User.is_active)
        )
        if not admins:
            raise Conflict("the last active admin cannot be removed", code=ProblemCode.LAST_ADMIN)

    async def create(self, data: UserCreate) -> User:
        if await self.users.by_username(data.username) is not None:
            raise Conflict(
                f"username {data.username!r} is already taken",
                code=ProblemCode.DUPLICATE,
                field="username",
            )
        user = User(
            username=data.username,
            full_name=data.full_name,
            role=data.role,
            password_hash=await self._new_password(data.password, data.username, data.full_name),
            is_active=data.is_active,
        )
        return await self.users.add(user)

    async def update(self, user: User, data: UserUpdate, *, acting: User) -> User:
        """A new password is stored hashed, never as given; the other fields are applied."""
        await self._take_turn(acting)
        if data.password is not None and user.id == acting.id:
            raise Forbidden(
                "change your own password with POST /api/v1/auth/password (it asks for the "
                "current one)",
                code=ProblemCode.OWN_PASSWORD,
            )
        ends_sessions = data.password is not None or any(
            name in data.model_fields_set and getattr(data, name) != getattr(user, name)
            for name in ("role", "is_active")
        )
        if data.password is not None:
            user.password_hash = await self._new_password(
                data.password, user.username, data.full_name or user.full_name
            )
        user = await self.users.update(
            user,
            data,
            exclude={"password"},
            check=lambda merged: _check_not_locking_out(merged, acting),
        )
        await self._keep_an_admin()
        if ends_sessions:
            await end_every_session(self.session, user)
            await self.session.flush()
        return user

    async def set_own_password(self, user: User, password: str) -> None:
        user.password_hash = await self._new_password(password, user.username, user.full_name)
        await end_every_session(self.session, user)
        await self.session.flush()

    async def delete(self, user: User, *, acting: User) -> None:
        await self._take_turn(acting)
        if user.id == acting.id:
            raise Conflict("you cannot delete your own account", code=ProblemCode.SELF_LOCKOUT)
        await self.users.delete(user)
        await self._keep_an_admin()
