"""Benchmark: a campaign's pipeline over 3,000 enterprises and 30,000 activities.

    python -m bench.campaign_pipeline [--requests 60] [--plan]

Creates a throwaway database on KCN_BENCH_DATABASE_URL (default
postgresql://postgres@127.0.0.1:5432/postgres), migrates it, loads the data with bulk inserts,
times GET /api/v1/campaigns/{id}/pipeline through the ASGI app with a real token (60 requests per
variant after 5 warm-up; median, p95, min), then the pipeline statement's own time from
EXPLAIN (ANALYZE, TIMING OFF) (--plan prints the full plan); drops the database at the end.
The target is a median under 100 ms.
"""

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import statistics
import time
from collections.abc import Iterator, Sequence
from typing import Any

import asyncpg
from sqlalchemy import Table, insert, text
from sqlalchemy.ext.asyncio import AsyncConnection

from app.campaigns.results.pipeline import pipeline_page_statement
from app.campaigns.results.schemas import PipelineFilters
from app.core.dates import today
from app.core.db import Database
from app.models import (
    Campaign,
    CampaignActivity,
    Enterprise,
    EnterpriseEvent,
    IndustrialZone,
    Member,
    MemberEvent,
    Organization,
    User,
    campaign_zones,
)
from bench.common import api_client, plain_url, throwaway_database, time_requests

CAMPAIGN_ENTERPRISES = 3_000
OTHER_ENTERPRISES = 1_500
ACTIVITIES = 30_000
STARTS_ON, ENDS_ON = dt.date(2024, 1, 1), dt.date(2025, 12, 31)
COUNTRIES = ["KR", "KR", "KR", "JP", "JP", "CN", "TW", "SG", "DE", "FR", "TH", "US"]
ROLES = ["owner", "general_director", "hr_director", "admin_head", "union_chair", "other"]
OUTCOMES = ["no_response"] * 5 + ["receptive"] * 3 + ["agreed", "declined"]
KINDS = ["visit", "meeting", "call", "materials_sent", "event"]
BATCH = 5_000
STAMP = {"version": 1}


def _batches(rows: Sequence[dict[str, Any]]) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


async def _insert(conn: AsyncConnection, table: Table | Any, rows: list[dict[str, Any]]) -> None:
    for batch in _batches(rows):
        await conn.execute(insert(table), batch)


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


async def load(conn: AsyncConnection, rng: random.Random) -> tuple[int, int]:
    """The registry, one campaign over three of nine zones, members and activities; returns
    (campaign id, admin user id)."""
    users = [
        {"id": 1, "username": "bench-admin", "full_name": "Bench", "role": "admin"},
        {"id": 2, "username": "bench-leader", "full_name": "Leader", "role": "group_leader"},
    ]
    await _insert(
        conn, User, [u | {"password_hash": "-", "is_active": True} | STAMP for u in users]
    )
    zones = [
        {
            "id": z,
            "code": f"BENCH-{z}",
            "name": f"KCN {z}",
            "status": "operating",
            "established_on": dt.date(2000, 1, 1),
        }
        | STAMP
        for z in range(1, 10)
    ]
    await _insert(conn, IndustrialZone, zones)
    await _insert(
        conn,
        Campaign,
        [
            {
                "id": 1,
                "name": "Đoàn công tác số 1",
                "leader_id": 2,
                "starts_on": STARTS_ON,
                "ends_on": ENDS_ON,
                "status": "active",
            }
            | STAMP
        ],
    )
    await _insert(conn, campaign_zones, [{"campaign_id": 1, "zone_id": z} for z in (1, 2, 3)])

    enterprises: list[dict[str, Any]] = []
    organizations: list[dict[str, Any]] = []
    members: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    organizations.append(
        {
            "id": 1,
            "name": "Đảng bộ cơ quan",
            "kind": "grassroots_committee",
            "enterprise_id": None,  # every row names the same columns: executemany uses the first
            "established_on": dt.date(2005, 1, 1),
        }
        | STAMP
    )
    total = CAMPAIGN_ENTERPRISES + OTHER_ENTERPRISES
    for e in range(1, total + 1):
        in_campaign = e <= CAMPAIGN_ENTERPRISES
        zone_id = (e % 3) + 1 if in_campaign else 4 + e % 6
        ownership = rng.choices(["fdi", "domestic_private", "state"], [60, 35, 5])[0]
        enterprises.append(
            {
                "id": e,
                "tax_code": f"{e:010d}",
                "name": f"Công ty {e}",
                "zone_id": zone_id,
                "ownership": ownership,
                "investor_country": rng.choice(COUNTRIES) if ownership == "fdi" else None,
                "workers_count": int(rng.lognormvariate(5.5, 1.0)),
                "status": "operating",
                "registered_on": dt.date(2000, 1, 1),
            }
            | STAMP
        )
        organization_id = 1
        luck = rng.random()
        if luck < 0.12 or (in_campaign and luck < 0.15):
            # Organized long ago (12%), or during the campaign (3% of the campaign's).
            established = (
                dt.date(2012, 1, 1) if luck < 0.12 else _day(rng, STARTS_ON, dt.date(2025, 10, 31))
            )
            organization_id = len(organizations) + 1
            organizations.append(
                {
                    "id": organization_id,
                    "name": f"Chi bộ {e}",
                    "kind": "grassroots_cell",
                    "enterprise_id": e,
                    "established_on": established,
                }
                | STAMP
            )
        for _ in range(rng.choices([0, 1, 2, 3, 4, 5], [30, 25, 15, 12, 10, 8])[0]):
            m = len(members) + 1
            registered = _day(rng, dt.date(2018, 1, 1), dt.date(2022, 12, 31))
            admitted = registered + dt.timedelta(days=200) if rng.random() < 0.7 else None
            recognized = (
                admitted + dt.timedelta(days=400) if admitted and rng.random() < 0.8 else None
            )
            status = "official" if recognized else "probationary" if admitted else "candidate"
            members.append(
                {
                    "id": m,
                    "full_name": f"Nguyễn Văn {m}",
                    "gender": "male",
                    "date_of_birth": dt.date(1990, 1, 1),
                    "enterprise_id": e,
                    "source_group": "worker",
                    "status": status,
                    "organization_id": organization_id if admitted else None,
                    "registered_on": registered,
                    "admitted_on": admitted,
                    "recognized_on": recognized,
                }
                | STAMP
            )
            steps: list[tuple[str, dt.date, str, int | None]] = [
                ("registered", registered, "candidate", None)
            ]
            if admitted:
                steps.append(("admitted", admitted, "probationary", 1))
            if recognized:
                steps.append(("recognized", recognized, "official", 1))
            if admitted and organization_id != 1:
                established_on: dt.date = organizations[organization_id - 1]["established_on"]
                moved = max(recognized or admitted, established_on)
                steps.append(("transferred", moved, status, organization_id))
            events += [
                {
                    "member_id": m,
                    "kind": kind,
                    "occurred_on": on,
                    "status_after": after,
                    "organization_id": org,
                }
                for kind, on, after, org in steps
            ]
    await _insert(conn, Enterprise, enterprises)
    registrations = [
        {
            "enterprise_id": e["id"],
            "kind": "registered",
            "occurred_on": e["registered_on"],
            "workers_count": e["workers_count"],
        }
        for e in enterprises
    ]
    await _insert(conn, EnterpriseEvent, registrations)
    await _insert(conn, Organization, organizations)
    await _insert(conn, Member, members)
    await _insert(conn, MemberEvent, events)
    activities = []
    for _ in range(ACTIVITIES):
        occurred = _day(rng, STARTS_ON, ENDS_ON)
        follow_up = (
            occurred + dt.timedelta(days=rng.randrange(7, 90)) if rng.random() < 0.5 else None
        )
        activities.append(
            {
                "campaign_id": 1,
                "enterprise_id": rng.randrange(1, CAMPAIGN_ENTERPRISES + 1),
                "occurred_on": occurred,
                "kind": rng.choice(KINDS),
                "contact_role": rng.choice(ROLES),
                "outcome": rng.choice(OUTCOMES),
                "follow_up_on": follow_up,
                "created_by_id": 2,
            }
            | STAMP
        )
    await _insert(conn, CampaignActivity, activities)
    explicit_ids = ("users", "industrial_zones", "campaigns", "enterprises", "organizations")
    for table in (*explicit_ids, "members"):
        await conn.execute(
            text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}")
        )
    print(
        f"loaded {len(enterprises)} enterprises ({CAMPAIGN_ENTERPRISES} in the campaign's zones), "
        f"{len(organizations)} organizations, {len(members)} members, {len(events)} events, "
        f"{len(activities)} activities"
    )
    return 1, 1


async def explain(database: Database, campaign_id: int, on: dt.date, plan: bool) -> None:
    async with database.sessionmaker() as session:
        campaign = await session.get(Campaign, campaign_id)
        assert campaign is not None
        stmt, _ = pipeline_page_statement(campaign, on, PipelineFilters(), limit=50, cursor=None)
        sql = str(
            stmt.compile(dialect=database.engine.dialect, compile_kwargs={"literal_binds": True})
        )
        times = []
        for _ in range(12):
            raw = (
                await session.execute(text(f"EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) {sql}"))
            ).scalar()
            document: Any = json.loads(raw) if isinstance(raw, str) else raw
            times.append((document[0]["Planning Time"], document[0]["Execution Time"]))
        planning, execution = zip(*times[2:], strict=True)
        print(
            f"EXPLAIN (ANALYZE, TIMING OFF) as of {on}: "
            f"planning {statistics.median(planning):.1f} ms, "
            f"execution median {statistics.median(execution):.1f} ms, "
            f"min {min(execution):.1f} ms (10 runs after 2)"
        )
        if plan:
            rows = await session.execute(text(f"EXPLAIN (ANALYZE, BUFFERS) {sql}"))
            print("\n".join(row[0] for row in rows))


async def run(url: str, requests: int, plan: bool) -> None:
    database = Database(url, pool_size=4)
    try:
        started = time.perf_counter()
        async with database.engine.begin() as conn:
            campaign_id, user_id = await load(conn, random.Random(20240627))
        # Fresh statistics, as autovacuum would have them on a live database.
        fresh: Any = await asyncpg.connect(plain_url(url))
        try:
            await fresh.execute("VACUUM ANALYZE")
        finally:
            await fresh.close()
        print(f"load and analyze: {time.perf_counter() - started:.1f} s")
        base = f"/api/v1/campaigns/{campaign_id}/pipeline"
        async with api_client(database, url, user_id) as client:
            first = (await client.get(base)).json()
            assert len(first["items"]) == 50, first
            variants: dict[str, tuple[str, dict[str, str]]] = {
                "baseline: GET the campaign itself": (f"/api/v1/campaigns/{campaign_id}", {}),
                "first page (limit 50, as of today)": (base, {}),
                "first page as_of=2025-06-30": (base, {"as_of": "2025-06-30"}),
                "second page (cursor)": (base, {"cursor": first["next_cursor"]}),
                "stage=receptive, zone filter": (base, {"stage": "receptive", "zone_id": "2"}),
                "(summary, for reference)": (f"/api/v1/campaigns/{campaign_id}/summary", {}),
            }
            print(f"GET {base}: {requests} timed requests after 5 warm-up, per variant")
            print(f"  (load average before timing: {os.getloadavg()[0]:.2f})")
            for label, (path, params) in variants.items():
                median, p95, _ = await time_requests(client, path, params, requests)
                print(f"  {label:38s} median {median:6.1f} ms   p95 {p95:6.1f} ms")
            summary = (await client.get(f"/api/v1/campaigns/{campaign_id}/summary")).json()
            shown = ("enterprises_assigned", "contacted", "agreed", "organizations_established")
            print("  summary today: " + ", ".join(f"{k} {summary[k]}" for k in shown))
            stages = [(e["stage"], e["ready"]) for e in first["items"]]
            print(f"  first page: {stages[:3]} … {stages[-1]}")
        await explain(database, campaign_id, today(), plan)
        await explain(database, campaign_id, dt.date(2025, 6, 30), False)
    finally:
        await database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=60, help="timed requests per variant")
    parser.add_argument("--plan", action="store_true", help="print the full EXPLAIN ANALYZE plan")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    with throwaway_database("kcn_bench_pipeline", keep=args.keep) as url:
        asyncio.run(run(url, args.requests, args.plan))


if __name__ == "__main__":
    main()
