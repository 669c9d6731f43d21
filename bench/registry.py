"""Benchmark: the registry's list endpoints over 10,000 enterprises and 20,000 members.

    python -m bench.registry [--enterprises 10000] [--members 20000] [--requests 50]
                             [--explain-all] [--proposed-indexes] [--keep]

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
import warnings
from dataclasses import dataclass

import asyncpg
import httpx
from sqlalchemy import make_url

from app.core.db import Database
from bench.common import api_client, throwaway_database, time_requests
from bench.registry_data import Loaded, RegistryLoader, Scale
from bench.sql_trace import Statement, explain, traced

TARGET_MS = 50.0
AS_OF = "2022-12-31"
# Not in the migrations: the indexes this benchmark's EXPLAIN output argues for, applied with
# --proposed-indexes to measure them before anyone writes the migration.
PROPOSED_INDEXES = (
    "CREATE INDEX ix_members_full_name_id ON members (full_name, id)",
    "CREATE INDEX ix_organizations_name_id ON organizations (name, id)",
    "CREATE INDEX ix_enterprises_name_id ON enterprises (name, id)",
)


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


async def analyze(url: str, statements: tuple[str, ...] = ()) -> None:
    """Run `statements` (proposed indexes), then refresh the planner's statistics, as
    autovacuum would have done on a database this size."""
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    conn = await asyncpg.connect(plain)
    try:
        for statement in statements:
            print(f"  {statement}")
            await conn.execute(statement)
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()


async def run(url: str, scale: Scale, requests: int, explain_all: bool, indexes: bool) -> None:
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
    await analyze(url, PROPOSED_INDEXES if indexes else ())
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
    # The as-of member list trips pydantic's serializer (a plain str where the schema has the
    # MemberStatus enum; see tests/members/test_member_list_edges.py); keep the output readable.
    warnings.filterwarnings("ignore", message="Pydantic serializer warnings")
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=Scale.enterprises)
    parser.add_argument("--members", type=int, default=Scale.members)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--explain-all", action="store_true", help="plans of every endpoint")
    parser.add_argument(
        "--proposed-indexes", action="store_true", help="create PROPOSED_INDEXES before timing"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    scale = Scale(enterprises=args.enterprises, members=args.members)
    with throwaway_database("kcn_bench_registry", keep=args.keep) as url:
        asyncio.run(run(url, scale, args.requests, args.explain_all, args.proposed_indexes))


if __name__ == "__main__":
    main()
