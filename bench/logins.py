"""Logins against other requests: the p50/p90 of GET /industrial-zones while idle and while 8
clients log in continuously (argon2 runs off the event loop; issue 9's bound is p90 under 10x).

    python -m bench.logins        (KCN_TEST_DATABASE_URL names a server, else an embedded one)
"""

import asyncio
import secrets
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from bench.fuzz import ADMIN, _seed, _token, demo_database, served

LOGGING_IN = 8
SAMPLES = 200


async def latencies(client: httpx.AsyncClient, token: str) -> list[float]:
    times = []
    for _ in range(SAMPLES):
        started = time.perf_counter()
        response = await client.get(
            "/api/v1/industrial-zones",
            params={"limit": 5},
            headers={"Authorization": f"Bearer {token}"},
        )
        response.raise_for_status()
        times.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(0.005)
    return times


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p90 = ordered[int(len(ordered) * 0.9) - 1]
    return f"p50 {statistics.median(ordered):7.1f} ms   p90 {p90:7.1f} ms"


async def measure(base: str, password: str) -> None:
    token = _token(base, password)
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        await latencies(client, token)  # warm up
        idle = await latencies(client, token)
        stop = asyncio.Event()
        logins = 0

        async def log_in() -> None:
            nonlocal logins
            async with httpx.AsyncClient(base_url=base, timeout=60) as other:
                while not stop.is_set():
                    answer = await other.post(
                        "/api/v1/auth/token", data={"username": ADMIN, "password": password}
                    )
                    answer.raise_for_status()
                    logins += 1

        started = time.perf_counter()
        workers = [asyncio.create_task(log_in()) for _ in range(LOGGING_IN)]
        await asyncio.sleep(1)
        loaded = await latencies(client, token)
        stop.set()
        await asyncio.gather(*workers)
        rate = logins / (time.perf_counter() - started)
    print(f"idle                       {summary(idle)}")
    print(f"{LOGGING_IN} clients logging in     {summary(loaded)}   ({rate:.0f} logins/s)")


def main() -> None:
    password = secrets.token_urlsafe(16)
    with tempfile.TemporaryDirectory() as work, demo_database(Path(work)) as url:
        asyncio.run(_seed(url, password))
        with served(url, Path(work)) as base:
            asyncio.run(measure(base, password))


if __name__ == "__main__":
    main()
