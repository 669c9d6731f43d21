"""Idempotency-Key on POST: a retried request gets the first answer instead of a second record;
the same key for another request is refused; a duplicate in flight is a 409; records expire."""

import asyncio

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import IdempotencyRecord, IndustrialZone, Role
from tests.core.test_faults import locked
from tests.fixtures.live import LiveServer

API = "/api/v1"
ZONE = {"code": "IDEM-1", "name": "KCN Sóc Sơn", "established_on": "2020-01-01"}


async def zones_with_code(session: AsyncSession, code: str) -> int:
    count = await session.scalar(
        select(func.count()).select_from(IndustrialZone).where(IndustrialZone.code == code)
    )
    return int(count or 0)


async def test_a_replay_returns_the_first_response_and_writes_nothing(
    editor: httpx.AsyncClient, session: AsyncSession
) -> None:
    key = {"Idempotency-Key": "3f1c9a70-0000-4000-8000-000000000001"}
    first = await editor.post(f"{API}/industrial-zones", json=ZONE, headers=key)
    assert first.status_code == 201, first.text
    assert "Idempotent-Replayed" not in first.headers

    again = await editor.post(f"{API}/industrial-zones", json=ZONE, headers=key)
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    for header in ("Location", "ETag", "Content-Type"):
        assert again.headers[header] == first.headers[header]
    assert await zones_with_code(session, ZONE["code"]) == 1

    # Without the key, the same body is a new request (here: a duplicate code).
    assert (await editor.post(f"{API}/industrial-zones", json=ZONE)).status_code == 409


async def test_the_same_key_for_another_request_is_refused(
    editor: httpx.AsyncClient, session: AsyncSession
) -> None:
    key = {"Idempotency-Key": "key-reused"}
    assert (await editor.post(f"{API}/industrial-zones", json=ZONE, headers=key)).status_code == 201
    other = {**ZONE, "code": "IDEM-2"}
    refused = await editor.post(f"{API}/industrial-zones", json=other, headers=key)
    assert refused.status_code == 422
    assert refused.json()["code"] == "idempotency_key_reused"
    assert await zones_with_code(session, "IDEM-2") == 0


async def test_keys_belong_to_one_user(
    editor: httpx.AsyncClient, admin: httpx.AsyncClient, session: AsyncSession
) -> None:
    key = {"Idempotency-Key": "shared-key"}
    assert (await editor.post(f"{API}/industrial-zones", json=ZONE, headers=key)).status_code == 201
    other = await admin.post(f"{API}/industrial-zones", json={**ZONE, "code": "I3"}, headers=key)
    assert other.status_code == 201
    assert "Idempotent-Replayed" not in other.headers


async def test_a_failed_request_leaves_the_key_free(
    editor: httpx.AsyncClient, session: AsyncSession
) -> None:
    key = {"Idempotency-Key": "after-a-mistake"}
    bad = await editor.post(
        f"{API}/industrial-zones", json={**ZONE, "status": "closed"}, headers=key
    )
    assert bad.status_code == 422
    fixed = await editor.post(f"{API}/industrial-zones", json=ZONE, headers=key)
    assert fixed.status_code == 201
    assert "Idempotent-Replayed" not in fixed.headers


async def test_a_record_expires_after_24_hours(
    editor: httpx.AsyncClient, session: AsyncSession
) -> None:
    key = {"Idempotency-Key": "old-key"}
    assert (await editor.post(f"{API}/industrial-zones", json=ZONE, headers=key)).is_success
    await session.execute(
        update(IdempotencyRecord)
        .where(IdempotencyRecord.key == "old-key")
        .values(created_at=text("now() - interval '25 hours'"))
    )
    await session.commit()
    second = await editor.post(
        f"{API}/industrial-zones",
        json={**ZONE, "code": "IDEM-NEW"},
        headers=key,
    )
    assert second.status_code == 201, second.text
    assert "Idempotent-Replayed" not in second.headers
    assert await zones_with_code(session, "IDEM-NEW") == 1


async def test_a_malformed_key_is_refused(editor: httpx.AsyncClient, session: AsyncSession) -> None:
    refused = await editor.post(
        f"{API}/industrial-zones", json=ZONE, headers={"Idempotency-Key": "has space"}
    )
    assert refused.status_code == 422
    assert await zones_with_code(session, ZONE["code"]) == 0


async def test_a_duplicate_in_flight_is_409(live: LiveServer) -> None:
    key = {"Idempotency-Key": "in-flight-1"}
    zone = {**ZONE, "code": "IDEM-LIVE"}
    async with live.client(Role.EDITOR) as first, live.client(Role.EDITOR) as second:
        async with locked(live, "industrial_zones"):
            # The first request holds the key and waits for the table.
            running = asyncio.create_task(
                first.post(f"{API}/industrial-zones", json=zone, headers=key)
            )
            await asyncio.sleep(0.7)
            duplicate = await second.post(f"{API}/industrial-zones", json=zone, headers=key)
            assert duplicate.status_code == 409
            assert duplicate.json()["code"] == "idempotency_key_in_flight"
            assert duplicate.headers["Retry-After"] == "1"
        answer = await running
        assert answer.status_code == 201, answer.text
        replay = await second.post(f"{API}/industrial-zones", json=zone, headers=key)
        assert replay.status_code == 201
        assert replay.headers["Idempotent-Replayed"] == "true"
        assert replay.json() == answer.json()


def test_post_operations_document_the_header(app: FastAPI) -> None:
    paths = app.openapi()["paths"]
    posts = {
        path: operation["post"]
        for path, operation in paths.items()
        # Logins, and the calendar feed, whose answer (a secret URL) is never stored.
        if "post" in operation
        and not path.startswith(f"{API}/auth")
        and path != f"{API}/calendar/feed"
    }
    assert posts
    for path, operation in posts.items():
        names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "header"]
        assert "Idempotency-Key" in names, path
    gets = [op["get"] for op in paths.values() if "get" in op]
    assert all(
        "Idempotency-Key" not in [p["name"] for p in op.get("parameters", [])] for op in gets
    )
