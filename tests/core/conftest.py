"""Fixtures of the cross-cutting tests."""

from typing import Any

import httpx
import pytest


@pytest.fixture
async def schema(anon: httpx.AsyncClient) -> dict[str, Any]:
    """The published OpenAPI document."""
    response = await anon.get("/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document
