"""The friendly constraint messages: one table, naming only constraints the schema really has."""

import subprocess
import sys

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.constraints import CONSTRAINT_MESSAGES


async def test_every_constraint_with_a_message_exists_in_the_schema(session: AsyncSession) -> None:
    # A unique index reports its own name as the violated constraint, so both count.
    names = set(
        await session.scalars(
            text(
                "SELECT conname FROM pg_constraint UNION "
                "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'"
            )
        )
    )
    assert set(CONSTRAINT_MESSAGES) - names == set()


def test_messages_apply_without_importing_the_domain_modules() -> None:
    # In a fresh interpreter that imports nothing of the domains, a duplicate campaign name still
    # gets its own message (it once depended on which repository modules had been imported).
    script = """
import sys
from sqlalchemy.exc import IntegrityError
from app.core.constraints import describe_integrity_error

class Orig(Exception):
    sqlstate = "23505"
    constraint_name = "uq_campaigns_name"
    detail = "Key (name)=(Đoàn 1) already exists."

print(describe_integrity_error(IntegrityError("INSERT", {}, Orig())))
assert not any(m.startswith("app.campaigns") for m in sys.modules)
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert "a campaign with this name already exists" in result.stdout
