"""Account rules: unique usernames, hashed passwords, and never locking the last admin out."""

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Conflict
from app.core.security import hash_password
from app.models import Role, User
from app.users.repository import UserRepository
from app.users.schemas import UserCreate, UserUpdate


def _check_not_locking_out(user: User, acting: User) -> None:
    if user.id == acting.id and (user.role != Role.ADMIN or not user.is_active):
        raise Conflict(
            "you cannot remove your own admin role or deactivate yourself", code="self_lockout"
        )


class UserService:
    def __init__(self, session: AsyncSession) -> None:
        self.users = UserRepository(session)

    async def create(self, data: UserCreate) -> User:
        if await self.users.by_username(data.username) is not None:
            raise Conflict(
                f"username {data.username!r} is already taken", code="duplicate", field="username"
            )
        user = User(
            username=data.username,
            full_name=data.full_name,
            role=data.role,
            password_hash=hash_password(data.password),
            is_active=data.is_active,
        )
        return await self.users.add(user)

    async def update(self, user: User, data: UserUpdate, *, acting: User) -> User:
        """A new password is stored hashed, never as given; the other fields are applied."""
        if data.password is not None:
            user.password_hash = hash_password(data.password)
        return await self.users.update(
            user,
            data,
            exclude={"password"},
            check=lambda merged: _check_not_locking_out(merged, acting),
        )

    async def delete(self, user: User, *, acting: User) -> None:
        if user.id == acting.id:
            raise Conflict("you cannot delete your own account", code="self_lockout")
        await self.users.delete(user)
