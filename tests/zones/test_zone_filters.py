"""The zone list's filters: `district` is the district's exact name, not a search over codes and
names (`q` is that)."""

import httpx

from tests.fixtures.registry import ZoneFactory

ZONES = "/api/v1/industrial-zones"


async def test_district_filter_matches_the_district_only(
    viewer: httpx.AsyncClient, make_zone: ZoneFactory
) -> None:
    in_district = await make_zone(code="KCN-TL", name="KCN Thăng Long", district="Đông Anh")
    # Code and name contain the text, the district is another one: not in the district.
    await make_zone(code="KCN-DONG-ANH", name="KCN Đông Anh mở rộng", district="Sóc Sơn")
    await make_zone(code="KCN-NT", name="KCN Nội Thương", district=None)

    response = await viewer.get(ZONES, params={"district": "Đông Anh"})

    assert response.status_code == 200, response.text
    assert [zone["id"] for zone in response.json()["items"]] == [in_district.id]


async def test_district_filter_ignores_case(
    viewer: httpx.AsyncClient, make_zone: ZoneFactory
) -> None:
    zone = await make_zone(code="KCN-QM", name="KCN Quang Minh", district="Mê Linh")

    response = await viewer.get(ZONES, params={"district": "mê linh"})

    assert response.status_code == 200, response.text
    assert [item["id"] for item in response.json()["items"]] == [zone.id]
