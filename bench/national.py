"""Benchmark data at national scale (issue 12): the demo dataset copied N times, in SQL.

    python -m bench.national --scale N [--shape copies|committee] [--keep] [--reuse URL]
                             [--requests 20] [--no-time]
                             [--only overview|attainment|target|pipeline|lists|admission]

Builds a database on KCN_BENCH_DATABASE_URL's server (the local PostgreSQL by default): migrated,
the demo loaded once through the services, then copied N - 1 more times by one
`INSERT ... SELECT ... CROSS JOIN generate_series` per table. Copy k's ids are the demo's plus
k times the demo's largest id of that table, and so are the foreign keys between copied tables,
so every copy is the demo again, rules and all (ages, probation, one grassroots organization per
enterprise): each copy has its own zones, enterprises, organizations, members and their events,
classes, working groups with their activities and visits, quotas and plans. The committee's
own targets, the users and the materials library are shared by all copies; audit records,
sessions and import jobs are not copied, and the as-of ledger is rebuilt from the records once
the copies are in (its time is reported). Values that must be unique get the copy's mark (a
zone's code, a working group's name, an enterprise's tax code from its new id, a party card
number). Dates are the demo's own, spread from 1990 to 2026.

That is --shape copies (the default, and what issue 12 first measured): N committees in one
database, so the answers that list every zone and every working group's target (the overview)
grow N times with it. --shape committee is one committee with N times the history: the copies
share the demo's 12 zones, its 3 working groups and their targets (campaign_zones is then not
copied), and bring their own enterprises, organizations, members and all the rest; the
overview's answer stays the demo's size while everything it counts grows N times.

Then it reports the database's size and rows, and times (unless --no-time), one request after
the other through the app over ASGI, the median and p95 of --requests requests after warm-up of:
the overview (as of 2024-06-30, H1 2024), the attainment list, the committee target with the most
quotas, a campaign pipeline's first page, the organizations, enterprises and members lists
(today and as of 2024-06-30), and a write: admitting a candidate (registered for the purpose,
so a kept database keeps them too). At N = 1 this is the demo itself.
"""

import argparse
import asyncio
import statistics
import time
from typing import Any

import httpx
from sqlalchemy import Column, Integer, Table, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import aliased

from app.core.dates import today
from app.core.db import Database
from app.demo import seed_demo
from app.models import Base, Campaign, Organization, OrganizationKind, Target, TargetScope
from app.party.ledger import fill
from bench.common import api_client, throwaway_database, time_requests

# Copied per copy. Not copied: users and what hangs on them alone (sessions, feeds, idempotency
# records, import jobs), the audit trail and login failures, and the materials library (copies
# link to the same materials). Nor the as-of ledger: the copies are written with the triggers
# off (session_replication_role), and `ledger_fill` then recomputes it from the records, as
# `kcn-party rebuild-aggregates` does (without comparing the rows of a ledger known empty).
LEDGER_TABLES = tuple(
    table.name for table in Base.metadata.sorted_tables if table.name.startswith("ledger_")
)
NOT_COPIED = frozenset(
    {
        *LEDGER_TABLES,
        "users",
        "auth_sessions",
        "refresh_tokens",
        "calendar_feeds",
        "idempotency_keys",
        "import_jobs",
        "audit_events",
        "login_failures",
        "materials",
        "material_files",
    }
)
# Rows of a copied table that there is one of, whatever the scale, per shape: the city's targets
# for the whole committee (each copy's organizations and working groups get their own quotas).
# The copies' references to them stay as they are. "copies" is N committees in one database,
# each with its zones and working groups, so the overview's answer (a row per zone, a target per
# working group) grows N times too. "committee" is one committee with N times the history: the
# demo's zones, its three working groups and their targets are shared; enterprises,
# organizations, members, their events, classes, activities and quotas are copied N times.
SHAPES: dict[str, dict[str, str]] = {
    "copies": {"targets": "scope = 'committee'"},
    "committee": {
        "targets": "scope IN ('committee', 'campaign')",
        "industrial_zones": "true",
        "campaigns": "true",
    },
}
# Values that must stay unique, as SQL of the copy's number `k` and the row's new id `new_id`.
UNIQUE_VALUES = {
    ("industrial_zones", "code"): "left(t.code, 24) || '-' || k",
    ("campaigns", "name"): "left(t.name, 180) || ' (bản ' || k || ')'",
    ("enterprises", "tax_code"): "'9' || lpad(new_id::text, 9, '0')",
    ("members", "party_card_no"): "CASE WHEN t.party_card_no IS NULL THEN NULL "
    "ELSE 'K' || new_id::text END",
}
PERIOD = {"as_of": "2024-06-30", "period_start": "2024-01-01", "period_end": "2024-06-30"}
AS_OF = {"as_of": "2024-06-30"}


def copied_tables() -> list[Table]:
    return [t for t in Base.metadata.sorted_tables if t.name not in NOT_COPIED]


def _id_column(table: Table) -> Column[Any] | None:
    """The table's own integer id, when it has one (not a link table's pair of keys)."""
    keys = list(table.primary_key.columns)
    if len(keys) == 1 and isinstance(keys[0].type, Integer) and not keys[0].foreign_keys:
        return keys[0]
    return None


def copy_statement(
    table: Table,
    offsets: dict[str, int],
    shared: dict[str, list[int]],
    copies: int,
    shape: dict[str, str],
) -> str:
    """One INSERT adding copies 1 .. copies - 1 of the demo's rows of `table` (but the rows
    `shape` shares, whose ids are `shared`)."""
    own = _id_column(table)
    expressions = []
    for column in table.columns:
        name = column.name
        targets = {fk.column.table.name for fk in column.foreign_keys}
        target = next(iter(targets)) if targets else None
        if own is not None and column is own:
            value = f"t.{name} + k * {offsets[table.name]}"
        elif target in offsets:
            value = f"t.{name} + k * {offsets[target]}"
            if shared.get(target):
                ids = ", ".join(map(str, shared[target]))
                value = f"CASE WHEN t.{name} IN ({ids}) THEN t.{name} ELSE {value} END"
        else:
            value = f"t.{name}"
        rule = UNIQUE_VALUES.get((table.name, name))
        if rule is not None:
            new_id = f"(t.{own.name} + k * {offsets[table.name]})" if own is not None else "0"
            value = rule.replace("new_id", new_id)
        expressions.append(f"{value} AS {name}")
    columns = ", ".join(c.name for c in table.columns)
    only = f" WHERE NOT ({shape[table.name]})" if table.name in shape else ""
    if own is None:
        # A link table's row between shared rows only (a shared working group's shared zone)
        # is there once already.
        links = [
            f"t.{column.name} IN ({', '.join(map(str, shared[fk.column.table.name]))})"
            for column in table.columns
            for fk in column.foreign_keys
            if shared.get(fk.column.table.name)
        ]
        if links and len(links) == len([c for c in table.columns if c.foreign_keys]):
            only = f" WHERE NOT coalesce({' AND '.join(links)}, false)"
    return (
        f"INSERT INTO {table.name} ({columns}) SELECT {', '.join(expressions)} "
        f"FROM {table.name} AS t CROSS JOIN generate_series(1, {copies - 1}) AS k{only}"
    )


async def _copy(conn: AsyncConnection, copies: int, shape: dict[str, str]) -> None:
    """Copies 1 .. copies - 1 of every copied table, each table's foreign keys shifted with it.
    Foreign keys are not re-checked row by row (session_replication_role): they hold by
    construction; the sequences move past the new ids."""
    offsets: dict[str, int] = {}
    shared: dict[str, list[int]] = {}
    for name, condition in shape.items():
        found = await conn.execute(text(f"SELECT id FROM {name} WHERE {condition}"))
        shared[name] = [row[0] for row in found]
    tables = copied_tables()
    for table in tables:
        own = _id_column(table)
        if own is not None:
            offsets[table.name] = (
                await conn.scalar(text(f"SELECT coalesce(max({own.name}), 0) FROM {table.name}"))
            ) or 0
    await conn.execute(text("SET session_replication_role = replica"))
    for table in tables:
        started = time.perf_counter()
        statement = copy_statement(table, offsets, shared, copies, shape)
        result = await conn.execute(text(statement))
        print(
            f"  {table.name:28} +{result.rowcount:>11,} rows {time.perf_counter() - started:7.1f} s"
        )
    await conn.execute(text("SET session_replication_role = DEFAULT"))
    for table in tables:
        own = _id_column(table)
        if own is not None:
            await conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{own.name}'), "
                    f"(SELECT max({own.name}) FROM {table.name}))"
                )
            )


async def build(url: str, copies: int, shape: str) -> None:
    database = Database(url, pool_size=2)
    started = time.perf_counter()
    async with database.sessionmaker() as session:
        await seed_demo(session)
        await session.commit()
    print(f"demo loaded in {time.perf_counter() - started:.1f} s")
    if copies > 1:
        copying = time.perf_counter()
        async with database.engine.connect() as conn:
            await _copy(conn, copies, SHAPES[shape])
            await conn.commit()
        print(f"copied {copies - 1} times ({shape}) in {time.perf_counter() - copying:.1f} s")
        # The ledger's fill is planned on the copies' statistics, not the demo's: on the demo's
        # it nested loops over millions of rows (8 min at N = 300 instead of seconds).
        async with database.engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            analysed = time.perf_counter()
            await conn.execute(text("ANALYZE"))
            print(f"analyze in {time.perf_counter() - analysed:.1f} s")
        async with database.sessionmaker() as session:
            rebuilding = time.perf_counter()
            checks = await fill(session)
            await session.commit()
        print(
            f"ledger rebuilt in {time.perf_counter() - rebuilding:.1f} s: "
            + ", ".join(f"{c.ledger} {c.rows:,} rows" for c in checks)
        )
    async with database.engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        analysed = time.perf_counter()
        await conn.execute(text("VACUUM ANALYZE"))
        print(f"vacuum analyze in {time.perf_counter() - analysed:.1f} s")
    print(f"built in {time.perf_counter() - started:.1f} s")
    await database.dispose()


async def report(url: str) -> None:
    database = Database(url, pool_size=2)
    async with database.engine.connect() as conn:
        size = await conn.scalar(
            text("SELECT pg_size_pretty(pg_database_size(current_database()))")
        )
        print(f"database size: {size}")
        for name in (
            "members",
            "member_events",
            "organizations",
            "enterprises",
            "targets",
            "industrial_zones",
            "campaigns",
            *LEDGER_TABLES,
        ):
            count = await conn.scalar(text(f"SELECT count(*) FROM {name}"))
            size = await conn.scalar(
                text(f"SELECT pg_size_pretty(pg_total_relation_size('{name}'))")
            )
            print(f"  {name:20} {count:>12,} rows {size:>10}")
    await database.dispose()


CASES = ("overview", "attainment", "target", "pipeline", "lists", "admission")


async def measure(url: str, requests: int, only: list[str] | None = None) -> None:
    database = Database(url, pool_size=2)
    async with database.sessionmaker() as session:
        # The committee target with the most quotas (organization targets of its metric and
        # period): the heaviest roll-up.
        quota = aliased(Target)
        committee = (
            await session.scalars(
                select(Target.id)
                .outerjoin(
                    quota,
                    (quota.scope == TargetScope.ORGANIZATION)
                    & (quota.metric == Target.metric)
                    & (quota.period_start == Target.period_start)
                    & (quota.period_end == Target.period_end),
                )
                .where(Target.scope == TargetScope.COMMITTEE)
                .group_by(Target.id)
                .order_by(func.count(quota.id).desc(), Target.id)
                .limit(1)
            )
        ).one()
        campaign = (await session.scalars(select(Campaign.id).order_by(Campaign.id))).first()
    cases = [
        ("overview", "overview (as of 2024-06-30, H1)", "/api/v1/reports/overview", PERIOD),
        ("attainment", "attainment list", "/api/v1/attainment", AS_OF | {"limit": "50"}),
        ("target", "committee target + quotas", f"/api/v1/targets/{committee}/attainment", AS_OF),
        (
            "pipeline",
            "campaign pipeline (first page)",
            f"/api/v1/campaigns/{campaign}/pipeline",
            {},
        ),
        ("lists", "organizations?limit=50", "/api/v1/organizations", {"limit": "50"}),
        ("lists", "organizations as_of", "/api/v1/organizations", AS_OF | {"limit": "50"}),
        ("lists", "enterprises?limit=50", "/api/v1/enterprises", {"limit": "50"}),
        ("lists", "enterprises as_of", "/api/v1/enterprises", AS_OF | {"limit": "50"}),
        ("lists", "members?limit=50", "/api/v1/members", {"limit": "50"}),
        ("lists", "members as_of", "/api/v1/members", AS_OF | {"limit": "50"}),
    ]
    cases = [case for case in cases if only is None or case[0] in only]
    async with database.sessionmaker() as session:
        cell = (
            await session.scalars(
                select(Organization.id)
                .where(
                    Organization.kind == OrganizationKind.GRASSROOTS_CELL,
                    Organization.dissolved_on.is_(None),
                )
                .order_by(Organization.id)
                .limit(1)
            )
        ).one()
    async with api_client(database, url) as client:
        print(f"{'request':34} {'median ms':>10} {'p95 ms':>8}")
        for _key, label, path, params in cases:
            median, p95, _ = await time_requests(client, path, params, requests, warmup=3)
            print(f"{label:34} {median:10.1f} {p95:8.1f}", flush=True)
        if only is None or "admission" in only:
            median, p95 = await _time_admissions(client, cell, requests)
            print(f"{'admission (POST .../admit)':34} {median:10.1f} {p95:8.1f}", flush=True)
    await database.dispose()


async def _time_admissions(
    client: httpx.AsyncClient, organization_id: int, requests: int
) -> tuple[float, float]:
    """A write: candidates registered for the purpose (untimed), each admitted (timed)."""
    samples = []
    for index in range(requests + 3):
        candidate = await client.post(
            "/api/v1/members",
            json={
                "full_name": f"Ứng viên đo {index}",
                "gender": "female",
                "date_of_birth": "1995-04-12",
                "registered_on": "2020-01-01",
            },
        )
        candidate.raise_for_status()
        started = time.perf_counter()
        admitted = await client.post(
            f"/api/v1/members/{candidate.json()['id']}/admit",
            json={"admitted_on": today().isoformat(), "organization_id": organization_id},
        )
        elapsed = (time.perf_counter() - started) * 1000
        admitted.raise_for_status()
        if index >= 3:
            samples.append(elapsed)
    samples.sort()
    return statistics.median(samples), samples[max(0, round(len(samples) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=10, help="copies of the demo (N)")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument(
        "--shape",
        choices=tuple(SHAPES),
        default="copies",
        help="copies: N committees (the default); committee: one committee, N times the history",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", metavar="URL", help="time a database kept by --keep")
    parser.add_argument("--no-time", action="store_true", help="build and report only")
    parser.add_argument(
        "--only", action="append", choices=CASES, help="time these cases only (repeatable)"
    )
    args = parser.parse_args()
    if args.scale < 1:
        parser.error("--scale must be 1 or more")
    if args.reuse:
        asyncio.run(report(args.reuse))
        asyncio.run(measure(args.reuse, args.requests, args.only))
        return
    with throwaway_database("kcn_bench_national", keep=args.keep) as url:
        asyncio.run(build(url, args.scale, args.shape))
        asyncio.run(report(url))
        if not args.no_time:
            asyncio.run(measure(url, args.requests, args.only))


if __name__ == "__main__":
    main()
