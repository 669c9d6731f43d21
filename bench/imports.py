"""Benchmark: bringing registers in from spreadsheets (issue 14's bounds: 100,000 enterprises in
60 s, 100,000 members with their history in 120 s).

    python -m bench.imports [--enterprises 100000] [--members 100000]

On a throwaway database (KCN_BENCH_DATABASE_URL's server) with one zone: a CSV of
--enterprises enterprises, one of an organization per 100 of them, and one of --members members
(a third admitted and recognized into those organizations), each imported over ASGI, first as a
dry run, then for real. Prints rows, seconds, rows per second and the process's peak RSS.
"""

import argparse
import asyncio
import csv
import io
import resource
import time
from collections.abc import Sequence
from typing import Any

import httpx

from app.core.db import Database
from app.spreadsheets.columns import ENTERPRISES, MEMBERS, ORGANIZATIONS
from bench.common import api_client, throwaway_database


def _file(header: list[str], rows: Sequence[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def _enterprises(count: int) -> bytes:
    keys = ["tax_code", "name", "zone_code", "ownership", "workers_count", "registered_on"]
    header = [next(c.vi for c in ENTERPRISES if c.key == k) for k in keys]
    rows = [
        [f"03{n:08d}", f"Công ty {n}", "KCN-B", "domestic_private", 50 + n % 500, "2010-01-01"]
        for n in range(count)
    ]
    return _file(header, rows)


def _organizations(count: int) -> bytes:
    keys = ["name", "kind", "enterprise_tax_code", "established_on"]
    header = [next(c.vi for c in ORGANIZATIONS if c.key == k) for k in keys]
    rows = [
        [f"Chi bộ Công ty {n}", "grassroots_cell", f"03{n:08d}", "2012-01-01"]
        for n in range(0, count, 100)
    ]
    return _file(header, rows)


def _members(count: int, enterprises: int) -> bytes:
    keys = [
        "full_name", "gender", "date_of_birth", "enterprise_tax_code", "source_group",
        "organization_name", "registered_on", "admitted_on", "recognized_on",
    ]  # fmt: skip
    header = [next(c.vi for c in MEMBERS if c.key == k) for k in keys]
    rows: list[list[object]] = []
    for n in range(count):
        employer = (n * 100) % max(enterprises, 1)
        admitted = n % 3 == 0
        organization = f"Chi bộ Công ty {employer}" if admitted else ""
        admitted_on, recognized_on = ("2016-05-01", "2017-05-02") if admitted else ("", "")
        born = f"{1970 + n % 30}-0{1 + n % 9}-15"
        gender = "female" if n % 2 else "male"
        rows.append(
            [f"Người {n}", gender, born, f"03{employer:08d}", "worker", organization,
             "2015-01-01", admitted_on, recognized_on]
        )  # fmt: skip
    return _file(header, rows)


async def _report(client: httpx.AsyncClient, answer: httpx.Response) -> dict[str, Any]:
    """The import's report: the answer's, or, for a file run as a background job (202), the
    job's once it has finished (followed through its Location, as a client would)."""
    while answer.status_code == 202 or answer.json().get("status") == "running":
        if answer.status_code == 200:
            await asyncio.sleep(0.5)
        answer = await client.get(answer.headers.get("Location") or answer.url)
    if answer.status_code != 200 or answer.json().get("status") == "failed":
        raise RuntimeError(f"{answer.status_code} {answer.text[:500]}")
    body: dict[str, Any] = answer.json()
    return body.get("report") or body


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def run(url: str, enterprises: int, members: int) -> None:
    database = Database(url, pool_size=2)
    async with api_client(database, url) as client:
        zone = await client.post(
            "/api/v1/industrial-zones",
            json={"code": "KCN-B", "name": "Bench", "established_on": "2000-01-01"},
        )
        zone.raise_for_status()
        files = [
            ("enterprises", _enterprises(enterprises)),
            ("organizations", _organizations(enterprises)),
            ("members", _members(members, enterprises)),
        ]
        print(
            f"{'register':<14} {'mode':<8} {'rows':>8} {'seconds':>8} {'rows/s':>8} {'peak RSS':>9}"
        )
        for register, content in files:
            for dry_run in (True, False):
                started = time.perf_counter()
                answer = await client.post(
                    f"/api/v1/imports/{register}",
                    params={"dry_run": str(dry_run).lower()},
                    files={"file": (f"{register}.csv", content, "text/csv")},
                    timeout=None,
                )
                report = await _report(client, answer)
                seconds = time.perf_counter() - started
                rows = report["rows"]
                mode = "dry run" if dry_run else "commit"
                print(
                    f"{register:<14} {mode:<8} {rows:>8,} {seconds:>8.1f} "
                    f"{rows / seconds:>8,.0f} {_peak_rss_mib():>7.0f} MiB"
                )
    await database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--members", type=int, default=100_000)
    args = parser.parse_args()
    with throwaway_database("kcn_bench_imports") as url:
        asyncio.run(run(url, args.enterprises, args.members))


if __name__ == "__main__":
    main()
