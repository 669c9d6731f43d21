"""Running alembic from the service and the CLI, and knowing which revision is head."""

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from alembic import command, op
from alembic.config import Config
from alembic.script import ScriptDirectory


def _find_alembic_ini() -> Path:
    candidates = [Path(__file__).resolve().parents[2] / "alembic.ini", Path.cwd() / "alembic.ini"]
    for candidate in candidates:
        if candidate.exists():
            return candidate
    raise FileNotFoundError("alembic.ini not found next to the app package or in the working dir")


def alembic_config(database_url: str | None = None) -> Config:
    ini = _find_alembic_ini()
    config = Config(str(ini))
    config.set_main_option("script_location", str(ini.parent / "migrations"))
    if database_url is not None:
        config.attributes["database_url"] = database_url
    return config


def upgrade_to_head(database_url: str) -> None:
    """Upgrade the database to the newest revision.

    env.py runs its own event loop, so when called from async code this runs in a worker thread.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        command.upgrade(alembic_config(database_url), "head")
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(command.upgrade, alembic_config(database_url), "head").result()


@lru_cache
def head_revisions() -> frozenset[str]:
    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


def execute_script(script: str) -> None:
    """Run a revision's SQL script (views, functions, triggers) one statement at a time, as the
    driver prepares each: statements are separated by a semicolon at a line's end before a
    CREATE at the next line's start."""
    for statement in re.split(r";\n+(?=CREATE )", script.strip()):
        op.execute(statement)


_TRANSITION_TABLES = {
    "INSERT": ("inserted", "REFERENCING NEW TABLE AS new_rows"),
    "UPDATE": ("updated", "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    "DELETE": ("deleted", "REFERENCING OLD TABLE AS old_rows"),
}


@dataclass(frozen=True)
class StatementTriggers:
    """AFTER ... FOR EACH STATEMENT triggers of `table` running `function`, one per event, named
    `<prefix>_inserted`, `_updated`, `_deleted`, with the statement's rows as transition tables
    `new_rows` and `old_rows` (the as-of ledger's triggers)."""

    prefix: str
    table: str
    function: str
    events: tuple[str, ...] = ("INSERT", "UPDATE", "DELETE")

    def create(self) -> None:
        for event in self.events:
            suffix, referencing = _TRANSITION_TABLES[event]
            op.execute(
                f"CREATE TRIGGER {self.prefix}_{suffix} AFTER {event} ON {self.table} "
                f"{referencing} FOR EACH STATEMENT EXECUTE FUNCTION {self.function}()"
            )

    def drop(self) -> None:
        for event in self.events:
            op.execute(f"DROP TRIGGER {self.prefix}_{_TRANSITION_TABLES[event][0]} ON {self.table}")
