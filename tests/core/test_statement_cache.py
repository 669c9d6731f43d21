"""The hot path's statements are compiled once (issue 11): from the third request of an endpoint
on, every statement it runs through SQLAlchemy is a hit of the engine's compiled cache. A
statement that embeds a changing literal (today's date, an id) in its SQL would miss every time
and be compiled again on every request."""

from typing import Any

import httpx
from sqlalchemy import event
from sqlalchemy.engine.default import DefaultExecutionContext

from app.core.db import Database
from tests.fixtures.registry import MemberFactory, OrganizationFactory

PERIOD = {"as_of": "2024-06-30", "period_start": "2024-01-01", "period_end": "2024-06-30"}


async def test_hot_endpoints_hit_the_compiled_cache(
    admin: httpx.AsyncClient,
    database: Database,
    make_organization: OrganizationFactory,
    make_member: MemberFactory,
) -> None:
    organization = await make_organization()
    member = await make_member(organization_id=organization.id)
    endpoints: list[tuple[str, dict[str, Any]]] = [
        (f"/api/v1/members/{member.id}", {}),
        ("/api/v1/members", {"limit": 50}),
        ("/api/v1/members", {"limit": 50, "as_of": "2024-06-30"}),
        ("/api/v1/enterprises", {"limit": 50}),
        ("/api/v1/enterprises", {"limit": 50, "as_of": "2024-06-30"}),
        ("/api/v1/organizations", {"limit": 50}),
        ("/api/v1/industrial-zones", {"limit": 50}),
        ("/api/v1/campaigns", {"limit": 50}),
        ("/api/v1/reports/overview", PERIOD),
        ("/api/v1/attainment", {"as_of": "2024-06-30"}),
    ]
    seen: list[tuple[str, str]] = []

    def after(_conn: Any, _cursor: Any, sql: str, _params: Any, context: Any, _many: Any) -> None:
        # Statements run by the driver itself (app/core/reads.py) are compiled once by
        # construction and carry no SQLAlchemy execution context.
        if sql.lstrip().startswith(("SELECT", "WITH")):
            compiled = isinstance(context, DefaultExecutionContext)
            seen.append((str(context.cache_hit) if compiled else "prepared", sql))

    engine = database.engine.sync_engine
    event.listen(engine, "after_cursor_execute", after)
    try:
        for path, params in endpoints:
            for _ in range(2):
                assert (await admin.get(path, params=params)).status_code == 200
            seen.clear()
            assert (await admin.get(path, params=params)).status_code == 200
            assert seen, path
            missed = [
                sql[:120] for hit, sql in seen if hit not in ("CacheStats.CACHE_HIT", "prepared")
            ]
            assert not missed, (path, missed)
    finally:
        event.remove(engine, "after_cursor_execute", after)
