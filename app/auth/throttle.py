"""Login throttling (OWASP ASVS 2.2.1): failed logins are counted in PostgreSQL per account and
per client address, so the limit holds across workers and instances.

After KCN_LOGIN_MAX_FAILURES failures for one username within KCN_LOGIN_WINDOW_MINUTES, further
attempts for it are refused with 429 and Retry-After until a lock has passed: 30 s after the
failure that reached the limit, doubling with each further failure, at most
KCN_LOGIN_LOCK_MAX_MINUTES. While locked even the right password is refused (it is not even
checked). A client address with KCN_LOGIN_ADDRESS_MAX_FAILURES failures is locked the same way
across usernames. A successful login clears the account's failures; one account's lock never
blocks another. Unknown usernames are counted like known ones, so a lock says nothing about
which exist. (Attempts already being checked when the limit is reached are still answered: the
password check holds no database connection, so a burst is not serialized.)
"""

import datetime as dt
import math

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.core.db import database_now
from app.core.errors import TooManyRequests
from app.core.problem_codes import ProblemCode
from app.models import LoginFailure

FIRST_LOCK = dt.timedelta(seconds=30)


def lock_length(failures: int, limit: int, longest: dt.timedelta) -> dt.timedelta:
    """The lock after `failures` failures: none below `limit`, then 30 s doubling, capped."""
    if failures < limit:
        return dt.timedelta(0)
    doubled: dt.timedelta = FIRST_LOCK * 2 ** min(failures - limit, 32)
    return min(longest, doubled)


class LoginThrottle:
    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.window = dt.timedelta(minutes=settings.login_window_minutes)
        self.longest = dt.timedelta(minutes=settings.login_lock_max_minutes)
        self.account_limit = settings.login_max_failures
        self.address_limit = settings.login_address_max_failures

    async def check(self, username: str, address: str) -> None:
        """Refuse the attempt with 429 while the account or the address is locked."""
        now = await database_now(self.session)
        waits = [
            await self._wait(LoginFailure.username == username, self.account_limit, now),
            await self._wait(LoginFailure.client_address == address, self.address_limit, now),
        ]
        wait = max(waits)
        if wait > dt.timedelta(0):
            seconds = math.ceil(wait.total_seconds())
            raise TooManyRequests(
                f"too many failed logins; try again in {seconds} s",
                code=ProblemCode.TOO_MANY_ATTEMPTS,
                headers={"Retry-After": str(seconds)},
            )

    async def _wait(self, whose: ColumnElement[bool], limit: int, now: dt.datetime) -> dt.timedelta:
        count, last = (
            await self.session.execute(
                select(func.count(), func.max(LoginFailure.failed_at)).where(
                    whose, LoginFailure.failed_at > now - self.window
                )
            )
        ).one()
        if last is None:
            return dt.timedelta(0)
        until: dt.datetime = last + lock_length(count, limit, self.longest)
        return max(dt.timedelta(0), until - now)

    async def failed(self, username: str, address: str) -> None:
        """Record a failure and commit it: the request fails, the count must stay."""
        now = await database_now(self.session)
        await self.session.execute(
            delete(LoginFailure).where(LoginFailure.failed_at <= now - self.window)
        )
        self.session.add(LoginFailure(username=username, client_address=address))
        await self.session.commit()

    async def succeeded(self, username: str) -> None:
        await self.session.execute(delete(LoginFailure).where(LoginFailure.username == username))
