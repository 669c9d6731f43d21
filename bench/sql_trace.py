"""The SQL a request runs: statements recorded with an engine event listener, their time, and
their EXPLAIN (ANALYZE, BUFFERS) plans run again on a plain asyncpg connection."""

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import asyncpg
from sqlalchemy import event
from sqlalchemy.engine import Connection, ExecutionContext

from app.core.db import Database
from bench.common import plain_url


@dataclass
class Statement:
    sql: str
    parameters: Sequence[Any]
    ms: float = 0.0


@dataclass
class Trace:
    statements: list[Statement] = field(default_factory=list)

    @property
    def ms(self) -> float:
        return sum(s.ms for s in self.statements)


@contextmanager
def traced(database: Database) -> Iterator[Trace]:
    """Record every statement the engine sends while the block runs."""
    trace = Trace()
    started: list[float] = []
    engine = database.engine.sync_engine

    def before(
        _conn: Connection,
        _cursor: Any,
        sql: str,
        parameters: Any,
        _context: ExecutionContext | None,
        _many: bool,
    ) -> None:
        trace.statements.append(Statement(sql, tuple(parameters or ())))
        started.append(time.perf_counter())

    def after(*_args: Any) -> None:
        trace.statements[-1].ms = (time.perf_counter() - started.pop()) * 1000

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield trace
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


async def explain(url: str, statements: Sequence[Statement]) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of each statement with its recorded parameters."""
    plain = plain_url(url)
    conn = await asyncpg.connect(plain)
    plans = []
    try:
        for statement in statements:
            rows = await conn.fetch(
                f"EXPLAIN (ANALYZE, BUFFERS) {statement.sql}", *statement.parameters
            )
            plans.append("\n".join(row[0] for row in rows))
    finally:
        await conn.close()
    return plans
