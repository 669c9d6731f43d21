"""The as-of ledger (app/models/ledger.py): kept by the database under concurrent writers,
checked and repaired by `kcn-party rebuild-aggregates`, read by the overview. That its figures
equal the records' is tests/members/test_asof_properties.py."""

import asyncio
import datetime as dt
from pathlib import Path

import asyncpg
import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.dates import today
from app.core.db import Database
from app.models import (
    Enterprise,
    LedgerMemberDay,
    LedgerMetricDay,
    LedgerState,
    Metric,
    Role,
    Target,
    TargetScope,
    TrainingClass,
)
from app.party.asof import open_enterprises
from app.party.ledger import fill, member_state_totals, open_enterprise_totals, rebuild
from app.reports.overview import OverviewReport
from tests.conftest import plain_url
from tests.factories import add_enterprise, add_member, add_organization
from tests.fixtures.cli import kcn_party
from tests.fixtures.live import LiveServer
from tests.fixtures.registry import ZoneFactory

API = "/api/v1"
N = 20


async def _differences(session: AsyncSession) -> list[int]:
    """Per ledger, where `ledger_rebuild` finds the kept ledger differs from the records."""
    return [found.differences for found in await rebuild(session, apply=False)]


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

    # An editor: tests/core/test_races.py's last admin test has the live admin step aside.
    async with live.client(Role.EDITOR) as client:
        before = (await client.get(f"{API}/reports/overview", params=period)).json()["members"]

    async def admit(i: int) -> httpx.Response:
        async with live.client(Role.EDITOR, limits=httpx.Limits(max_connections=1)) as client:
            return await client.post(
                f"{API}/members/{candidates[i]}/admit",
                json={"admitted_on": today, "organization_id": organization},
            )

    responses = await asyncio.gather(*(admit(i) for i in range(N)))
    assert [r.status_code for r in responses] == [200] * N, [r.text for r in responses]

    async with live.client(Role.EDITOR) as client:
        after = (await client.get(f"{API}/reports/overview", params=period)).json()["members"]
    assert after["probationary"] == before["probationary"] + N
    assert after["admitted_in_period"] == before["admitted_in_period"] + N

    assert await live.seed(_differences) == [0] * 8


async def test_quotas_set_while_their_organization_admits_are_each_counted_once(
    live: LiveServer,
) -> None:
    """Quotas of one organization created while members are admitted into it, all at once:
    each admission's deltas and each quota's history are added under the organization's
    turn, so the committee target's roll-up counts every admission once per quota."""
    this_year = today().replace(month=1, day=1)

    async def seed(session: AsyncSession) -> tuple[int, list[int]]:
        organization = await add_organization(session)
        candidates = [(await add_member(session)).id for _ in range(N // 2)]
        return organization.id, candidates

    organization, candidates = await live.seed(seed)
    period = {"period_start": this_year.isoformat(), "period_end": f"{this_year.year}-12-31"}
    async with live.client(Role.EDITOR) as client:
        committee = await client.post(
            f"{API}/targets",
            json={"name": "Kết nạp", "metric": "members_admitted", "scope": "committee"}
            | period
            | {"value": 100},
        )
        assert committee.status_code == 201, committee.text

    async def change(i: int) -> httpx.Response:
        async with live.client(Role.EDITOR, limits=httpx.Limits(max_connections=1)) as client:
            if i % 2:
                return await client.post(
                    f"{API}/members/{candidates[i // 2]}/admit",
                    json={"admitted_on": today().isoformat(), "organization_id": organization},
                )
            return await client.post(
                f"{API}/targets",
                json={
                    "name": f"Chỉ tiêu {i}",
                    "metric": "members_admitted",
                    "scope": "organization",
                    "organization_id": organization,
                    "value": 1 + i,
                }
                | period,
            )

    responses = await asyncio.gather(*(change(i) for i in range(N)))
    assert [r.status_code for r in responses] == [201, 200] * (N // 2), [r.text for r in responses]

    async with live.client(Role.EDITOR) as client:
        answer = await client.get(
            f"{API}/targets/{committee.json()['id']}/attainment",
            params={"as_of": today().isoformat()},
        )
    assert answer.status_code == 200, answer.text
    rollup = answer.json()["quota_rollup"]
    assert (rollup["quotas"], rollup["actual"]) == (N // 2, (N // 2) ** 2)

    assert await live.seed(_differences) == [0] * 8


async def test_completions_and_a_new_trained_target_at_once_are_each_counted_once(
    live: LiveServer,
) -> None:
    """Candidates completing two classes each while a candidates_trained target of their period
    is set: member refreshes and the period's refresh take turns, so the target counts each
    candidate once, and the ledger is the records'."""
    year = today().year

    async def seed(session: AsyncSession) -> list[int]:
        return [(await add_member(session)).id for _ in range(N // 4)]

    candidates = await live.seed(seed)
    async with live.client(Role.EDITOR) as client:
        classes = []
        for ends in (f"{year}-01-20", f"{year}-01-27"):
            created = await client.post(
                f"{API}/training-classes",
                json={"title": "Lớp cảm tình Đảng", "starts_on": f"{year}-01-05", "ends_on": ends},
            )
            assert created.status_code == 201, created.text
            classes.append(created.json()["id"])
            for member in candidates:
                added = await client.post(
                    f"{API}/training-classes/{classes[-1]}/attendees", json={"member_id": member}
                )
                assert added.status_code == 201, added.text

    async def change(i: int) -> httpx.Response:
        async with live.client(Role.EDITOR, limits=httpx.Limits(max_connections=1)) as client:
            if i == N // 2:
                return await client.post(
                    f"{API}/targets",
                    json={
                        "name": "Bồi dưỡng cảm tình Đảng",
                        "metric": "candidates_trained",
                        "scope": "committee",
                        "period_start": f"{year}-01-01",
                        "period_end": f"{year}-12-31",
                        "value": 50,
                    },
                )
            class_id, member = classes[i % 2], candidates[(i // 2) % len(candidates)]
            return await client.patch(
                f"{API}/training-classes/{class_id}/attendees/{member}", json={"completed": True}
            )

    responses = await asyncio.gather(*(change(i) for i in range(N + 1)))
    assert all(r.status_code in (200, 201) for r in responses), [r.text for r in responses]
    target = next(r.json()["id"] for r in responses if r.status_code == 201)

    async with live.client(Role.EDITOR) as client:
        answer = await client.get(
            f"{API}/targets/{target}/attainment", params={"as_of": f"{year}-12-31"}
        )
    assert answer.status_code == 200, answer.text
    assert answer.json()["actual"] == len(candidates)

    assert await live.seed(_differences) == [0] * 8


async def test_concurrent_changes_of_one_enterprises_organizations_keep_the_ledger_exact(
    live: LiveServer,
) -> None:
    """Cells founded and dissolved in one enterprise while its ownership changes back and forth,
    all at once: each change recomputes the enterprise's coverage and its organizations' spans
    from what the others committed (they take turns on the enterprise), so none waits forever,
    none fails and the organizations' figures are the records'."""

    async def seed(session: AsyncSession) -> tuple[int, int, list[int]]:
        enterprise = await add_enterprise(session)
        committee = await add_organization(
            session, kind="grassroots_committee", enterprise_id=enterprise.id
        )
        cells = [
            (
                await add_organization(
                    session,
                    kind="affiliated_cell",
                    parent_id=committee.id,
                    enterprise_id=enterprise.id,
                    established_on=dt.date(2011, 1, 1 + i),
                )
            ).id
            for i in range(N // 4)
        ]
        return enterprise.id, committee.id, cells

    enterprise, committee, cells = await live.seed(seed)

    async def change(i: int) -> httpx.Response:
        async with live.client(Role.EDITOR, limits=httpx.Limits(max_connections=1)) as client:
            match i % 4:
                case 0:
                    return await client.post(
                        f"{API}/organizations",
                        json={
                            "name": f"Chi bộ {i}",
                            "kind": "affiliated_cell",
                            "parent_id": committee,
                            "enterprise_id": enterprise,
                            "established_on": f"2015-03-{1 + i:02d}",
                        },
                    )
                case 1:
                    return await client.post(
                        f"{API}/organizations/{cells[i // 4]}/dissolve",
                        json={"dissolved_on": f"2016-05-{1 + i:02d}", "reason": "sáp nhập"},
                    )
                case 2:
                    return await client.patch(
                        f"{API}/enterprises/{enterprise}",
                        json={"ownership": "fdi", "investor_country": "JP"},
                    )
                case _:
                    return await client.patch(
                        f"{API}/enterprises/{enterprise}",
                        json={"ownership": "state", "investor_country": None},
                    )

    responses = await asyncio.gather(*(change(i) for i in range(N)))
    assert all(r.status_code in (200, 201) for r in responses), [r.text for r in responses]

    async def check(session: AsyncSession) -> list[int]:
        for on in (dt.date(2011, 1, 3), dt.date(2015, 3, 10), dt.date(2016, 5, 10), today()):
            ledger = OverviewReport(session, on, on, on)
            records = OverviewReport(session, on, on, on, from_records=True)
            assert await ledger.organizations(1) == await records.organizations(1), on
        return await _differences(session)

    assert await live.seed(check) == [0] * 8


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
    assert [(c.ledger, c.differences) for c in found] == [
        ("member_states", 1),
        ("metric_items", 0),
        ("open_enterprises", 0),
        ("organizations", 0),
        ("investment_projects", 0),
        ("quota_rollups", 0),
        ("candidates_trained", 0),
        ("completions", 0),
    ]

    await rebuild(session, apply=True)
    assert await _differences(session) == [0] * 8
    assert await member_state_totals(session, today) == right
    # Rebuilt, the deltas are folded: one row per state and day.
    keys = select(LedgerMemberDay.state, LedgerMemberDay.day).distinct().subquery()
    rows = await session.scalar(select(func.count()).select_from(LedgerMemberDay))
    assert rows == await session.scalar(select(func.count()).select_from(keys))


async def test_wrong_spans_whose_day_sums_are_right_are_found_and_corrected(
    session: AsyncSession,
) -> None:
    """A member's and an enterprise's spans kept under another id: every day sum is still
    right, but the pipeline's official probe and the as-of open probe read the spans."""
    organization = await add_organization(session)
    member = await add_member(
        session, admitted_on=dt.date(2020, 1, 6), organization_id=organization.id
    )
    enterprise = await add_enterprise(session)
    kept = {
        "member_states": ("ledger_member_spans", "member_id", member.id),
        "open_enterprises": ("ledger_enterprise_spans", "enterprise_id", enterprise.id),
    }
    spans = {}
    for ledger, (table, column, ident) in kept.items():
        spans[ledger] = await session.scalar(
            text(f"SELECT count(*) FROM {table} WHERE {column} = :id"), {"id": ident}
        )
        assert spans[ledger], ledger
        await session.execute(
            text(f"UPDATE {table} SET {column} = :other WHERE {column} = :id"),
            {"id": ident, "other": ident + 1_000_000},
        )

    found = {c.ledger: c.differences for c in await rebuild(session, apply=False)}
    # Each span missing under its own id and extra under the other.
    assert found == {
        "member_states": 2 * spans["member_states"],
        "metric_items": 0,
        "open_enterprises": 2 * spans["open_enterprises"],
        "organizations": 0,
        "investment_projects": 0,
        "quota_rollups": 0,
        "candidates_trained": 0,
        "completions": 0,
    }

    await rebuild(session, apply=True)
    assert await _differences(session) == [0] * 8
    for ledger, (table, column, ident) in kept.items():
        assert spans[ledger] == await session.scalar(
            text(f"SELECT count(*) FROM {table} WHERE {column} = :id"), {"id": ident}
        )


async def test_a_repair_reports_the_quota_roll_ups_it_recomputes(session: AsyncSession) -> None:
    """A wrong metric day inside a quota's period: the roll-up kept from it agrees with it, so a
    check finds only the metric day; the repair recomputes the roll-up from the repaired days
    and reports it too."""
    organization = await add_organization(session)
    session.add(
        Target(
            name="Kết nạp của chi bộ",
            metric=Metric.MEMBERS_ADMITTED,
            scope=TargetScope.ORGANIZATION,
            organization_id=organization.id,
            period_start=dt.date(2024, 1, 1),
            period_end=dt.date(2024, 12, 31),
            value=3,
        )
    )
    await session.flush()
    session.add(
        LedgerMetricDay(
            metric=Metric.MEMBERS_ADMITTED,
            scope=TargetScope.ORGANIZATION,
            scope_key=organization.id,
            day=dt.date(2024, 3, 1),
            delta=1,
        )
    )
    await session.flush()

    check = {c.ledger: c.differences for c in await rebuild(session, apply=False)}
    assert (check["metric_items"], check["quota_rollups"]) == (1, 0)
    repair = {c.ledger: c.differences for c in await rebuild(session, apply=True)}
    assert (repair["metric_items"], repair["quota_rollups"]) == (1, 1)
    assert sum(repair.values()) == 2
    assert await _differences(session) == [0] * 8


async def test_fill_replaces_the_ledger_with_the_recomputed_one(session: AsyncSession) -> None:
    """bench.national's fill of a ledger its copies left empty: recomputed and replaced."""
    organization = await add_organization(session)
    await add_member(session, admitted_on=dt.date(2020, 1, 6), organization_id=organization.id)
    await add_enterprise(session)
    for table in ("ledger_member_spans", "ledger_member_days", "ledger_enterprise_spans"):
        await session.execute(text(f"DELETE FROM {table}"))
    assert (await _differences(session))[:3] != [0, 0, 0]

    checks = await fill(session)
    assert [c.ledger for c in checks][:3] == ["member_states", "metric_items", "open_enterprises"]
    assert await _differences(session) == [0] * 8


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


async def _reference(session: AsyncSession, on: dt.date) -> dict[tuple[int, str], tuple[int, int]]:
    """(zone, ownership) -> (open enterprises, workers) derived from the events themselves."""
    open_ = open_enterprises(on, from_events=True)
    rows = await session.execute(
        select(
            Enterprise.zone_id,
            Enterprise.ownership,
            func.count(),
            func.coalesce(func.sum(open_.c.workers_count), 0),
        )
        .join(open_, open_.c.enterprise_id == Enterprise.id)
        .group_by(Enterprise.zone_id, Enterprise.ownership)
    )
    return {(z, o): (int(c), int(w)) for z, o, c, w in rows}


async def test_open_enterprises_follow_every_kind_of_change(
    editor: httpx.AsyncClient, session: AsyncSession, make_zone: ZoneFactory
) -> None:
    """Registration, workforce reports, closing, reopening, a corrected registration date and
    a move to another zone and ownership: on every day around them, the ledger's open
    enterprises and workers per zone and ownership are the events' own."""
    zones = [await make_zone(), await make_zone()]
    created = await editor.post(
        "/api/v1/enterprises",
        json={
            "tax_code": "0101234567",
            "name": "Công ty TNHH May Thăng Long",
            "zone_id": zones[0].id,
            "ownership": "domestic_private",
            "workers_count": 120,
            "registered_on": "2020-05-10",
        },
    )
    assert created.status_code == 201, created.text
    path = f"/api/v1/enterprises/{created.json()['id']}"
    steps = [
        ("workforce", {"reported_on": "2021-01-01", "workers_count": 300}),
        ("close", {"closed_on": "2022-01-01", "reason": "giải thể"}),
        ("reopen", {"reopened_on": "2023-03-01"}),
        ("workforce", {"reported_on": "2023-04-01", "workers_count": 80}),
    ]
    for action, body in steps:
        answer = await editor.post(f"{path}/{action}", json=body)
        assert answer.status_code == 200, answer.text
    moved = await editor.patch(
        path,
        json={
            "registered_on": "2019-01-02",
            "zone_id": zones[1].id,
            "ownership": "fdi",
            "investor_country": "KR",
        },
    )
    assert moved.status_code == 200, moved.text

    days = ["2019-01-01", "2019-01-02", "2020-05-10", "2020-12-31", "2021-01-01", "2021-12-31"]
    days += ["2022-01-01", "2023-02-28", "2023-03-01", "2023-04-01", dt.date.today().isoformat()]
    for day in map(dt.date.fromisoformat, days):
        ledger = {
            key: (figures.count, figures.workers)
            for key, figures in (await open_enterprise_totals(session, day)).items()
        }
        assert ledger == await _reference(session, day), day
    assert await _differences(session) == [0] * 8


async def test_a_quota_or_admission_written_at_repeatable_read_is_refused(
    database_url: str,
) -> None:
    """The quota roll-ups are kept from what other transactions committed, read after a lock;
    a writer whose snapshot predates the lock would lose their changes silently. Such a writer
    (a quota, an admission, a new grassroots organization) gets a clear error instead, and its
    transaction can only roll back."""
    connection = await asyncpg.connect(plain_url(database_url))
    try:
        for write in (
            "INSERT INTO targets (name, metric, scope, organization_id, period_start,"
            " period_end, value, version) SELECT 'Chỉ tiêu', 'members_admitted',"
            " 'organization', $1, '2024-01-01', '2024-12-31', 3, 1",
            "INSERT INTO member_events (member_id, kind, occurred_on, status_after,"
            " organization_id) SELECT id, 'admitted', '2024-05-01', 'probationary', $1"
            " FROM members WHERE full_name = 'Nguyễn Văn Thử RR'",
            "INSERT INTO organizations (name, kind, established_on, version)"
            " SELECT 'Chi bộ ' || $1::integer, 'grassroots_cell', '2021-01-01', 1",
        ):
            transaction = connection.transaction(isolation="repeatable_read")
            await transaction.start()
            try:
                # What the write needs, written with the triggers off (it is rolled back).
                await connection.execute("SET LOCAL session_replication_role = replica")
                organization = await connection.fetchval(
                    "INSERT INTO organizations (name, kind, established_on, version)"
                    " VALUES ('Chi bộ', 'grassroots_cell', '2020-01-01', 1) RETURNING id"
                )
                await connection.execute(
                    "INSERT INTO members (full_name, gender, date_of_birth, source_group,"
                    " status, registered_on, version) VALUES ('Nguyễn Văn Thử RR', 'male',"
                    " '1995-01-01', 'worker', 'candidate', '2020-01-01', 1)"
                )
                await connection.execute("SET LOCAL session_replication_role = origin")
                with pytest.raises(asyncpg.FeatureNotSupportedError, match="READ COMMITTED"):
                    await connection.execute(write, organization)
            finally:
                await transaction.rollback()
    finally:
        await connection.close()


async def test_a_class_end_moved_while_its_attendees_change_keeps_the_trained_ledger_exact(
    live: LiveServer,
) -> None:
    """Two writers straight to the tables (an import, psql): one adds a completed attendee to a
    class while the other moves the class's end out of the target's period, each order. They
    take turns on the class's row, so whoever goes second sees the first's change and the
    ledger ends as the records say."""
    year = today().year - 1

    async def seed(session: AsyncSession) -> tuple[list[int], int, int]:
        members = [(await add_member(session)).id for _ in range(2)]
        session.add_all(
            TrainingClass(
                title=f"Lớp {n}", starts_on=dt.date(year, 3, 1), ends_on=dt.date(year, 5, 2)
            )
            for n in range(2)
        )
        session.add(
            Target(
                name="Bồi dưỡng",
                metric=Metric.CANDIDATES_TRAINED,
                scope=TargetScope.COMMITTEE,
                period_start=dt.date(year, 1, 1),
                period_end=dt.date(year, 12, 31),
                value=5,
            )
        )
        await session.flush()
        classes = list(await session.scalars(select(TrainingClass.id).order_by(TrainingClass.id)))
        return members, classes[-2], classes[-1]

    members, first, second = await live.seed(seed)
    moved_out = dt.date(year + 1, 1, 15)
    attend = (
        "INSERT INTO class_attendees (class_id, member_id, completed, version)"
        " VALUES ($1, $2, true, 1)"
    )
    move = "UPDATE training_classes SET ends_on = $2 WHERE id = $1"
    one = await asyncpg.connect(plain_url(live.database_url))
    two = await asyncpg.connect(plain_url(live.database_url))
    try:
        # The attendee first, the class's end while it is uncommitted; then the reverse.
        for class_id, member, attendee_first in (
            (first, members[0], True),
            (second, members[1], False),
        ):
            leading, trailing = (one, two) if attendee_first else (two, one)
            lead = (attend, class_id, member) if attendee_first else (move, class_id, moved_out)
            trail = (move, class_id, moved_out) if attendee_first else (attend, class_id, member)
            transaction = leading.transaction()
            await transaction.start()
            await leading.execute(*lead)
            waiting = asyncio.ensure_future(trailing.execute(*trail))
            await asyncio.sleep(0.3)
            assert not waiting.done(), "the second writer did not wait for the first"
            await transaction.commit()
            await waiting
    finally:
        await one.close()
        await two.close()

    assert await live.seed(_differences) == [0] * 8
