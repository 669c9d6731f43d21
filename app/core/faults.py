"""What the database's troubles mean to a client: a busy pool, a timeout, a lost connection or a
lost race become a retryable answer (503 with Retry-After, or 409), never a 500.

`classify` names the fault behind an exception raised while serving a request, or returns None
for anything that is not the database's trouble (a bug: 500).
"""

from dataclasses import dataclass

import asyncpg
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError

from app.core.problem_codes import ProblemCode


@dataclass(frozen=True)
class Fault:
    status: int
    code: ProblemCode
    detail: str
    retry_after: int | None = None


DATABASE_BUSY = Fault(
    503,
    ProblemCode.DATABASE_BUSY,
    "every database connection is in use; retry in a moment",
    retry_after=2,
)
STATEMENT_TIMEOUT = Fault(
    503,
    ProblemCode.STATEMENT_TIMEOUT,
    "the database did not finish this request in time; retry later",
    retry_after=5,
)
LOCK_TIMEOUT = Fault(
    503,
    ProblemCode.LOCK_TIMEOUT,
    "the records this request needs are held by another change that is taking long; "
    "retry in a moment",
    retry_after=2,
)
DATABASE_UNAVAILABLE = Fault(
    503,
    ProblemCode.DATABASE_UNAVAILABLE,
    "the database is not reachable; nothing was saved, retry in a moment",
    retry_after=5,
)
CONCURRENT_UPDATE = Fault(
    409,
    ProblemCode.CONCURRENT_UPDATE,
    "someone else changed this record at the same moment; read it again and retry",
)

# SQLSTATEs (PostgreSQL appendix A). Class 08: connection exceptions; 53: insufficient resources
# (too many connections, out of memory or disk); 57P01-57P03: the server is shutting down or
# starting up.
_UNAVAILABLE_STATES = frozenset({"57P01", "57P02", "57P03"})
_RACE_STATES = frozenset({"40001", "40P01"})  # serialization failure, deadlock


def _sqlstate(exc: BaseException) -> str:
    state = getattr(getattr(exc, "orig", None) or exc, "sqlstate", None)
    return state if isinstance(state, str) else ""


def classify(exc: BaseException) -> Fault | None:
    if isinstance(exc, PoolTimeout):
        return DATABASE_BUSY
    if isinstance(exc, StaleDataError):
        return CONCURRENT_UPDATE
    state = _sqlstate(exc)
    if state == "57014":
        return STATEMENT_TIMEOUT
    if state == "55P03":
        return LOCK_TIMEOUT
    if state in _RACE_STATES:
        return CONCURRENT_UPDATE
    if state[:2] in ("08", "53") or state in _UNAVAILABLE_STATES:
        return DATABASE_UNAVAILABLE
    if isinstance(exc, DBAPIError):
        return DATABASE_UNAVAILABLE if exc.connection_invalidated else None
    # Raised while connecting, before SQLAlchemy wraps anything: refused, reset, DNS, timeout.
    if isinstance(exc, OSError | TimeoutError | asyncpg.ConnectionDoesNotExistError):
        return DATABASE_UNAVAILABLE
    return None


# The exception types whose handler asks `classify` (DBAPIError has its own handler, which also
# knows refused values and constraint violations).
FAULT_TYPES: tuple[type[Exception], ...] = (
    PoolTimeout,
    StaleDataError,
    OSError,
    TimeoutError,
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
)
