"""Prometheus metrics, served at GET /metrics (outside /api/v1 and the public schema): requests
by method, route template and status, their durations, refused or failed requests by problem
code, and the database pool. Each app has its own registry; with several workers each process
counts its own requests (a scrape reads one worker)."""

from collections.abc import Callable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.types import Scope

from app.core.db import Database

UNMATCHED = "unmatched"  # a path no route knows: one label, whatever was asked
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class _PoolCollector(Collector):
    def __init__(self, database: Callable[[], Database | None]) -> None:
        self.database = database

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "kcn_db_pool_connections",
            "Database connections of this process's pool, by state.",
            labels=["state"],
        )
        database = self.database()
        if database is not None:
            pool: Any = database.engine.sync_engine.pool
            family.add_metric(["in_use"], pool.checkedout())
            family.add_metric(["idle"], pool.checkedin())
            family.add_metric(["overflow"], max(0, pool.overflow()))
        yield family


class Metrics:
    def __init__(self, database: Callable[[], Database | None]) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "kcn_http_requests",
            "HTTP requests answered, by method, route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.duration = Histogram(
            "kcn_http_request_duration_seconds",
            "Time to answer HTTP requests, by method and route template.",
            ["method", "route"],
            buckets=BUCKETS,
            registry=self.registry,
        )
        self.problems = Counter(
            "kcn_http_problems",
            "Requests answered with a problem (application/problem+json), by its code.",
            ["code"],
            registry=self.registry,
        )
        self.registry.register(_PoolCollector(database))
        # Each (method, route, status)'s counter and histogram, looked up once: `labels` checks
        # and joins its values on every call.
        self._series: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def observe(self, scope: Scope, status: int, seconds: float, problem: str | None) -> None:
        route = getattr(scope.get("route"), "path", None) or UNMATCHED
        method = scope.get("method", "")
        key = (method, route, status)
        series = self._series.get(key)
        if series is None:
            series = self._series[key] = (
                self.requests.labels(method, route, str(status)),
                self.duration.labels(method, route),
            )
        series[0].inc()
        series[1].observe(seconds)
        if problem:
            self.problems.labels(problem).inc()
