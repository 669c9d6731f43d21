"""Benchmark: the service's hot path against a bare handler replaying its SQL (issue 11).

    python -m bench.throughput [--seconds 5] [--rounds 3] [--connections 16] [--only NAME]

Loads the demo dataset into a throwaway database (KCN_TEST_DATABASE_URL's server, else an
embedded one), records the statements one request of each endpoint executes (with their
parameters, through an engine event listener, in-process), then serves:
- the service: `kcn-party serve`'s app under uvicorn, one worker, logging at INFO to a file;
- the bare handler (bench/bare.py): Starlette + asyncpg + orjson replaying those statements in
  one transaction and answering every row as JSON;
- a minimal FastAPI app (bench/bare_fastapi.py) replaying them the way plain FastAPI + asyncpg +
  pydantic would: what the framework alone allows;
and drives each with `wrk` (1 thread, --connections, --seconds), alternately, --rounds times.
Prints per endpoint: statements, the best requests/s of each, the service's ratio to the bare
handler and the minimal FastAPI app's, the p50/p99 of the service's best round (and the bare
one's p99), and the service's resident memory after the load. Needs `wrk` (apt).
"""

import argparse
import asyncio
import os
import pickle
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import event, select

from app.config import Settings
from app.core.db import Database
from app.main import create_app
from app.models import Member, Target
from bench.bare_fastapi import last_rows
from bench.common import plain_url
from bench.fuzz import ADMIN, _seed, demo_database, uvicorn_served

AS_OF = {"as_of": "2024-06-30"}
PERIOD = AS_OF | {"period_start": "2024-01-01", "period_end": "2024-06-30"}


@dataclass
class Endpoint:
    name: str
    path: str
    params: dict[str, str]
    goal: float  # the ratio to reach

    def url(self, base: str) -> str:
        query = str(httpx.QueryParams(self.params))
        return f"{base}{self.path}" + (f"?{query}" if query else "")


def endpoints(member_id: int, target_id: int) -> list[Endpoint]:
    return [
        Endpoint("member", f"/api/v1/members/{member_id}", {}, 0.5),
        Endpoint("members", "/api/v1/members", {"limit": "50"}, 0.5),
        Endpoint("enterprises", "/api/v1/enterprises", {"limit": "50"}, 0.5),
        Endpoint("organizations", "/api/v1/organizations", {"limit": "50"}, 0.5),
        Endpoint("zones", "/api/v1/industrial-zones", {"limit": "50"}, 0.5),
        Endpoint("campaigns", "/api/v1/campaigns", {"limit": "50"}, 0.5),
        Endpoint("target", f"/api/v1/targets/{target_id}", {}, 0.5),
        Endpoint("overview", "/api/v1/reports/overview", PERIOD, 0.7),
        Endpoint("attainment", "/api/v1/attainment", AS_OF, 0.7),
    ]


async def _record(
    url: str, settings: Settings, token: str
) -> tuple[list[Endpoint], dict[str, list[tuple[str, tuple[Any, ...]]]]]:
    """Each endpoint's statements and parameters, as one request executes them."""
    database = Database(url, pool_size=2)
    async with database.sessionmaker() as session:
        member_id = (await session.scalars(select(Member.id).order_by(Member.id))).first()
        target_id = (await session.scalars(select(Target.id).order_by(Target.id))).first()
    assert member_id is not None
    assert target_id is not None
    chosen = endpoints(member_id, target_id)
    statements: list[tuple[str, tuple[Any, ...]]] = []

    def listen(_conn: Any, _cursor: Any, sql: str, params: Any, _ctx: Any, many: bool) -> None:
        assert not many
        statements.append((sql, tuple(params or ())))

    app = create_app(settings, database=database)
    recording = {}
    transport = httpx.ASGITransport(app=app)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(transport=transport, base_url="http://x", headers=headers) as c:
        for endpoint in chosen:
            await c.get(endpoint.path, params=endpoint.params)  # warm caches
            event.listen(database.engine.sync_engine, "before_cursor_execute", listen)
            answer = await c.get(endpoint.path, params=endpoint.params)
            event.remove(database.engine.sync_engine, "before_cursor_execute", listen)
            answer.raise_for_status()
            recording[endpoint.name] = list(statements)
            statements.clear()
    await database.dispose()
    return chosen, recording


@dataclass
class Run:
    rps: float
    p50: float
    p99: float


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _wrk(url: str, token: str, seconds: int, connections: int) -> Run:
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            f"Authorization: Bearer {token}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx" in out:
        raise RuntimeError(f"{url} answered errors:\n{out}")

    def latency(percent: str) -> float:
        found = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        assert found, out
        return float(found[1]) * _UNITS[found[2]]

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert rps, out
    return Run(float(rps[1]), latency("50"), latency("99"))


def _rss_mib(pid: int) -> float:
    """Resident memory of the process and its children (the uvicorn worker)."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for each in pids:
        status = Path(f"/proc/{each}/status")
        if status.exists():
            found = re.search(r"VmRSS:\s+(\d+) kB", status.read_text())
            total += int(found[1]) if found else 0
    return total / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--only", action="append", help="endpoint names to run")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench.throughput needs wrk (apt-get install wrk)")
    password = secrets.token_urlsafe(24)
    secret = secrets.token_urlsafe(48)
    with (
        tempfile.TemporaryDirectory(prefix="kcn-throughput-") as tmp,
        demo_database(Path(tmp)) as url,
    ):
        work = Path(tmp)
        asyncio.run(_seed(url, password))
        env = {
            **os.environ,
            "KCN_ENV": "development",
            "KCN_DATABASE_URL": url,
            "KCN_SECRET_KEY": secret,
            "KCN_DATA_DIR": str(work / "data"),
            "KCN_LOG_LEVEL": "INFO",
            "KCN_ACCESS_TOKEN_MINUTES": "240",
        }
        service = uvicorn_served("app.main:app_factory", env, work / "service.log")
        with service as (base, pid):
            login = httpx.post(
                f"{base}/api/v1/auth/token", data={"username": ADMIN, "password": password}
            )
            login.raise_for_status()
            token = login.json()["access_token"]
            settings = Settings(
                database_url=url,
                secret_key=secret,
                data_dir=work / "data",
                access_token_minutes=240,
                log_level="WARNING",
            )
            chosen, recording = asyncio.run(_record(url, settings, token))
            if args.only:
                chosen = [e for e in chosen if e.name in args.only]
            recording_file = work / "recording.pickle"
            recording_file.write_bytes(pickle.dumps(recording))
            samples_file = work / "samples.pickle"
            samples = asyncio.run(last_rows(plain_url(url), recording))
            samples_file.write_bytes(pickle.dumps(samples))
            bare_env = {
                **env,
                "KCN_BARE_DSN": plain_url(url),
                "KCN_BARE_RECORDING": str(recording_file),
                "KCN_BARE_SAMPLES": str(samples_file),
            }
            replay = uvicorn_served("bench.bare:app_factory", bare_env, work / "bare.log")
            plain = uvicorn_served("bench.bare_fastapi:app_factory", bare_env, work / "plain.log")
            with replay as (bare_base, _bare_pid), plain as (plain_base, _plain_pid):
                results = []
                for endpoint in chosen:
                    runs: dict[str, list[Run]] = {"service": [], "bare": [], "fastapi": []}
                    urls = {
                        "service": endpoint.url(base),
                        "bare": f"{bare_base}/{endpoint.name}",
                        "fastapi": f"{plain_base}/{endpoint.name}",
                    }
                    for _ in range(args.rounds):
                        for kind, runs_of_kind in runs.items():
                            runs_of_kind.append(
                                _wrk(urls[kind], token, args.seconds, args.connections)
                            )
                    best = {kind: max(each, key=lambda r: r.rps) for kind, each in runs.items()}
                    results.append((endpoint, best, _rss_mib(pid)))
    print(
        f"{'endpoint':42} {'stmts':>5} {'service':>9} {'bare':>9} {'ratio':>6} {'goal':>5} "
        f"{'fastapi':>8} {'ratio':>6} {'p50 ms':>7} {'p99 ms':>7} {'bare p99':>8} {'RSS MiB':>8}"
    )
    for endpoint, best, rss in results:
        label = endpoint.path if not endpoint.params else endpoint.url("")
        label = label.replace("/api/v1", "")[:42]
        ours, bare, fastapi = best["service"], best["bare"], best["fastapi"]
        ratio = ours.rps / bare.rps
        mark = "" if ratio >= endpoint.goal else " !"
        print(
            f"{label:42} {len(recording[endpoint.name]):5d} {ours.rps:9.0f} {bare.rps:9.0f} "
            f"{ratio:6.0%} {endpoint.goal:5.0%} {fastapi.rps:8.0f} {fastapi.rps / bare.rps:6.0%} "
            f"{ours.p50:7.2f} {ours.p99:7.2f} {bare.p99:8.2f} {rss:8.0f}{mark}"
        )


if __name__ == "__main__":
    main()
