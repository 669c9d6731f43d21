"""Limits before work (a body over KCN_MAX_BODY_BYTES is refused before it is read or its sender
authenticated) and the security headers on every response."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from app.config import Settings
from app.core.db import Database
from app.core.middleware import docs_policy
from app.main import create_app
from app.models import Role
from tests.conftest import client_for
from tests.fixtures.live import LiveServer

API = "/api/v1"
MIB = 1024 * 1024


async def chunks(total: int, size: int = 64 * 1024) -> AsyncIterator[bytes]:
    sent = 0
    while sent < total:
        yield b"a" * min(size, total - sent)
        sent += size


@pytest.mark.parametrize("role", [None, Role.EDITOR], ids=["anonymous", "editor"])
async def test_a_20_mib_body_is_413_without_growing_the_server(
    live: LiveServer, role: Role | None
) -> None:
    body = b'{"name": "' + b"a" * (20 * MIB) + b'"}'
    before = live.rss_kib()
    async with live.client(role) as client:
        answer = await client.post(
            f"{API}/industrial-zones", content=body, headers={"Content-Type": "application/json"}
        )
        assert answer.status_code == 413
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["code"] == "content_too_large"
        # Streamed without a length: counted while it arrives, refused at the limit.
        streamed = await client.post(
            f"{API}/industrial-zones",
            content=chunks(20 * MIB),
            headers={"Content-Type": "application/json"},
        )
    assert streamed.status_code == 413
    assert streamed.json()["code"] == "content_too_large"
    assert live.rss_kib() - before < 20 * 1024


async def test_a_body_under_the_limit_is_served(live: LiveServer) -> None:
    async with live.client(Role.EDITOR) as client:
        answer = await client.post(
            f"{API}/industrial-zones",
            json={"code": "LIM-1", "name": "KCN " + "a" * 100, "established_on": "2020-01-01"},
        )
    assert answer.status_code == 201, answer.text


async def test_api_responses_carry_the_security_headers(admin: httpx.AsyncClient) -> None:
    for answer in (
        await admin.get(f"{API}/industrial-zones"),
        await admin.get(f"{API}/industrial-zones/999999"),
    ):
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["Cache-Control"] == "no-store"
        assert answer.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
        assert "server" not in answer.headers


async def test_docs_pages_allow_exactly_their_own_scripts(anon: httpx.AsyncClient) -> None:
    for path in ("/docs", "/redoc"):
        page = await anon.get(path)
        assert page.status_code == 200
        policy = page.headers["Content-Security-Policy"]
        assert page.headers["X-Frame-Options"] == "DENY"
        assert policy == docs_policy(page.content).decode()
        if path == "/docs":
            assert "'sha256-" in policy  # the inline script that starts Swagger UI, by hash
        assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        assert "cdn" not in page.text.lower()  # the assets are served here (offline)


@pytest.fixture
async def production(settings: Settings, database: Database) -> AsyncIterator[httpx.AsyncClient]:
    app: FastAPI = create_app(settings.model_copy(update={"env": "production"}), database)
    async with client_for(app) as client:
        yield client


async def test_production_hides_the_docs_unless_enabled(
    production: httpx.AsyncClient, settings: Settings, database: Database
) -> None:
    for path in ("/docs", "/redoc", "/openapi.json"):
        assert (await production.get(path)).status_code == 404
    enabled = settings.model_copy(update={"env": "production", "docs_enabled": True})
    async with client_for(create_app(enabled, database)) as client:
        assert (await client.get("/openapi.json")).status_code == 200
