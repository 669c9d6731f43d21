"""Migration 0010 dates the enterprises recorded before their history was kept: registered on
the earliest date the data supports, closed ones closed, each with its first events."""

import asyncio
import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import asyncpg
from alembic import command

from app.core.migrations import alembic_config
from tests.conftest import plain_url


def _upgrade(url: str, revision: str) -> None:
    with ThreadPoolExecutor(max_workers=1) as pool:  # env.py runs its own event loop
        pool.submit(command.upgrade, alembic_config(url), revision).result()


async def test_existing_enterprises_are_dated_by_the_earliest_record(
    empty_database: str,
) -> None:
    await asyncio.to_thread(_upgrade, empty_database, "0009")
    conn = await asyncpg.connect(plain_url(empty_database))
    try:
        await conn.execute(
            """
            INSERT INTO industrial_zones (id, code, name, status, established_on, search_key,
                version)
            VALUES (1, 'KCN-1', 'KCN 1', 'operating', '2000-01-01', 'kcn 1', 1);
            INSERT INTO enterprises (id, tax_code, name, zone_id, ownership, workers_count,
                status, search_key, version, created_at, updated_at)
            VALUES
              (1, '0100000001', 'A', 1, 'state', 300, 'operating', 'a', 1,
               '2026-11-01 20:00+00', '2026-11-02 00:00+00'),
              (2, '0100000002', 'B', 1, 'state', 40, 'closed', 'b', 1,
               '2026-11-01 00:00+00', '2026-11-20 00:00+00'),
              (3, '0100000003', 'C', 1, 'state', 7, 'operating', 'c', 1,
               '2026-11-03 00:00+00', '2026-11-03 00:00+00');
            INSERT INTO investment_projects (enterprise_id, name, licensed_on,
                registered_capital_usd, is_fdi, status, search_key, version)
            VALUES (1, 'P', '2005-03-04', 1000, false, 'active', 'p', 1);
            INSERT INTO organizations (enterprise_id, name, kind, established_on, search_key,
                version)
            VALUES (2, 'Chi bộ B', 'grassroots_cell', '2011-09-01', 'chi bo b', 1);
            """
        )
        await asyncio.to_thread(_upgrade, empty_database, "head")

        rows = await conn.fetch("SELECT id, registered_on, closed_on FROM enterprises ORDER BY id")
        assert [tuple(r) for r in rows] == [
            (1, dt.date(2005, 3, 4), None),  # its project's licence
            (2, dt.date(2011, 9, 1), dt.date(2026, 11, 20)),  # its cell; closed when last changed
            (3, dt.date(2026, 11, 3), None),  # nothing earlier than its record
        ]
        events = await conn.fetch(
            "SELECT enterprise_id, kind, occurred_on, workers_count FROM enterprise_events "
            "ORDER BY enterprise_id, id"
        )
        assert [tuple(e) for e in events] == [
            (1, "registered", dt.date(2005, 3, 4), 300),
            (2, "registered", dt.date(2011, 9, 1), 40),
            (2, "closed", dt.date(2026, 11, 20), None),
            (3, "registered", dt.date(2026, 11, 3), 7),
        ]
    finally:
        await conn.close()
