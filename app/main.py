"""create_app(): settings, database lifecycle, routers, error handlers, OpenAPI and docs."""

import gc
import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

from fastapi import APIRouter, Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import RedirectResponse
from fastapi_offline import FastAPIOffline
from sqlalchemy.exc import DBAPIError

from app.attainment.router import router as attainment_router
from app.audit.router import router as audit_router
from app.auth.dependencies import get_current_user
from app.auth.router import router as auth_router
from app.campaigns.activities.router import router as campaign_activities_router
from app.campaigns.results.router import router as campaign_results_router
from app.campaigns.router import router as campaigns_router
from app.campaigns.schedule.feeds import public_router as calendar_feed_router
from app.campaigns.schedule.feeds import router as calendar_router
from app.campaigns.schedule.router import router as campaign_schedule_router
from app.config import ConfigError, Settings, get_settings
from app.core.db import Database
from app.core.embedded import start_embedded_postgres
from app.core.errors import install_error_handlers, problem_responses
from app.core.http import API_PREFIX, operation_id
from app.core.idempotency import Replay, answer_replay
from app.core.logging import RequestContextMiddleware, configure_logging
from app.core.metrics import Metrics
from app.core.middleware import BodyLimitMiddleware, SecurityHeadersMiddleware
from app.core.openapi import describe as describe_openapi
from app.core.routing import include_flat, index_routes
from app.core.tracing import start_tracing
from app.enterprises.contacts.router import router as contacts_router
from app.enterprises.router import router as enterprises_router
from app.health.router import router as health_router
from app.investment_projects.router import router as projects_router
from app.materials.router import router as materials_router
from app.members.router import router as members_router
from app.organizations.router import router as organizations_router
from app.plans.router import router as plans_router
from app.plans.tasks.router import router as plan_tasks_router
from app.reports.router import router as reports_router
from app.spreadsheets.import_router import router as imports_router
from app.spreadsheets.jobs import fail_stale_jobs
from app.spreadsheets.router import router as exports_router
from app.targets.router import router as targets_router
from app.training.attendees.router import router as attendees_router
from app.training.router import router as training_router
from app.users.router import router as users_router
from app.zones.router import router as zones_router

DESCRIPTION = """
Records and numbers of the Party Committee of Hanoi's industrial and export-processing zones
(Đảng ủy các khu công nghiệp và chế xuất Hà Nội).

Authenticate with `POST /api/v1/auth/token` (OAuth2 password flow) and send the token as
`Authorization: Bearer …`. Errors are `application/problem+json` (RFC 9457). Lists are paginated
with `limit` and an opaque `cursor`. Single resources carry an `ETag`; send it back as `If-Match`
on updates to avoid overwriting someone else's change.
"""

# The routers that require a token; each later domain adds its own here.
PROTECTED_ROUTERS: list[APIRouter] = [
    users_router,
    audit_router,
    zones_router,
    organizations_router,
    members_router,
    targets_router,
    attainment_router,
    reports_router,
    exports_router,
    imports_router,
    enterprises_router,
    contacts_router,
    projects_router,
    training_router,
    attendees_router,
    campaigns_router,
    campaign_results_router,
    campaign_activities_router,
    campaign_schedule_router,
    calendar_router,
    materials_router,
    plans_router,
    plan_tasks_router,
]


async def _fail_cut_off_imports(database: Database) -> None:
    """Background imports a stopped process left running: failed (they wrote nothing). A
    database that cannot answer yet is /readyz's to report, not the start-up's."""
    try:
        async with database.sessionmaker() as session:
            await fail_stale_jobs(session)
            await session.commit()
    except (OSError, DBAPIError) as exc:
        logging.getLogger("kcn.imports").warning("import jobs not checked at start-up: %s", exc)


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if app.state.database is None:
            url = settings.database_url or start_embedded_postgres(settings.data_dir)
            app.state.database = Database(
                url,
                replica_url=settings.database_replica_url,
                pool_size=settings.db_pool_size,
                pool_timeout=settings.db_pool_timeout,
                statement_timeout=settings.db_statement_timeout,
                lock_timeout=settings.db_lock_timeout,
            )
            if app.state.tracing is not None:
                app.state.tracing.trace_engines(app.state.database.engines)
        await _fail_cut_off_imports(app.state.database)
        try:
            yield
        finally:
            if app.state.tracing is not None:
                app.state.tracing.stop()
            await app.state.database.dispose()

    options: dict[str, Any] = {
        "title": "kcn-party",
        "version": "0.1.0",
        "description": DESCRIPTION,
        "lifespan": lifespan,
        "generate_unique_id_function": operation_id,
        "separate_input_output_schemas": True,
    }
    if settings.serves_docs:
        app = FastAPIOffline(swagger_ui_parameters={"persistAuthorization": True}, **options)
    else:
        app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None, **options)
    app.state.settings = settings
    app.state.database = database
    app.state.signing_key = settings.signing_key()

    install_error_handlers(app)
    app.add_exception_handler(Replay, answer_replay)
    describe_openapi(app)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["*"],
        allow_headers=["*"],
        expose_headers=["ETag", "X-Request-ID", "Location", "Retry-After"],
    )
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        max_upload_bytes=settings.max_import_bytes,
        max_material_bytes=settings.material_max_bytes,
    )
    app.add_middleware(SecurityHeadersMiddleware)
    app.state.metrics = Metrics(lambda: app.state.database)
    app.add_middleware(RequestContextMiddleware, metrics=app.state.metrics)
    # Outermost, so that a span covers every middleware; None (and nothing installed) unless
    # an OTLP endpoint is configured.
    app.state.tracing = start_tracing(app)
    if app.state.tracing is not None and database is not None:
        app.state.tracing.trace_engines(database.engines)

    common = problem_responses(400, 401, 403, 404, 422)
    mount = partial(include_flat, app.router, generate_unique_id_function=operation_id)
    mount(auth_router, prefix=API_PREFIX, responses=common)
    for router in PROTECTED_ROUTERS:
        mount(
            router,
            prefix=API_PREFIX,
            responses=common,
            dependencies=[Depends(get_current_user)],
        )
    mount(calendar_feed_router, prefix=API_PREFIX, responses=problem_responses(400, 404, 422))
    mount(health_router)

    if settings.serves_docs:

        @app.get("/", include_in_schema=False)
        async def root() -> RedirectResponse:
            return RedirectResponse("/docs")

    index_routes(app.router)
    return app


def freeze_startup_objects() -> None:
    """Move what is alive once the app is built (modules, routes, models, mappers: hundreds of
    thousands of objects) out of the garbage collector's reach, so that its full collections
    scan only what requests allocate. Without it a full collection paused the server for about
    150 ms every few hundred requests: bench.throughput's p99 for GET /members/{id} was 164 ms
    (the bare handler's 6 ms), 27 ms with it. Called where a server is started, not in
    create_app: a process that builds many apps (the tests) would keep each one's cycles."""
    gc.collect()
    gc.freeze()


def app_factory() -> FastAPI:
    """For `uvicorn app.main:app_factory --factory`: settings from the environment, and a one-line
    explanation instead of a traceback when they are wrong."""
    try:
        app = create_app()
    except ConfigError as exc:
        print(f"kcn-party: {exc}", file=sys.stderr)
        raise SystemExit(2) from exc
    freeze_startup_objects()
    return app
