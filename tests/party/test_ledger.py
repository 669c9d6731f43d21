"""The as-of ledger (app/models/ledger.py): kept by the database under concurrent writers,
checked and repaired by `kcn-party rebuild-aggregates`, read by the overview. That its figures
equal the records' is tests/members/test_asof_properties.py."""

import asyncio
import datetime as dt
from pathlib import Path

import asyncpg
import httpx
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import Database
from app.models import LedgerMemberDay, LedgerState
from app.party.ledger import member_state_totals, rebuild
from tests.conftest import plain_url
from tests.factories import add_member, add_organization
from tests.fixtures.cli import kcn_party
from tests.fixtures.live import LiveServer

API = "/api/v1"
N = 20


async def test_concurrent_admissions_all_land_and_the_ledger_stays_exact(live: LiveServer) -> None:
    """Twenty admissions into one organization on one day, at once: the ledger's delta rows are
    only appended, so no admission waits on another's or fails on a deadlock."""

    async def seed(session: AsyncSession) -> tuple[int, list[int]]:
        organization = await add_organization(session)
        candidates = [(await add_member(session)).id for _ in range(N)]
        return organization.id, candidates

    organization, candidates = await live.seed(seed)
    today = dt.date.today().isoformat()
    period = {"as_of": today, "period_start": today, "period_end": today}

    async with live.client() as client:
        before = (await client.get(f"{API}/reports/overview", params=period)).json()["members"]

    async def admit(i: int) -> httpx.Response:
        async with live.client(limits=httpx.Limits(max_connections=1)) as client:
            return await client.post(
                f"{API}/members/{candidates[i]}/admit",
                json={"admitted_on": today, "organization_id": organization},
            )

    responses = await asyncio.gather(*(admit(i) for i in range(N)))
    assert [r.status_code for r in responses] == [200] * N, [r.text for r in responses]

    async with live.client() as client:
        after = (await client.get(f"{API}/reports/overview", params=period)).json()["members"]
    assert after["probationary"] == before["probationary"] + N
    assert after["admitted_in_period"] == before["admitted_in_period"] + N

    async def check(session: AsyncSession) -> list[int]:
        return [found.differences for found in await rebuild(session, apply=False)]

    assert await live.seed(check) == [0, 0]


async def test_a_wrong_ledger_is_found_and_corrected(session: AsyncSession) -> None:
    today = dt.date.today()
    organization = await add_organization(session)
    await add_member(session, admitted_on=dt.date(2020, 1, 6), organization_id=organization.id)
    right = await member_state_totals(session, today)
    session.add(LedgerMemberDay(state=LedgerState.OFFICIAL, day=dt.date(2001, 1, 1), delta=5))
    await session.flush()
    assert (await member_state_totals(session, today))[LedgerState.OFFICIAL] == (
        right[LedgerState.OFFICIAL] + 5
    )

    found = await rebuild(session, apply=False)
    assert [(c.ledger, c.differences) for c in found] == [("member_states", 1), ("metric_items", 0)]

    await rebuild(session, apply=True)
    assert [c.differences for c in await rebuild(session, apply=False)] == [0, 0]
    assert await member_state_totals(session, today) == right
    # Rebuilt, the deltas are folded: one row per state and day.
    keys = select(LedgerMemberDay.state, LedgerMemberDay.day).distinct().subquery()
    rows = await session.scalar(select(func.count()).select_from(LedgerMemberDay))
    assert rows == await session.scalar(select(func.count()).select_from(keys))


async def test_rebuild_aggregates_reports_checks_and_repairs(
    cli_env: dict[str, str], database: Database, tmp_path: Path
) -> None:
    run = await kcn_party(cli_env, "rebuild-aggregates", "--check", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "member_states:" in run.stdout
    assert "0 differences" in run.stdout

    connection = await asyncpg.connect(plain_url(cli_env["KCN_DATABASE_URL"]))
    try:
        await connection.execute(
            "INSERT INTO ledger_member_days (state, day, delta) "
            "VALUES ('official', '2001-01-01', 1)"
        )
        run = await kcn_party(cli_env, "rebuild-aggregates", "--check", cwd=tmp_path)
        assert run.returncode == 1
        assert "member_states: " in run.stdout
        assert "1 differences" in run.stdout

        run = await kcn_party(cli_env, "rebuild-aggregates", cwd=tmp_path)
        assert run.returncode == 0, run.stderr
        assert "1 differences (corrected)" in run.stdout
        assert "Ledger rebuilt." in run.stdout
    finally:
        await connection.execute("SELECT ledger_rebuild(true)")
        await connection.close()
    run = await kcn_party(cli_env, "rebuild-aggregates", "--check", cwd=tmp_path)
    assert run.returncode == 0, run.stdout


async def test_the_services_statements_are_not_jit_compiled(session: AsyncSession) -> None:
    assert await session.scalar(text("SHOW jit")) == "off"
