"""A small registry built with tests.factories for member and organization tests: one zone, an FDI
enterprise, and a grassroots committee with an affiliated cell in another enterprise."""

import datetime as dt
from dataclasses import dataclass

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Enterprise, IndustrialZone, Organization
from tests.factories import add_enterprise, add_organization, add_zone


@dataclass
class World:
    zone: IndustrialZone
    fdi: Enterprise
    domestic: Enterprise
    committee: Organization
    cell: Organization


async def build_world(session: AsyncSession) -> World:
    zone = await add_zone(session)
    fdi = await add_enterprise(
        session, zone, ownership="fdi", name="Công ty TNHH Hàn Việt", workers_count=1200
    )
    domestic = await add_enterprise(
        session, zone, name="Công ty Cổ phần Thăng Long", workers_count=500
    )
    committee = await add_organization(
        session,
        name="Đảng bộ Công ty Cổ phần Thăng Long",
        kind="grassroots_committee",
        enterprise_id=domestic.id,
        established_on=dt.date(2010, 5, 1),
    )
    cell = await add_organization(
        session,
        name="Chi bộ Phân xưởng 1",
        kind="affiliated_cell",
        parent_id=committee.id,
        enterprise_id=domestic.id,
        established_on=dt.date(2010, 6, 1),
    )
    await session.commit()
    return World(zone, fdi, domestic, committee, cell)


async def new_candidate(
    client: httpx.AsyncClient,
    *,
    enterprise_id: int | None = None,
    born: str = "1995-04-12",
    registered_on: str = "2023-01-10",
    dossier: str | None = "2023-02-01",
    name: str = "Nguyễn Văn An",
) -> dict[str, object]:
    body: dict[str, object] = {
        "full_name": name,
        "gender": "male",
        "date_of_birth": born,
        "enterprise_id": enterprise_id,
        "source_group": "union_committee",
        "registered_on": registered_on,
        "phone": "0912 345 678",
    }
    if dossier:
        body["dossier_started_on"] = dossier
    response = await client.post("/api/v1/members", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def admit(
    client: httpx.AsyncClient, member_id: object, organization_id: int, on: str
) -> httpx.Response:
    return await client.post(
        f"/api/v1/members/{member_id}/admit",
        json={"admitted_on": on, "organization_id": organization_id, "decision_no": "12-QĐ/ĐU"},
    )


async def with_probationary_member(
    session: AsyncSession, client: httpx.AsyncClient
) -> tuple[World, dict[str, object]]:
    """The world, and a candidate admitted into its cell on 2023-06-01 through the API."""
    world = await build_world(session)
    member = await new_candidate(client)
    response = await admit(client, member["id"], world.cell.id, "2023-06-01")
    assert response.status_code == 200, response.text
    return world, member
