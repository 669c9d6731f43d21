"""Enterprises through the API: reading, writing, ETags, deletion, filters, sorting and search."""

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import EnterpriseContact, IndustrialZone
from tests.fixtures.db import Fingerprint
from tests.fixtures.registry import EnterpriseFactory, MemberFactory, ZoneFactory
from tests.problems import assert_problem

ENTERPRISES = "/api/v1/enterprises"


def enterprise_body(zone: IndustrialZone, **overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "tax_code": "0101234567",
        "name": "Công ty TNHH Dệt May Hà Nội",
        "foreign_name": "Hanoi Textile Garment Co., Ltd.",
        "zone_id": zone.id,
        "ownership": "fdi",
        "investor_country": "kr",
        "workers_count": 1200,
        "has_trade_union": True,
    }
    body.update(overrides)
    return body


async def test_editor_creates_and_reads_an_enterprise(
    editor: httpx.AsyncClient, make_zone: ZoneFactory
) -> None:
    zone = await make_zone()
    created = await editor.post(ENTERPRISES, json=enterprise_body(zone))
    assert created.status_code == 201, created.text
    enterprise = created.json()
    assert created.headers["Location"] == f"{ENTERPRISES}/{enterprise['id']}"
    assert enterprise["investor_country"] == "KR"
    assert enterprise["status"] == "operating"
    assert enterprise["party_organization_id"] is None
    assert (enterprise["official_members"], enterprise["candidates"]) == (0, 0)
    read = await editor.get(f"{ENTERPRISES}/{enterprise['id']}")
    assert read.status_code == 200
    assert read.json() == enterprise
    assert read.headers["ETag"] == created.headers["ETag"]


async def test_editor_updates_an_enterprise_with_if_match(
    editor: httpx.AsyncClient, make_zone: ZoneFactory
) -> None:
    zone, other_zone = await make_zone(), await make_zone()
    created = await editor.post(ENTERPRISES, json=enterprise_body(zone))
    url = created.headers["Location"]
    updated = await editor.patch(
        url,
        json={"workers_count": 1500, "zone_id": other_zone.id},
        headers={"If-Match": created.headers["ETag"]},
    )
    assert updated.status_code == 200, updated.text
    assert (updated.json()["workers_count"], updated.json()["zone_id"]) == (1500, other_zone.id)
    assert updated.headers["ETag"] != created.headers["ETag"]


async def test_stale_if_match_is_refused_on_update_and_delete(
    editor: httpx.AsyncClient, make_zone: ZoneFactory, fingerprint: Fingerprint
) -> None:
    created = await editor.post(ENTERPRISES, json=enterprise_body(await make_zone()))
    url, etag = created.headers["Location"], created.headers["ETag"]
    assert (await editor.patch(url, json={"name": "Tên mới"})).status_code == 200
    before = await fingerprint()
    assert_problem(await editor.patch(url, json={"name": "Lost"}, headers={"If-Match": etag}), 412)
    assert_problem(await editor.delete(url, headers={"If-Match": etag}), 412)
    assert await fingerprint() == before


async def test_viewer_and_group_leader_read_but_cannot_write(
    viewer: httpx.AsyncClient,
    leader: httpx.AsyncClient,
    make_enterprise: EnterpriseFactory,
    make_zone: ZoneFactory,
) -> None:
    enterprise = await make_enterprise()
    zone = await make_zone()
    for client in (viewer, leader):
        assert (await client.get(f"{ENTERPRISES}/{enterprise.id}")).status_code == 200
        assert (await client.get(ENTERPRISES)).status_code == 200
        assert_problem(await client.post(ENTERPRISES, json=enterprise_body(zone)), 403)
        url = f"{ENTERPRISES}/{enterprise.id}"
        assert_problem(await client.patch(url, json={"name": "x"}), 403)
        assert_problem(await client.delete(url), 403)


async def test_unknown_enterprise_is_404(editor: httpx.AsyncClient) -> None:
    assert_problem(await editor.get(f"{ENTERPRISES}/999999"), 404, "not_found")


async def test_unreferenced_enterprise_is_deleted_with_its_contacts(
    editor: httpx.AsyncClient, make_enterprise: EnterpriseFactory, session: AsyncSession
) -> None:
    enterprise = await make_enterprise()
    url = f"{ENTERPRISES}/{enterprise.id}"
    contact = await editor.post(f"{url}/contacts", json={"full_name": "Lê Văn C", "role": "owner"})
    assert contact.status_code == 201, contact.text
    assert (await editor.get(contact.headers["Location"])).json()["full_name"] == "Lê Văn C"
    assert (await editor.delete(url)).status_code == 204
    assert_problem(await editor.get(url), 404)
    contacts = select(func.count()).where(EnterpriseContact.enterprise_id == enterprise.id)
    assert await session.scalar(contacts) == 0


async def test_enterprise_employing_a_member_cannot_be_deleted(
    editor: httpx.AsyncClient,
    make_enterprise: EnterpriseFactory,
    make_member: MemberFactory,
    fingerprint: Fingerprint,
) -> None:
    enterprise = await make_enterprise()
    await make_member(enterprise_id=enterprise.id)
    before = await fingerprint()
    assert_problem(await editor.delete(f"{ENTERPRISES}/{enterprise.id}"), 409, "still_referenced")
    assert await fingerprint() == before


async def test_q_finds_names_without_diacritics(
    viewer: httpx.AsyncClient, make_enterprise: EnterpriseFactory
) -> None:
    await make_enterprise(name="Công ty Dệt May Hà Nội", tax_code="0100000001")
    await make_enterprise(name="Công ty Điện tử Thăng Long", foreign_name="Thang Long Electronics")
    await make_enterprise(name="Công ty Cơ khí Quang Minh", tax_code="0109999999-002")

    async def names(q: str) -> list[str]:
        response = await viewer.get(ENTERPRISES, params={"q": q})
        assert response.status_code == 200, response.text
        return [e["name"] for e in response.json()["items"]]

    assert await names("cong ty det may") == ["Công ty Dệt May Hà Nội"]
    assert await names("ĐIỆN TỬ") == ["Công ty Điện tử Thăng Long"]
    assert await names("electronics") == ["Công ty Điện tử Thăng Long"]
    assert await names("9999999-002") == ["Công ty Cơ khí Quang Minh"]
    assert await names("100%") == []


async def test_zone_id_filter_is_repeatable(
    viewer: httpx.AsyncClient, make_zone: ZoneFactory, make_enterprise: EnterpriseFactory
) -> None:
    zones = [await make_zone() for _ in range(3)]
    for index, zone in enumerate(zones):
        await make_enterprise(zone_id=zone.id, name=f"Công ty {index}")
    response = await viewer.get(ENTERPRISES, params={"zone_id": [zones[0].id, zones[2].id]})
    assert response.status_code == 200, response.text
    assert [e["name"] for e in response.json()["items"]] == ["Công ty 0", "Công ty 2"]
    one = await viewer.get(ENTERPRISES, params={"zone_id": zones[1].id})
    assert [e["name"] for e in one.json()["items"]] == ["Công ty 1"]


async def test_list_filters_by_ownership_country_and_status(
    viewer: httpx.AsyncClient, make_enterprise: EnterpriseFactory
) -> None:
    await make_enterprise(name="A Korean", ownership="fdi", investor_country="KR")
    await make_enterprise(name="B Japanese", ownership="fdi", investor_country="JP")
    await make_enterprise(name="C Domestic", status="suspended")

    async def names(**params: str) -> list[str]:
        response = await viewer.get(ENTERPRISES, params=params)
        assert response.status_code == 200, response.text
        return [e["name"] for e in response.json()["items"]]

    assert await names(ownership="fdi") == ["A Korean", "B Japanese"]
    assert await names(investor_country="jp") == ["B Japanese"]
    assert await names(status="suspended") == ["C Domestic"]
    assert_problem(await viewer.get(ENTERPRISES, params={"investor_country": "KOR"}), 422)
    assert_problem(await viewer.get(ENTERPRISES, params={"ownership": "public"}), 422)


async def test_sort_by_workers_count_pages_through_every_enterprise(
    viewer: httpx.AsyncClient, make_zone: ZoneFactory, make_enterprise: EnterpriseFactory
) -> None:
    zone = await make_zone()
    for index, workers in enumerate([300, 1200, 300, 50, 800]):
        await make_enterprise(zone_id=zone.id, name=f"E{index}", workers_count=workers)
    seen: list[int] = []
    cursor = None
    while True:
        params: dict[str, str | int] = {"limit": 2, "sort": "-workers_count"}
        if cursor:
            params["cursor"] = cursor
        page = (await viewer.get(ENTERPRISES, params=params)).json()
        seen += [e["workers_count"] for e in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [1200, 800, 300, 300, 50]
    by_tax_code = (await viewer.get(ENTERPRISES, params={"sort": "tax_code"})).json()["items"]
    assert [e["tax_code"] for e in by_tax_code] == sorted(e["tax_code"] for e in by_tax_code)


async def test_cursor_of_another_sort_is_rejected(
    viewer: httpx.AsyncClient, make_enterprise: EnterpriseFactory
) -> None:
    for _ in range(3):
        await make_enterprise()
    page = (await viewer.get(ENTERPRISES, params={"limit": 1})).json()
    response = await viewer.get(
        ENTERPRISES, params={"cursor": page["next_cursor"], "sort": "-workers_count"}
    )
    assert_problem(response, 422, "invalid_cursor")
