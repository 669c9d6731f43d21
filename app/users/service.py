"""Account rules: unique usernames, hashed passwords, and never locking the last admin out."""

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Conflict, RuleViolation
from app.core.security import hash_password
from app.models import Role, User
from app.users.repository import UserRepository
from app.users.schemas import UserCreate, UserUpdate


class UserService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
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
        changes = data.model_dump(exclude_unset=True)
        for required in ("full_name", "role", "is_active", "password"):
            if required in changes and changes[required] is None:
                raise RuleViolation(f"{required} cannot be null", field=required)
        if changes.get("password") is not None:
            user.password_hash = hash_password(changes.pop("password"))
        changes.pop("password", None)
        for name in ("full_name", "role", "is_active"):
            if changes.get(name) is not None:
                setattr(user, name, changes[name])
        if user.id == acting.id and (user.role != Role.ADMIN or not user.is_active):
            raise Conflict(
                "you cannot remove your own admin role or deactivate yourself",
                code="self_lockout",
            )
        await self.session.flush()
        return user

    async def delete(self, user: User, *, acting: User) -> None:
        if user.id == acting.id:
            raise Conflict("you cannot delete your own account", code="self_lockout")
        await self.session.delete(user)
        await self.session.flush()
