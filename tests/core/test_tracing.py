"""OpenTelemetry (issue 13): with OTEL_EXPORTER_OTLP_ENDPOINT set, each request and each SQL
statement it runs is a span exported over OTLP/HTTP; unset, nothing is installed."""

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi import FastAPI
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.core.db import Database
from app.core.tracing import Tracing
from app.main import create_app
from app.models import Role
from tests.conftest import client_for, serve_test_session
from tests.fixtures.auth import UserFactory, token_for


class Collector:
    """An OTLP/HTTP receiver: what the service exported, decoded."""

    def __init__(self) -> None:
        self.requests: list[ExportTraceServiceRequest] = []
        collector = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                assert self.path == "/v1/traces"
                collector.requests.append(ExportTraceServiceRequest.FromString(body))
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def spans(self) -> list[tuple[str, dict[str, Any], str]]:
        """(span name, attributes, service name) of every span received."""
        found = []
        for request in self.requests:
            for resource_spans in request.resource_spans:
                resource = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
                for scope in resource_spans.scope_spans:
                    for span in scope.spans:
                        attributes = {
                            a.key: a.value.string_value or a.value.int_value
                            for a in span.attributes
                        }
                        found.append((span.name, attributes, resource["service.name"]))
        return found


@pytest.fixture
def collector() -> Iterator[Collector]:
    receiver = Collector()
    thread = threading.Thread(target=receiver.server.serve_forever, daemon=True)
    thread.start()
    yield receiver
    receiver.server.shutdown()


@pytest.fixture
def traced_app(
    collector: Collector, monkeypatch: pytest.MonkeyPatch, settings: Settings, database: Database
) -> Iterator[FastAPI]:
    """An app exporting to the collector. Requested before `session`: a connection opened
    before its engine was instrumented would not be traced."""
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", collector.url)
    monkeypatch.setenv("OTEL_SERVICE_NAME", "kcn-party-test")
    app = create_app(settings, database=database)
    yield app
    app.state.tracing.stop()


async def test_requests_and_their_sql_are_exported_as_spans(
    collector: Collector, traced_app: FastAPI, session: AsyncSession, make_user: UserFactory
) -> None:
    app = serve_test_session(traced_app, session)
    tracing: Tracing = app.state.tracing
    user = await make_user(Role.VIEWER)
    async with client_for(app, token_for(user)) as client:
        assert (await client.get("/api/v1/enterprises?limit=5")).status_code == 200
        assert (await client.get("/healthz")).status_code == 200
    tracing.provider.force_flush()

    spans = collector.spans()
    names = [name for name, _attributes, _service in spans]
    assert "GET /api/v1/enterprises" in names
    [request] = [a for name, a, _s in spans if name == "GET /api/v1/enterprises"]
    assert request["http.route"] == "/api/v1/enterprises"
    statements = [a for _name, a, _s in spans if "db.statement" in a or "db.query.text" in a]
    assert any("FROM enterprises" in str(a) for a in statements), statements
    assert {service for _n, _a, service in spans} == {"kcn-party-test"}
    assert not any("/healthz" in name for name in names)


def test_without_an_endpoint_nothing_is_installed(
    monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", raising=False)
    app: FastAPI = create_app(settings)

    assert app.state.tracing is None
    assert not any("OpenTelemetry" in str(m.cls) for m in app.user_middleware)
