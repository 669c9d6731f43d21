"""Industrial zones through the API: rules, uniqueness, ETags, pagination and search."""

import httpx

from tests.fixtures.db import Fingerprint

ZONES = "/api/v1/industrial-zones"


def zone_body(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "code": "KCN-TL",
        "name": "KCN Thăng Long",
        "district": "Đông Anh",
        "status": "operating",
        "established_on": "1997-11-26",
        "area_ha": "274",
    }
    body.update(overrides)
    return body


async def test_editor_creates_and_reads_a_zone(editor: httpx.AsyncClient) -> None:
    created = await editor.post(ZONES, json=zone_body())
    assert created.status_code == 201, created.text
    zone = created.json()
    assert created.headers["Location"] == f"{ZONES}/{zone['id']}"
    read = await editor.get(f"{ZONES}/{zone['id']}")
    assert read.status_code == 200
    assert read.json()["name"] == "KCN Thăng Long"
    assert read.headers["ETag"] == created.headers["ETag"]
    assert read.json()["enterprises_count"] == 0


async def test_duplicate_zone_code_is_a_conflict_naming_code(
    editor: httpx.AsyncClient, fingerprint: Fingerprint
) -> None:
    assert (await editor.post(ZONES, json=zone_body())).status_code == 201
    before = await fingerprint()
    response = await editor.post(ZONES, json=zone_body(name="Another"))
    assert response.status_code == 409
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["loc"] == ["body", "code"]
    assert await fingerprint() == before


async def test_operating_zone_without_establishment_date_is_rejected(
    editor: httpx.AsyncClient, fingerprint: Fingerprint
) -> None:
    before = await fingerprint()
    response = await editor.post(ZONES, json=zone_body(established_on=None))
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "established_on"]
    assert await fingerprint() == before


async def test_patching_a_planned_zone_to_operating_needs_a_date(
    editor: httpx.AsyncClient, fingerprint: Fingerprint
) -> None:
    created = await editor.post(
        ZONES, json=zone_body(status="planned", established_on=None, code="KCN-NEW")
    )
    assert created.status_code == 201, created.text
    url = f"{ZONES}/{created.json()['id']}"
    before = await fingerprint()
    response = await editor.patch(url, json={"status": "operating"})
    assert response.status_code == 422
    assert await fingerprint() == before
    ok = await editor.patch(url, json={"status": "operating", "established_on": "2024-03-01"})
    assert ok.status_code == 200, ok.text
    assert ok.json()["status"] == "operating"


async def test_stale_if_match_is_refused(editor: httpx.AsyncClient) -> None:
    created = await editor.post(ZONES, json=zone_body())
    url = f"{ZONES}/{created.json()['id']}"
    etag = created.headers["ETag"]
    first = await editor.patch(url, json={"name": "KCN Thăng Long I"}, headers={"If-Match": etag})
    assert first.status_code == 200
    assert first.headers["ETag"] != etag
    second = await editor.patch(url, json={"name": "Lost update"}, headers={"If-Match": etag})
    assert second.status_code == 412
    assert (await editor.get(url)).json()["name"] == "KCN Thăng Long I"


async def test_viewer_reads_but_cannot_write(
    editor: httpx.AsyncClient, viewer: httpx.AsyncClient
) -> None:
    assert (await viewer.post(ZONES, json=zone_body())).status_code == 403
    await editor.post(ZONES, json=zone_body())
    listed = await viewer.get(ZONES)
    assert listed.status_code == 200
    assert [z["code"] for z in listed.json()["items"]] == ["KCN-TL"]


async def test_list_pages_and_searches_without_diacritics(editor: httpx.AsyncClient) -> None:
    names = [
        "KCN Thăng Long",
        "KCN Nội Bài",
        "KCN Quang Minh",
        "KCN Thạch Thất",
        "KCN Bắc Thường Tín",
    ]
    for index, name in enumerate(names):
        body = zone_body(code=f"Z{index}", name=name)
        assert (await editor.post(ZONES, json=body)).status_code == 201
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, str | int] = {"limit": 2, "sort": "name"}
        if cursor:
            params["cursor"] = cursor
        page = (await editor.get(ZONES, params=params)).json()
        seen += [z["name"] for z in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(names)
    found = (await editor.get(ZONES, params={"q": "noi bai"})).json()["items"]
    assert [z["name"] for z in found] == ["KCN Nội Bài"]


async def test_unknown_zone_is_404(editor: httpx.AsyncClient) -> None:
    response = await editor.get(f"{ZONES}/999999")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


async def test_null_for_a_required_zone_field_is_refused(
    editor: httpx.AsyncClient, fingerprint: Fingerprint
) -> None:
    created = await editor.post(ZONES, json=zone_body())
    before = await fingerprint()
    response = await editor.patch(f"{ZONES}/{created.json()['id']}", json={"name": None})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "name"]
    assert await fingerprint() == before
