"""The migrations build exactly the schema the models describe."""

import re
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.migrations import alembic_config, head_revisions
from app.models import Base


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(
        connection,
        opts={"compare_type": True, "compare_server_default": True},
    )
    return list(compare_metadata(context, Base.metadata))


async def test_models_and_migrations_agree(session: AsyncSession) -> None:
    connection = await session.connection()

    differences = await connection.run_sync(_differences)

    assert differences == [], "models and migrations differ; write a migration:\n" + "\n".join(
        map(str, differences)
    )


async def test_test_database_is_at_head(session: AsyncSession) -> None:
    revisions = set((await session.scalars(text("SELECT version_num FROM alembic_version"))).all())

    assert revisions == set(head_revisions())
    assert len(head_revisions()) == 1, "the migrations have more than one head"


def test_revision_files_are_date_named_and_reversible() -> None:
    scripts = ScriptDirectory.from_config(alembic_config())
    pattern = re.compile(r"\d{4}_\d{2}_\d{2}_\w+\.py")

    for revision in scripts.walk_revisions():
        assert revision.path is not None
        assert pattern.fullmatch(Path(revision.path).name), revision.path
        assert revision.module.downgrade is not None
