"""Benchmark: the registry's list endpoints over 10,000 enterprises and 20,000 members.

    python -m bench.registry [--enterprises 10000] [--members 20000] [--requests 50]
                             [--explain-all] [--keep]

Creates a throwaway database on KCN_BENCH_DATABASE_URL (default
postgresql://postgres@127.0.0.1:5432/postgres), migrates it, loads the dataset through the
services and repositories (bench/registry_data.py), runs ANALYZE, then times each list endpoint
through the ASGI app with an editor's token: 50 requests after 5 warm-ups, median and p95. The
acceptance target is a median under 50 ms. For each endpoint over it (every endpoint with
--explain-all), the statements one request runs are printed with EXPLAIN (ANALYZE, BUFFERS).
"""

import argparse
import asyncio
import time
from dataclasses import dataclass

import asyncpg
import httpx

from app.core.db import Database
from bench.common import api_client, plain_url, throwaway_database, time_requests
from bench.registry_data import Loaded, RegistryLoader, Scale
from bench.sql_trace import Statement, explain, traced

TARGET_MS = 50.0
AS_OF = "2022-12-31"


@dataclass
class Case:
    label: str
    path: str
    params: dict[str, str]


@dataclass
class Result:
    case: Case
    median: float
    p95: float
    items: int
    statements: list[Statement]

    @property
    def sql_ms(self) -> float:
        return sum(s.ms for s in self.statements)


def cases(loaded: Loaded) -> list[Case]:
    zone = str(loaded.zone_ids[2])
    committee = str(loaded.committee_ids[0])
    e, o, m = "/api/v1/enterprises", "/api/v1/organizations", "/api/v1/members"
    return [
        Case("enterprises", e, {}),
        Case("enterprises q=thang long", e, {"q": "thang long"}),
        Case("enterprises zone_id", e, {"zone_id": zone}),
        Case("enterprises has_organization=true", e, {"has_organization": "true"}),
        Case("enterprises has_organization=false", e, {"has_organization": "false"}),
        Case("organizations", o, {}),
        Case(f"organizations as_of={AS_OF}", o, {"as_of": AS_OF}),
        Case("members", m, {}),
        Case("members q=nguyen van", m, {"q": "nguyen van"}),
        Case("members status=probationary", m, {"status": "probationary"}),
        Case(
            "members committee +affiliated",
            m,
            {"organization_id": committee, "include_affiliated": "true"},
        ),
        Case(f"members as_of={AS_OF}", m, {"as_of": AS_OF}),
        Case("industrial-zones", "/api/v1/industrial-zones", {}),
        Case("training-classes", "/api/v1/training-classes", {}),
    ]


async def measure(
    client: httpx.AsyncClient, database: Database, case: Case, requests: int
) -> Result:
    median, p95, items = await time_requests(client, case.path, case.params, requests)
    with traced(database) as trace:
        (await client.get(case.path, params=case.params)).raise_for_status()
    return Result(case, median, p95, items, trace.statements)


def print_table(results: list[Result]) -> None:
    print(
        f"\n{'endpoint':38} {'median ms':>9} {'p95 ms':>8} {'sql ms':>7} {'stmts':>5} {'items':>5}"
    )
    for r in results:
        flag = "" if r.median < TARGET_MS else "  OVER TARGET"
        print(
            f"{r.case.label:38} {r.median:9.1f} {r.p95:8.1f} {r.sql_ms:7.1f}"
            f" {len(r.statements):5d} {r.items:5d}{flag}"
        )
    print("(sql ms and stmts: one traced request; the first statement loads the user)")


async def print_plans(url: str, result: Result) -> None:
    query = "&".join(f"{k}={v}" for k, v in result.case.params.items())
    print(f"\n=== {result.case.path}?{query}: {result.median:.1f} ms median")
    statements = result.statements[1:]  # the user behind the token
    for statement, plan in zip(statements, await explain(url, statements), strict=True):
        print(f"\n--- {statement.ms:.1f} ms in the request\n{statement.sql}")
        print(f"parameters: {list(statement.parameters)}\n{plan}")


async def analyze(url: str) -> None:
    """Refresh the planner's statistics, as autovacuum would have done on a database this
    size."""
    conn = await asyncpg.connect(plain_url(url))
    try:
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()


async def run(url: str, scale: Scale, requests: int, explain_all: bool) -> None:
    database = Database(url, pool_size=2)
    started = time.perf_counter()
    async with database.sessionmaker() as session:
        loaded = await RegistryLoader(session, scale).load()
    seconds = time.perf_counter() - started
    print(
        f"loaded through the services in {seconds:.1f} s: {len(loaded.zone_ids)} zones, "
        f"{len(loaded.enterprise_ids)} enterprises, {loaded.organizations} organizations, "
        f"{loaded.party_members} party members + {loaded.candidates} candidates "
        f"({loaded.events} events), {loaded.attendees} class attendees"
    )
    print("  " + ", ".join(f"{step} {s:.1f} s" for step, s in loaded.seconds.items()))
    await analyze(url)
    results = []
    async with api_client(database, url) as client:
        for case in cases(loaded):
            results.append(await measure(client, database, case, requests))
    print_table(results)
    for result in results:
        if explain_all or result.median >= TARGET_MS:
            await print_plans(url, result)
    await database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=Scale.enterprises)
    parser.add_argument("--members", type=int, default=Scale.members)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--explain-all", action="store_true", help="plans of every endpoint")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    scale = Scale(enterprises=args.enterprises, members=args.members)
    with throwaway_database("kcn_bench_registry", keep=args.keep) as url:
        asyncio.run(run(url, scale, args.requests, args.explain_all))


if __name__ == "__main__":
    main()
