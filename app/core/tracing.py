"""OpenTelemetry traces of requests and SQL statements, exported over OTLP/HTTP when
OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set; when it is not,
nothing is imported or installed and requests pay nothing.

The exporter follows the standard OTEL_* variables (endpoint, headers, timeout, OTEL_SERVICE_NAME,
default `kcn-party`). Health probes and /metrics are not traced."""

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider
    from sqlalchemy.ext.asyncio import AsyncEngine

ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
# Not traced: probes, and the calendar feeds, whose URL holds their token.
NOT_TRACED = "healthz,readyz,metrics,calendar/feed/"


def tracing_wanted() -> bool:
    return any(os.environ.get(name) for name in ENDPOINT_VARIABLES)


@dataclass
class Tracing:
    """The app's tracer provider and what it instruments; `stop` flushes and undoes it."""

    provider: "TracerProvider"
    app: FastAPI
    engines: list[Any] = field(default_factory=list)

    def trace_engines(self, engines: "list[AsyncEngine]") -> None:
        from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

        # The instrumentor declares SQLAlchemy < 2.1 and would do nothing on 2.1; the engine
        # events it listens to are unchanged in 2.1 (tests/core/test_tracing.py checks spans).
        # It instruments once: every engine (the primary's, a replica's) in the one call.
        SQLAlchemyInstrumentor().instrument(
            engines=[engine.sync_engine for engine in engines],
            tracer_provider=self.provider,
            enable_commenter=False,
            skip_dep_check=True,
        )
        self.engines.extend(engines)

    def stop(self) -> None:
        from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
        from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

        if self.engines:
            SQLAlchemyInstrumentor().uninstrument()
        FastAPIInstrumentor.uninstrument_app(self.app)
        self.provider.shutdown()  # exports what is still buffered


def start_tracing(app: FastAPI) -> Tracing | None:
    """Trace the app's requests when an OTLP endpoint is configured; None when it is not."""
    if not tracing_wanted():
        return None
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    name = os.environ.get("OTEL_SERVICE_NAME") or "kcn-party"
    provider = TracerProvider(resource=Resource.create({"service.name": name}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    FastAPIInstrumentor.instrument_app(app, tracer_provider=provider, excluded_urls=NOT_TRACED)
    return Tracing(provider, app)
