"""Queries over users."""

from collections.abc import Iterable

from sqlalchemy import func, select

from app.core.pagination import ListQuery, Slice
from app.core.repository import Repository, where_equal
from app.core.text import matches_search
from app.models import User
from app.users.schemas import UserFilters
from app.users.sorting import USER_ORDERINGS, UserSort

UserListQuery = ListQuery[UserSort, UserFilters]


class UserRepository(Repository[User]):
    model = User
    noun = "user"

    async def by_username(self, username: str) -> User | None:
        result = await self.session.scalars(select(User).where(User.username == username.lower()))
        return result.first()

    async def existing_ids(self, user_ids: Iterable[int]) -> set[int]:
        """The accounts among `user_ids` that exist."""
        ids = set(user_ids)
        if not ids:
            return set()
        return set(await self.session.scalars(select(User.id).where(User.id.in_(ids))))

    async def count(self) -> int:
        return (await self.session.scalar(select(func.count()).select_from(User))) or 0

    async def list(self, query: UserListQuery) -> Slice[User]:
        filters = query.filters
        stmt = where_equal(
            select(User), (User.role, filters.role), (User.is_active, filters.is_active)
        )
        if filters.q:
            stmt = stmt.where(matches_search(User.search_key, filters.q))
        return await self._scalar_page(stmt, USER_ORDERINGS[query.sort], query.limit, query.cursor)
