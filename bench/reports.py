"""Benchmark: the overview and attainment at ten times the demo dataset.

    python -m bench.reports [--copies 10] [--requests 50] [--keep]

Loads the demo dataset `--copies` times side by side (through the services, like
`kcn-party seed-demo`) into a throwaway database on KCN_BENCH_DATABASE_URL, then times
GET /api/v1/reports/overview, GET /api/v1/attainment and one committee target's attainment with
its quota roll-up. The target is a median under 100 ms for each.
"""

import argparse
import asyncio
import time

from sqlalchemy import select, text

from app.core.db import Database
from app.demo import seed_demo
from app.models import Target, TargetScope
from bench.common import api_client, throwaway_database, time_requests

PERIOD = {"as_of": "2024-06-30", "period_start": "2024-01-01", "period_end": "2024-06-30"}


async def run(url: str, copies: int, requests: int) -> None:
    database = Database(url, pool_size=2)
    started = time.perf_counter()
    for copy in range(copies):
        async with database.sessionmaker() as session:
            await seed_demo(session, copy=copy)
            await session.commit()
    if copies:
        print(
            f"loaded {copies} copies of the demo dataset in {time.perf_counter() - started:.1f} s"
        )
        async with database.engine.connect() as conn:  # what autovacuum would soon have done
            await conn.execute(text("ANALYZE"))
    async with database.sessionmaker() as session:
        committee = (
            await session.scalars(
                select(Target)
                .where(Target.scope == TargetScope.COMMITTEE, Target.value == 140)
                .limit(1)
            )
        ).one()
    async with api_client(database, url) as client:
        cases = [
            ("overview (JSON)", "/api/v1/reports/overview", PERIOD),
            ("attainment list", "/api/v1/attainment", {"as_of": "2024-06-30", "limit": "50"}),
            (
                "attainment of 1 target + quotas",
                f"/api/v1/targets/{committee.id}/attainment",
                {"as_of": "2024-06-30"},
            ),
            ("overview (XLSX)", "/api/v1/reports/overview", PERIOD | {"format": "xlsx"}),
        ]
        print(f"{'request':36} {'median ms':>10} {'p95 ms':>8}")
        for label, path, params in cases:
            median, p95, _ = await time_requests(client, path, params, requests)
            print(f"{label:36} {median:10.1f} {p95:8.1f}")
    await database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", metavar="URL", help="time a database kept by --keep")
    args = parser.parse_args()
    if args.reuse:
        asyncio.run(run(args.reuse, 0, args.requests))
        return
    with throwaway_database("kcn_bench_reports", keep=args.keep) as url:
        asyncio.run(run(url, args.copies, args.requests))


if __name__ == "__main__":
    main()
