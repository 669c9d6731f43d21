"""X-Request-ID: accepted, echoed or generated, and carried by the one access log line."""

import logging
import re

import httpx
import pytest


async def test_request_id_is_echoed(admin: httpx.AsyncClient) -> None:
    response = await admin.get("/api/v1/auth/me", headers={"X-Request-ID": "abc-123.XYZ:9"})

    assert response.status_code == 200
    assert response.headers["X-Request-ID"] == "abc-123.XYZ:9"


async def test_request_id_is_generated_when_absent(anon: httpx.AsyncClient) -> None:
    first = await anon.get("/healthz")
    second = await anon.get("/healthz")

    assert re.fullmatch(r"[0-9a-f]{32}", first.headers["X-Request-ID"])
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


@pytest.mark.parametrize("incoming", ["has space", "x" * 200, "line\tbreak", "ünïcode"])
async def test_unsafe_request_id_is_replaced(anon: httpx.AsyncClient, incoming: str) -> None:
    response = await anon.get("/healthz", headers=[(b"X-Request-ID", incoming.encode())])

    assert response.headers["X-Request-ID"] != incoming
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


async def test_problem_carries_the_request_id(anon: httpx.AsyncClient) -> None:
    response = await anon.get("/api/v1/users", headers={"X-Request-ID": "trace-401"})

    assert response.status_code == 401
    assert response.headers["X-Request-ID"] == "trace-401"
    assert response.json()["request_id"] == "trace-401"


async def test_access_log_has_route_status_and_id_but_no_query_or_body(
    admin: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="kcn.access"):
        response = await admin.get(
            "/api/v1/users", params={"q": "Nguyễn Văn An"}, headers={"X-Request-ID": "log-1"}
        )
    assert response.status_code == 200

    lines = [r for r in caplog.records if r.name == "kcn.access"]
    assert len(lines) == 1
    line = lines[0]
    assert line.__dict__["path"] == "/api/v1/users"
    assert line.__dict__["status"] == 200
    assert line.__dict__["method"] == "GET"
    assert line.__dict__["request_id"] == "log-1"
    everything = " ".join(str(value) for value in line.__dict__.values())
    assert "Nguy" not in everything
    assert "q=" not in everything
