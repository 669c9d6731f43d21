"""Calls a scenario makes as an API client: create, act, read, and the as-of views."""

from typing import Any

import httpx

API = "/api/v1"


async def created(client: httpx.AsyncClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(f"{API}{path}", json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def done(client: httpx.AsyncClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(f"{API}{path}", json=body)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def got(client: httpx.AsyncClient, path: str, **params: Any) -> Any:
    response = await client.get(f"{API}{path}", params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def members_on(client: httpx.AsyncClient, day: str, **filters: Any) -> dict[int, Any]:
    """{member id: (status, organization_id)} of GET /members?as_of=day with the filters."""
    page = await got(client, "/members", as_of=day, limit=500, **filters)
    assert page["next_cursor"] is None
    return {m["id"]: (m["status"], m["organization_id"]) for m in page["items"]}


async def organizations_on(client: httpx.AsyncClient, day: str, zone_id: int) -> dict[int, Any]:
    """{organization id: (official, probationary, flags)} of GET /organizations?as_of=day."""
    page = await got(client, "/organizations", as_of=day, zone_id=zone_id, limit=500)
    return {
        o["id"]: (o["official_members"], o["probationary_members"], o["flags"])
        for o in page["items"]
    }


async def counts(client: httpx.AsyncClient, organization_id: int) -> tuple[int, int, list[str]]:
    o = await got(client, f"/organizations/{organization_id}")
    return o["official_members"], o["probationary_members"], o["flags"]
