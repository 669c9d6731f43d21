"""GET /metrics: Prometheus counts of requests by route template and status, their durations,
problems by code and the database pool; outside the public schema; behind a token when one is
set."""

from typing import Any

import httpx
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr

from app.config import Settings
from app.core.db import Database
from app.main import create_app
from tests.conftest import client_for
from tests.problems import assert_problem

Samples = dict[tuple[str, tuple[Any, ...]], float]


async def scrape(client: httpx.AsyncClient, **headers: str) -> Samples:
    answer = await client.get("/metrics", headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    }


def requests(samples: Samples, route: str, status: str) -> float:
    key = (
        "kcn_http_requests_total",
        (("method", "GET"), ("route", route), ("status", status)),
    )
    return samples.get(key, 0.0)


async def test_requests_are_counted_by_route_template_status_and_problem(
    app: FastAPI, anon: httpx.AsyncClient, editor: httpx.AsyncClient
) -> None:
    before = await scrape(anon)
    for zone_id in (987654, 987655):
        assert (await editor.get(f"/api/v1/industrial-zones/{zone_id}")).status_code == 404
    assert (await editor.get("/api/v1/industrial-zones")).status_code == 200
    assert (await anon.get("/api/v1/industrial-zones")).status_code == 401
    assert (await anon.get("/no/such/path")).status_code == 404

    after = await scrape(anon)
    one = "/api/v1/industrial-zones/{zone_id}"  # the template: ids never become labels
    assert requests(after, one, "404") - requests(before, one, "404") == 2
    listed = "/api/v1/industrial-zones"
    assert requests(after, listed, "200") - requests(before, listed, "200") == 1
    assert requests(after, listed, "401") - requests(before, listed, "401") == 1
    assert requests(after, "unmatched", "404") - requests(before, "unmatched", "404") == 1
    problem = ("kcn_http_problems_total", (("code", "not_found"),))
    assert after[problem] - before.get(problem, 0.0) == 3
    durations = ("kcn_http_request_duration_seconds_count", (("method", "GET"), ("route", one)))
    assert after[durations] - before.get(durations, 0.0) == 2
    assert ("kcn_db_pool_connections", (("state", "in_use"),)) in after
    assert "/metrics" not in app.openapi()["paths"]


async def test_a_metrics_token_guards_the_metrics(settings: Settings, database: Database) -> None:
    guarded = create_app(
        settings.model_copy(update={"metrics_token": SecretStr("m" * 32)}), database=database
    )
    async with client_for(guarded) as client:
        assert_problem(await client.get("/metrics"), 401, "not_authenticated")
        wrong = await client.get("/metrics", headers={"Authorization": "Bearer nope"})
        assert_problem(wrong, 401, "not_authenticated")
        assert await scrape(client, Authorization="Bearer " + "m" * 32)
