"""Reads run by the driver (app/core/reads.py): the same values as the ORM's, the same errors as
any statement's (a lost connection is thrown out of the pool and answered 503), and the same
statement events (tracing, statement counts)."""

import datetime as dt
import enum
from decimal import Decimal

import asyncpg
import pytest
from sqlalchemy import Date, Enum, func, inspect, literal, literal_column, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import Database
from app.core.errors import NotFound
from app.core.faults import DATABASE_UNAVAILABLE, classify
from app.core.reads import Prepared, by_id, column_keys, param
from app.members.repository import MemberRepository
from app.models import Member, MemberEvent
from app.models.material import MaterialFile
from bench.common import plain_url
from tests.fixtures.db import StatementCounter
from tests.fixtures.registry import MemberFactory

_PID = Prepared(select(func.pg_backend_pid().label("pid")))
_DIVIDE = Prepared(select((literal_column("1") / param("by")).label("quotient")))
# The statement's own values: an IN list (one placeholder per item), an interval (processed
# for the driver as SQLAlchemy would), beside the caller's date.
_OWN_VALUES = Prepared(
    select(
        literal(3).in_([1, 2, 3]).label("listed"),
        (param("day", Date) + dt.timedelta(days=1)).label("next_day"),
    )
)


async def test_a_row_read_by_the_driver_holds_what_the_orm_loads(
    session: AsyncSession, make_member: MemberFactory
) -> None:
    member = await make_member(full_name="Nguyễn Văn Đọc")
    read = await MemberRepository(session).read_one(member.id)
    assert read is not member
    assert inspect(read).session is None  # in no session: nothing of it is ever flushed
    for key in column_keys(Member):
        assert getattr(read, key) == getattr(member, key), key
    with pytest.raises(NotFound, match=f"member {member.id + 1000} does not exist"):
        await MemberRepository(session).read_one(member.id + 1000)


def test_deferred_columns_are_not_read() -> None:
    assert "content" not in column_keys(MaterialFile)
    assert "occurred_on" in column_keys(MemberEvent)


async def test_driver_statements_fire_the_engines_statement_events(
    session: AsyncSession, database: Database, statements: StatementCounter
) -> None:
    statements.reset()
    row = await _DIVIDE.first(session, by=4)
    assert row is not None
    assert row["quotient"] == Decimal("0.25")
    assert _DIVIDE.compiled(database.engine.dialect).sql in statements.statements


class _Shade(enum.Enum):
    LIGHT = "l"
    DARK = "d"


# Stored by name: SQLAlchemy's type turns a member into its name, in an IN list's items too.
_SHADES = Prepared(
    select(
        literal("DARK", Enum(_Shade, native_enum=False))
        .in_([_Shade.LIGHT, _Shade.DARK])
        .label("listed")
    )
)


async def test_an_in_lists_items_are_processed_by_their_type(session: AsyncSession) -> None:
    assert await _SHADES.scalar(session) is True


async def test_a_statement_keeps_its_own_values_and_takes_its_parameters(
    session: AsyncSession,
) -> None:
    row = await _OWN_VALUES.one(session, day=dt.date(2024, 2, 28))
    assert row["listed"] is True
    assert row["next_day"] == dt.datetime(2024, 2, 29)
    assert await _DIVIDE.scalar(session, by=2) == Decimal("0.5")
    assert [r["quotient"] for r in await _DIVIDE.all(session, by=8)] == [Decimal("0.125")]
    # A parameter forgotten or misspelt is the caller's mistake, never a NULL compared.
    with pytest.raises(TypeError, match=r"\['day'\] needed"):
        await _OWN_VALUES.first(session)
    with pytest.raises(TypeError, match="needed"):
        await _OWN_VALUES.first(session, day=dt.date(2024, 1, 1), by=3)


async def test_a_refused_statement_is_a_dbapi_error_and_keeps_the_connection(
    database: Database,
) -> None:
    async with database.reads() as session:
        before = await _PID.first(session)
        with pytest.raises(DBAPIError) as refused:
            await _DIVIDE.first(session, by=0)
        assert getattr(refused.value.orig, "sqlstate", None) == "22012"  # division by zero
        assert not refused.value.connection_invalidated
        after = await _PID.first(session)
    assert before is not None
    assert after is not None
    assert before["pid"] == after["pid"]


async def test_a_lost_connection_is_thrown_out_and_answered_as_unavailable(
    database: Database, server_url: str
) -> None:
    async with database.reads() as session:
        row = await _PID.first(session)
        assert row is not None
        admin = await asyncpg.connect(plain_url(server_url))
        try:
            await admin.execute("SELECT pg_terminate_backend($1)", row["pid"])
        finally:
            await admin.close()
        with pytest.raises(DBAPIError) as lost:
            await _PID.first(session)
    assert lost.value.connection_invalidated
    assert classify(lost.value) is DATABASE_UNAVAILABLE
    # The pool handed the dead connection to nobody: the next read gets a working one.
    async with database.reads() as session:
        fresh = await _PID.first(session)
        assert fresh is not None
        assert fresh["pid"] != row["pid"]
        assert (await session.execute(text("SELECT 1"))).scalar_one() == 1


async def test_what_the_session_holds_unwritten_is_written_before_a_driver_read(
    session: AsyncSession, make_member: MemberFactory
) -> None:
    """As the ORM's autoflush: a write request reading on the driver sees its own changes."""
    member = await make_member(full_name="Trần Thị Cũ")
    member.full_name = "Trần Thị Mới"
    row = await by_id(Member).first(session, id=member.id)
    assert row is not None
    assert row["full_name"] == "Trần Thị Mới"
    assert not session.dirty
