"""Benchmark: what the audit trail costs a write request (issue 9's bound: under 1 ms).

    python -m bench.audit [--requests 300] [--rounds 6]

Two copies of the app over ASGI on one throwaway database (KCN_BENCH_DATABASE_URL's server):
one records the audit trail, the other's sessions carry `audit_disabled`. Each write kind runs
`--rounds` × `--requests` times on each, one request on each side in turn; the table shows each
side's median latency and the difference, the audit trail's cost per request, with the events
each request wrote.
"""

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from itertools import count

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from app.core.audit import DISABLED
from app.core.db import Database
from app.models import AuditEvent
from bench.common import api_client, throwaway_database

Request = Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]]


async def _events(database: Database) -> int:
    async with database.sessionmaker() as session:
        return (await session.scalar(select(func.count()).select_from(AuditEvent))) or 0


async def _timed(client: httpx.AsyncClient, request: Request, n: int) -> float:
    started = time.perf_counter()
    response = await request(client, n)
    if response.status_code >= 400:
        raise RuntimeError(f"{response.status_code}: {response.text}")
    return (time.perf_counter() - started) * 1000


async def run(url: str, requests: int, rounds: int) -> None:
    audited = Database(url, pool_size=2)
    silent = Database(url, pool_size=2)
    silent.sessionmaker = async_sessionmaker(
        silent.engine, expire_on_commit=False, info={DISABLED: True}
    )
    async with api_client(audited, url) as on:
        me = (await on.get("/api/v1/auth/me")).json()["id"]
        async with api_client(silent, url, user_id=me) as off:
            zone = (
                await on.post(
                    "/api/v1/industrial-zones",
                    json={"code": "B", "name": "Bench", "status": "planned"},
                )
            ).json()["id"]
            member_body = {
                "full_name": "Nguyễn Văn Đo",
                "gender": "male",
                "date_of_birth": "1995-04-12",
                "registered_on": "2023-01-10",
                "phone": "0912 345 678",
                "position": "Kỹ sư",
            }
            member = (await on.post("/api/v1/members", json=member_body)).json()["id"]

            cases: list[tuple[str, Request]] = [
                (
                    "PATCH zone (1 field)",
                    lambda c, n: c.patch(
                        f"/api/v1/industrial-zones/{zone}", json={"name": f"Bench {n}"}
                    ),
                ),
                (
                    "PATCH member (3 fields, 2 personal)",
                    lambda c, n: c.patch(
                        f"/api/v1/members/{member}",
                        json={"position": f"Kỹ sư {n}", "phone": f"09{n:08d}", "notes": f"{n}"},
                    ),
                ),
                (
                    "POST member (create, 8 fields)",
                    lambda c, n: c.post("/api/v1/members", json=member_body),
                ),
            ]
            serial = count(1)
            print(f"{'write request':38} {'audited':>9} {'not':>9} {'cost':>8} {'events':>7}")
            for label, request in cases:
                for _ in range(20):  # warm up both
                    await _timed(on, request, next(serial))
                    await _timed(off, request, next(serial))
                with_audit, without = [], []
                before = await _events(audited)
                # One request on each side in turn, so that drift hits both alike.
                for _ in range(rounds * requests):
                    with_audit.append(await _timed(on, request, next(serial)))
                    without.append(await _timed(off, request, next(serial)))
                written = (await _events(audited) - before) / (rounds * requests)
                a, b = statistics.median(with_audit), statistics.median(without)
                print(f"{label:38} {a:7.2f}ms {b:7.2f}ms {a - b:6.2f}ms {written:7.1f}")
    await audited.dispose()
    await silent.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    with throwaway_database("kcn_bench_audit") as url:
        asyncio.run(run(url, args.requests, args.rounds))


if __name__ == "__main__":
    main()
