"""The audit table: every model is audited or says why not; the table is append-only, by
trigger for everyone and by privileges for the application role; retention prunes only what
is old, through the one command allowed to."""

import asyncio
import datetime as dt
import uuid
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.retention import prune
from app.core.audit import BOOKKEEPING, NOT_AUDITED
from app.models import AuditAction, AuditEvent, AuditResource, Base
from tests.conftest import admin_sql, fresh_database, plain_url
from tests.fixtures.cli import kcn_party


def test_every_model_is_audited_or_says_why_not() -> None:
    resources = set()
    for mapper in Base.registry.mappers:
        model = mapper.class_
        columns = {attribute.key for attribute in mapper.column_attrs}
        spec = model.__audit__
        if spec is None:
            assert model.__name__ in NOT_AUDITED, f"{model.__name__}: audit it or say why not"
            continue
        assert model.__name__ not in NOT_AUDITED
        resources.add(spec.resource)
        named = {spec.key, *model.__personal__, *spec.secret, *spec.ignored}
        if spec.parent:
            named.add(spec.parent[1])
        assert named <= columns, f"{model.__name__} names no such column: {named - columns}"
        assert not (named & BOOKKEEPING)
    assert resources == set(AuditResource)


async def test_the_table_accepts_every_action_and_resource_and_nothing_else(
    session: AsyncSession,
) -> None:
    for action in AuditAction:
        for resource in AuditResource:
            await session.execute(insert(AuditEvent).values(action=action, resource_type=resource))
    with pytest.raises(Exception, match="ck_audit_events_action_valid"):
        async with session.begin_nested():
            await session.execute(insert(AuditEvent).values(action="erase", resource_type="member"))


async def test_no_one_updates_deletes_or_truncates_an_event(database_url: str) -> None:
    conn = await asyncpg.connect(plain_url(database_url))
    try:
        async with conn.transaction():
            event_id = await conn.fetchval(
                "INSERT INTO audit_events (action, resource_type) VALUES ('create', 'member') "
                "RETURNING id"
            )
            for sql in (
                f"UPDATE audit_events SET actor_id = 1 WHERE id = {event_id}",
                f"DELETE FROM audit_events WHERE id = {event_id}",
                "TRUNCATE audit_events",
            ):
                with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
                    async with conn.transaction():
                        await conn.execute(sql)
            assert (
                await conn.fetchval("SELECT count(*) FROM audit_events WHERE id = $1", event_id)
                == 1
            )
            raise asyncio.CancelledError  # roll the insert back
    except asyncio.CancelledError:
        pass
    finally:
        await conn.close()


async def test_prune_deletes_only_events_past_the_retention(session: AsyncSession) -> None:
    now = dt.datetime.now(dt.UTC)
    for days in (400, 40, 1):
        await session.execute(
            insert(AuditEvent).values(
                action="update", resource_type="member", occurred_at=now - dt.timedelta(days=days)
            )
        )
    older_than_30 = select(func.count()).where(AuditEvent.occurred_at < now - dt.timedelta(days=30))
    assert await session.scalar(older_than_30) == 2
    assert await prune(session, 30, dry_run=True) == 2
    assert await session.scalar(older_than_30) == 2
    assert await prune(session, 30) == 2
    assert await session.scalar(older_than_30) == 0
    recent = select(func.count()).where(AuditEvent.occurred_at > now - dt.timedelta(days=2))
    assert (await session.scalar(recent) or 0) >= 1


def test_the_application_role_adds_events_but_cannot_change_or_remove_them(
    server_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    role = f"kcn_app_{uuid.uuid4().hex[:8]}"
    asyncio.run(admin_sql(server_url, f'CREATE ROLE "{role}" LOGIN'))
    monkeypatch.setenv("KCN_DB_APP_ROLE", role)
    try:
        with fresh_database(server_url, "kcn_role") as url:
            as_role = make_url(plain_url(url)).set(username=role, password=None)
            asyncio.run(_check_role(as_role.render_as_string(hide_password=False)))
    finally:
        asyncio.run(admin_sql(server_url, f'DROP ROLE IF EXISTS "{role}"'))


async def _check_role(url: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        zone = await conn.fetchval(
            "INSERT INTO industrial_zones (code, name, status, version) "
            "VALUES ('R1', 'Vai trò', 'planned', 1) RETURNING id"
        )
        await conn.execute("UPDATE industrial_zones SET name = 'Khác' WHERE id = $1", zone)
        event_id = await conn.fetchval(
            "INSERT INTO audit_events (action, resource_type, resource_id) "
            "VALUES ('create', 'industrial_zone', $1) RETURNING id",
            zone,
        )
        assert await conn.fetchval("SELECT count(*) FROM audit_events") == 1
        for sql in (
            f"UPDATE audit_events SET actor_id = 1 WHERE id = {event_id}",
            "SET kcn.audit_prune = 'on'; DELETE FROM audit_events",
            "TRUNCATE audit_events",
        ):
            with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied"):
                await conn.execute(sql)
    finally:
        await conn.close()


async def test_the_cli_names_itself_and_prunes_only_when_told(
    database_url: str, tmp_path: Path
) -> None:
    import os

    env = {key: value for key, value in os.environ.items() if not key.startswith("KCN_")}
    env.update(KCN_DATABASE_URL=database_url, KCN_DATA_DIR=str(tmp_path / "data"))
    username = f"cli-{uuid.uuid4().hex[:10]}"
    run = await kcn_party(
        env,
        "create-user",
        username,
        "--role",
        "viewer",
        stdin="a long password 4 cli\n",
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    conn = await asyncpg.connect(plain_url(database_url))
    try:
        row = await conn.fetchrow(
            "SELECT * FROM audit_events WHERE resource_type = 'user' AND action = 'create' "
            "AND changes @> $1::jsonb",
            f'[{{"field": "username", "after": "{username}"}}]',
        )
        assert row is not None
        assert row["operation"] == "kcn-party create-user"
        assert row["actor_id"] is None
        assert row["request_id"] is None
        await conn.execute("DELETE FROM users WHERE username = $1", username)
    finally:
        await conn.close()

    kept = await kcn_party(env, "prune-audit", cwd=tmp_path)
    assert kept.returncode == 0, kept.stderr
    assert "kept for ever" in kept.stdout
    env["KCN_AUDIT_RETENTION_DAYS"] = "36500"
    dry = await kcn_party(env, "prune-audit", "--dry-run", cwd=tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert "Would delete 0 audit events older than 36500 days" in dry.stdout
