"""Input that would be stored wrongly or break a download is refused, and downloads survive
what older data may hold."""

import base64
import datetime as dt
import json
import re
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import IndustrialZone
from tests.fixtures.db import Fingerprint
from tests.problems import assert_problem, error_fields

ZONES = "/api/v1/industrial-zones"


def zone(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "code": "KCN-X",
        "name": "KCN X",
        "status": "operating",
        "established_on": "2001-01-01",
    }
    return body | overrides


async def test_control_characters_in_text_are_refused(
    editor: httpx.AsyncClient, fingerprint: Fingerprint
) -> None:
    before = await fingerprint()
    response = await editor.post(ZONES, json=zone(name="KCN\u0001 X"))
    assert_problem(response, 422, "validation_error")
    assert error_fields(response.json()) == {"name"}
    assert await fingerprint() == before
    ok = await editor.post(ZONES, json=zone(name="KCN X", district="Đông\tAnh"))
    assert ok.status_code == 201, ok.text


async def test_implausible_dates_are_refused(
    editor: httpx.AsyncClient, fingerprint: Fingerprint
) -> None:
    before = await fingerprint()
    for day in ("9999-12-31", "0001-01-01", "1899-12-31"):
        response = await editor.post(ZONES, json=zone(established_on=day))
        assert_problem(response, 422, "validation_error")
        assert error_fields(response.json()) == {"established_on"}
    assert await fingerprint() == before


async def test_a_cursor_with_null_sort_values_is_refused(editor: httpx.AsyncClient) -> None:
    for payload in ({"o": "code", "v": [None]}, {"o": "code", "v": "x"}, ["code", ["x"]]):
        forged = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
        response = await editor.get(ZONES, params={"cursor": forged})
        assert_problem(response, 422, "invalid_cursor")


async def test_xlsx_download_drops_characters_a_spreadsheet_cannot_hold(
    viewer: httpx.AsyncClient, session: AsyncSession
) -> None:
    # Stored before control characters were refused on the way in.
    session.add(
        IndustrialZone(
            code="OLD", name="KCN\u0001 cũ", status="operating", established_on=dt.date(2001, 1, 1)
        )
    )
    await session.commit()
    response = await viewer.get("/api/v1/reports/overview.xlsx", params={"as_of": "2024-06-30"})
    assert response.status_code == 200, response.text
    assert response.content[:2] == b"PK"


def _patterns(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [node["pattern"]] if isinstance(node.get("pattern"), str) else []
        return found + [p for value in node.values() for p in _patterns(value)]
    if isinstance(node, list):
        return [p for value in node for p in _patterns(value)]
    return []


async def test_schema_patterns_mean_the_same_in_python_and_javascript(
    app: FastAPI, editor: httpx.AsyncClient, make_enterprise: Any
) -> None:
    """\\s, \\d and \\w match different characters in Python and in the ECMAScript regexes JSON
    Schema uses, so a published pattern spells its classes out; a character Python alone takes
    for a space is then refused as the control character it is, a rule the schema cannot state."""
    patterns = _patterns(app.openapi())
    assert patterns
    for pattern in patterns:
        assert not re.search(r"\\[sSdDwWbB]", pattern), pattern
    enterprise = await make_enterprise()
    for sneaky in ("\x85", "\x1c", "\x1f"):
        answer = await editor.post(
            f"/api/v1/enterprises/{enterprise.id}/contacts",
            json={"full_name": "Kim", "role": "owner", "email": f"kim{sneaky}x@example.com"},
        )
        body = assert_problem(answer, 422, "validation_error")
        assert [e["type"] for e in body["errors"]] == ["control_character"]


async def test_a_filter_with_a_control_character_is_refused_before_the_database(
    viewer: httpx.AsyncClient,
) -> None:
    for path in ("/api/v1/enterprises", "/api/v1/exports/members", "/api/v1/members"):
        answer = await viewer.get(path, params={"q": "Nguy\x00ễn"})
        problem = assert_problem(answer, 422, "validation_error")
        assert [e["type"] for e in problem["errors"]] == ["control_character"], path
    old = await viewer.get("/api/v1/members", params={"probation_ends_before": "0069-11-20"})
    assert_problem(old, 422, "validation_error")


async def test_a_date_parameter_outside_1900_2100_is_refused_everywhere(
    viewer: httpx.AsyncClient,
) -> None:
    for path in ("/api/v1/attainment", "/api/v1/reports/overview", "/api/v1/enterprises"):
        answer = await viewer.get(path, params={"as_of": "0003-11-26"})
        problem = assert_problem(answer, 422, "validation_error")
        assert [e["type"] for e in problem["errors"]] == ["date_out_of_range"], path
