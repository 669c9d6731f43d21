"""Migration 0020 fills the completions' ledger from the classes while the service may be
writing them: a completion written (by 0019's refresh) in a transaction still open when the
migration starts must be in the ledger once both have committed."""

import asyncio
import datetime as dt

from alembic import command
from sqlalchemy import text

from app.core.db import Database
from app.core.migrations import alembic_config
from app.models import ClassAttendee, TrainingClass
from app.party.ledger import rebuild
from tests.factories import add_member


async def test_a_completion_written_during_the_migration_is_in_its_ledger(
    empty_database: str,
) -> None:
    await asyncio.to_thread(command.upgrade, alembic_config(empty_database), "0019")
    database = Database(empty_database, pool_size=3)
    try:
        async with database.sessionmaker() as writer:
            member = await add_member(writer)
            course = TrainingClass(
                title="Lớp cảm tình Đảng",
                starts_on=dt.date(2024, 3, 1),
                ends_on=dt.date(2024, 3, 5),
            )
            writer.add(course)
            await writer.flush()
            writer.add(ClassAttendee(class_id=course.id, member_id=member.id, completed=True))
            await writer.flush()  # 0019's triggers have run; not committed yet

            migrating = asyncio.create_task(
                asyncio.to_thread(command.upgrade, alembic_config(empty_database), "0020")
            )
            async with database.engine.connect() as watcher:
                for _ in range(100):  # until the migration waits for the writer, or is done
                    waiting = await watcher.scalar(
                        text(
                            "SELECT count(*) FROM pg_locks WHERE NOT granted AND database = "
                            "(SELECT oid FROM pg_database WHERE datname = current_database())"
                        )
                    )
                    if waiting or migrating.done():
                        break
                    await asyncio.sleep(0.05)
            await writer.commit()
        await migrating

        async with database.sessionmaker() as session:
            checks = {c.ledger: c.differences for c in await rebuild(session, apply=False)}
        assert checks["completions"] == 0, checks
    finally:
        await database.dispose()
