"""KCN_DATABASE_REPLICA_URL against a real streaming standby (tests/fixtures/replica.py): lists,
reports and exports read the replica and may lag it; single records, the token's user and every
write use the primary, so writes are refused nowhere and a logout ends a token at once."""

import asyncpg
import pytest

from app.config import ConfigError, Settings
from app.core.db import Database
from app.core.migrations import upgrade_to_head
from bench.common import api_client
from tests.fixtures.live import free_port
from tests.fixtures.replica import Replicated

ZONES = "/api/v1/industrial-zones"


def _zone(code: str) -> dict[str, str]:
    return {"code": code, "name": f"KCN {code}", "established_on": "2020-01-01"}


async def test_lists_and_reports_read_the_replica_and_writes_go_to_the_primary(
    replicated: Replicated,
) -> None:
    upgrade_to_head(replicated.primary_url)
    database = Database(replicated.primary_url, replica_url=replicated.standby_url, pool_size=2)
    try:
        async with api_client(database, replicated.primary_url) as client:
            first = await client.post(ZONES, json=_zone("R1"))
            assert first.status_code == 201, first.text
            await replicated.replayed()
            codes = [z["code"] for z in (await client.get(ZONES)).json()["items"]]
            assert codes == ["R1"]

            await replicated.pause(True)
            try:
                # Writes go to the primary: accepted while the replica stands still.
                second = await client.post(ZONES, json=_zone("R2"))
                assert second.status_code == 201, second.text
                # A single record is read on the primary: the client sees its own write.
                own = await client.get(f"{ZONES}/{second.json()['id']}")
                assert own.status_code == 200
                assert own.json()["code"] == "R2"
                # The list, the report and the export read the replica, which has not seen it.
                listed = await client.get(ZONES)
                assert [z["code"] for z in listed.json()["items"]] == ["R1"]
                report = await client.get(
                    "/api/v1/reports/overview",
                    params={"period_start": "2024-01-01", "period_end": "2024-06-30"},
                )
                assert report.status_code == 200, report.text
                exported = await client.get("/api/v1/exports/enterprises")
                assert exported.status_code == 200, exported.text
                # The standby really is one: it refuses writes of its own.
                standby = await asyncpg.connect(replicated.standby_dsn)
                try:
                    with pytest.raises(asyncpg.ReadOnlySQLTransactionError):
                        await standby.execute("DELETE FROM industrial_zones")
                finally:
                    await standby.close()
                # The token is checked on the primary: a logout ends it at once, however far
                # behind the replica is.
                assert (await client.post("/api/v1/auth/logout")).status_code == 204
                ended = await client.get(ZONES)
                assert ended.status_code == 401
                assert ended.json()["code"] == "session_ended"
            finally:
                await replicated.pause(False)
        await replicated.replayed()
        async with api_client(database, replicated.primary_url) as client:
            codes = [z["code"] for z in (await client.get(ZONES)).json()["items"]]
            assert codes == ["R1", "R2"]
    finally:
        await database.dispose()


def test_a_replica_needs_its_primary() -> None:
    with pytest.raises(ConfigError, match="KCN_DATABASE_REPLICA_URL needs KCN_DATABASE_URL"):
        Settings(database_replica_url="postgres://replica/kcn").check()
    settings = Settings(
        database_url="postgres://primary/kcn", database_replica_url="postgres://replica/kcn"
    )
    settings.check()
    assert settings.database_replica_url == "postgresql+asyncpg://replica/kcn"


async def test_an_unreachable_replica_makes_its_reads_503_and_nothing_else(
    replicated: Replicated,
) -> None:
    upgrade_to_head(replicated.primary_url)
    nowhere = f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/kcn"
    database = Database(replicated.primary_url, replica_url=nowhere, pool_size=2)
    try:
        async with api_client(database, replicated.primary_url) as client:
            listed = await client.get(ZONES)
            assert listed.status_code == 503
            assert listed.json()["code"] == "database_unavailable"
            assert listed.headers["Retry-After"]
            created = await client.post(ZONES, json=_zone("R9"))
            assert created.status_code == 201, created.text
            assert (await client.get(f"{ZONES}/{created.json()['id']}")).status_code == 200
    finally:
        await database.dispose()
