"""Queries over users."""

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import NotFound
from app.core.pagination import Ordering, SortKey, keyset
from app.core.text import matches_search
from app.models import Role, User

USER_ORDERINGS = {
    "username": Ordering("username", (SortKey(User.username, "username"),)),
    "-created_at": Ordering(
        "-created_at",
        (SortKey(User.created_at, "created_at", True), SortKey(User.id, "id", True)),
    ),
}


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, user_id: int) -> User:
        user = await self.session.get(User, user_id)
        if user is None:
            raise NotFound(f"user {user_id} does not exist")
        return user

    async def by_username(self, username: str) -> User | None:
        result = await self.session.scalars(select(User).where(User.username == username.lower()))
        return result.first()

    async def count(self) -> int:
        return (await self.session.scalar(select(func.count()).select_from(User))) or 0

    async def list(
        self,
        *,
        ordering: Ordering,
        limit: int,
        cursor: str | None,
        role: Role | None = None,
        is_active: bool | None = None,
        q: str | None = None,
    ) -> Sequence[User]:
        stmt = select(User)
        if role is not None:
            stmt = stmt.where(User.role == role)
        if is_active is not None:
            stmt = stmt.where(User.is_active == is_active)
        if q:
            stmt = stmt.where(matches_search(User.search_key, q))
        return (await self.session.scalars(keyset(stmt, ordering, limit, cursor))).all()

    async def add(self, user: User) -> User:
        self.session.add(user)
        await self.session.flush()
        return user
