"""Targets through the API: rules, attainment counted from events, quotas and audit items."""

from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tests.fixtures.db import Fingerprint
from tests.members.world import World, admit, build_world, new_candidate

TARGETS = "/api/v1/targets"


def target_body(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "name": "Kết nạp đảng viên năm 2024",
        "metric": "members_admitted",
        "scope": "committee",
        "period_start": "2024-01-01",
        "period_end": "2024-12-31",
        "value": 4,
        "basis": "Nghị quyết Đại hội",
    }
    body.update(overrides)
    return body


async def create(client: httpx.AsyncClient, **overrides: object) -> dict[str, object]:
    response = await client.post(TARGETS, json=target_body(**overrides))
    assert response.status_code == 201, response.text
    return dict(response.json())


async def admitted_on(
    client: httpx.AsyncClient, world: World, dates: list[str], organization_id: int | None = None
) -> list[dict[str, object]]:
    members = []
    for n, day in enumerate(dates):
        member = await new_candidate(client, name=f"Ứng viên {n}", registered_on="2023-01-01")
        response = await admit(client, member["id"], organization_id or world.cell.id, day)
        assert response.status_code == 200, response.text
        members.append(response.json())
    return members


async def attainment(client: httpx.AsyncClient, target_id: object, as_of: str) -> dict[str, Any]:
    response = await client.get(f"{TARGETS}/{target_id}/attainment", params={"as_of": as_of})
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_events_on_the_period_boundaries_count(
    editor: httpx.AsyncClient, session: AsyncSession
) -> None:
    world = await build_world(session)
    await admitted_on(editor, world, ["2023-12-31", "2024-01-01", "2024-12-31"])
    await admitted_on(editor, world, ["2025-01-01"])
    target = await create(editor)
    result = await attainment(editor, target["id"], "2025-02-01")
    assert (result["actual"], result["percent"], result["status"]) == (2, 50.0, "missed")
    assert (await attainment(editor, target["id"], "2024-12-30"))["actual"] == 1


async def test_admitted_then_transferred_out_still_counts(
    editor: httpx.AsyncClient, session: AsyncSession
) -> None:
    world = await build_world(session)
    [member] = await admitted_on(editor, world, ["2024-02-01"])
    out = await editor.post(
        f"/api/v1/members/{member['id']}/transfer",
        json={"on": "2024-03-01", "destination": "Đảng bộ tỉnh Bắc Ninh"},
    )
    assert out.status_code == 200
    target = await create(editor, value=1)
    assert (await attainment(editor, target["id"], "2024-06-30"))["status"] == "achieved"


async def test_transfer_in_is_not_an_admission(
    editor: httpx.AsyncClient, session: AsyncSession
) -> None:
    world = await build_world(session)
    arrived = await editor.post(
        "/api/v1/members/transfer-in",
        json={
            "full_name": "Vũ Văn Em",
            "gender": "male",
            "date_of_birth": "1990-01-01",
            "status": "probationary",
            "admitted_on": "2024-01-10",
            "organization_id": world.cell.id,
            "transferred_on": "2024-02-10",
            "origin": "Đảng bộ huyện Gia Lâm",
        },
    )
    assert arrived.status_code == 201, arrived.text
    target = await create(editor)
    assert (await attainment(editor, target["id"], "2024-06-30"))["actual"] == 0


async def test_dissolved_organization_still_counts_as_established(
    editor: httpx.AsyncClient, session: AsyncSession
) -> None:
    await build_world(session)
    cell = await editor.post(
        "/api/v1/organizations",
        json={"name": "Chi bộ tạm", "kind": "grassroots_cell", "established_on": "2024-02-01"},
    )
    assert cell.status_code == 201
    gone = await editor.post(
        f"/api/v1/organizations/{cell.json()['id']}/dissolve",
        json={"dissolved_on": "2024-05-01", "reason": "Doanh nghiệp giải thể"},
    )
    assert gone.status_code == 200
    target = await create(editor, metric="organizations_established", value=5)
    result = await attainment(editor, target["id"], "2024-06-30")
    assert (result["actual"], result["percent"]) == (1, 20.0)
    items = (
        await editor.get(
            f"{TARGETS}/{target['id']}/attainment/items", params={"as_of": "2024-06-30"}
        )
    ).json()["items"]
    assert [(i["kind"], i["label"]) for i in items] == [("organization", "Chi bộ tạm")]


async def test_quota_rollup_below_and_above_the_committee_target(
    editor: httpx.AsyncClient, session: AsyncSession
) -> None:
    world = await build_world(session)
    await admitted_on(editor, world, ["2024-03-01", "2024-04-01", "2024-05-01"])
    committee = await create(editor, value=10)
    await create(
        editor,
        scope="organization",
        organization_id=world.committee.id,
        value=2,
        name="Chỉ tiêu Đảng bộ",
    )
    result = await attainment(editor, committee["id"], "2024-06-30")
    rollup = result["quota_rollup"]
    assert rollup == {
        "quotas": 1,
        "allocated": 2,
        "unallocated": 8,
        "actual": 3,
        "percent": 150.0,
    }
    other = await editor.post(
        "/api/v1/organizations",
        json={"name": "Chi bộ B", "kind": "grassroots_cell", "established_on": "2023-01-01"},
    )
    await create(
        editor,
        scope="organization",
        organization_id=other.json()["id"],
        value=9,
        name="Chỉ tiêu Chi bộ B",
    )
    rollup = (await attainment(editor, committee["id"], "2024-06-30"))["quota_rollup"]
    assert (rollup["allocated"], rollup["unallocated"], rollup["actual"]) == (11, -1, 3)
    assert rollup["percent"] == 27.3


async def test_metric_that_does_not_fit_the_scope_is_rejected(
    editor: httpx.AsyncClient, session: AsyncSession, fingerprint: Fingerprint
) -> None:
    world = await build_world(session)
    before = await fingerprint()
    response = await editor.post(
        TARGETS,
        json=target_body(
            metric="industrial_zones_established",
            scope="organization",
            organization_id=world.cell.id,
        ),
    )
    assert response.status_code == 422
    assert response.json()["code"] == "metric_scope_mismatch"
    assert await fingerprint() == before


async def test_target_shape_rules(
    editor: httpx.AsyncClient, session: AsyncSession, fingerprint: Fingerprint
) -> None:
    before = await fingerprint()
    cases: list[tuple[dict[str, object], str]] = [
        ({"period_end": "2023-12-31"}, "period_end"),
        ({"due_on": "2025-03-01"}, "due_on"),
        ({"value": None, "min_value": 5, "max_value": 2}, "min_value"),
        ({"scope": "organization"}, "organization_id"),
        ({"scope": "organization", "organization_id": 99999}, "organization_id"),
    ]
    for overrides, field in cases:
        response = await editor.post(TARGETS, json=target_body(**overrides))
        assert response.status_code == 422, (overrides, response.text)
        assert response.json()["errors"][0]["loc"][-1] == field, overrides
    both = await editor.post(TARGETS, json=target_body(min_value=1, max_value=3))
    assert both.status_code == 422
    zero = await editor.post(TARGETS, json=target_body(value=0))
    assert zero.status_code == 422
    assert await fingerprint() == before


async def test_range_target_and_attainment_list(
    editor: httpx.AsyncClient, viewer: httpx.AsyncClient, session: AsyncSession
) -> None:
    await build_world(session)
    for code, day in (("N1", "2021-05-01"), ("N2", "2022-07-01"), ("N3", "2023-09-01")):
        response = await editor.post(
            "/api/v1/industrial-zones",
            json={"code": code, "name": f"KCN {code}", "status": "planned", "established_on": day},
        )
        assert response.status_code == 201, response.text
    zones = await create(
        editor,
        metric="industrial_zones_established",
        value=None,
        min_value=2,
        max_value=5,
        period_start="2020-08-01",
        period_end="2025-07-31",
        name="KCN mới nhiệm kỳ",
    )
    listed = await viewer.get("/api/v1/attainment", params={"as_of": "2024-06-30"})
    assert listed.status_code == 200
    [row] = [a for a in listed.json()["items"] if a["target_id"] == zones["id"]]
    assert (row["actual"], row["within_range"], row["status"]) == (3, True, "achieved")
    assert (row["percent"], row["percent_of_max"]) == (150.0, 60.0)
    old = await create(editor, period_start="2023-01-01", period_end="2023-12-31")
    ids = {
        a["target_id"]
        for a in (await viewer.get("/api/v1/attainment", params={"as_of": "2024-06-30"})).json()[
            "items"
        ]
    }
    assert old["id"] not in ids


async def test_viewer_cannot_set_targets(viewer: httpx.AsyncClient) -> None:
    assert (await viewer.post(TARGETS, json=target_body())).status_code == 403


async def test_patch_switches_between_a_value_and_a_range_under_an_etag(
    editor: httpx.AsyncClient,
) -> None:
    created = await editor.post(TARGETS, json=target_body())
    url = f"{TARGETS}/{created.json()['id']}"
    ranged = await editor.patch(
        url, json={"min_value": 2, "max_value": 6}, headers={"If-Match": created.headers["ETag"]}
    )
    assert ranged.status_code == 200, ranged.text
    assert (ranged.json()["value"], ranged.json()["min_value"]) == (None, 2)
    assert ranged.headers["ETag"] != created.headers["ETag"]
    stale = await editor.patch(
        url, json={"value": 3}, headers={"If-Match": created.headers["ETag"]}
    )
    assert stale.status_code == 412
    valued = await editor.patch(
        url, json={"value": 3}, headers={"If-Match": ranged.headers["ETag"]}
    )
    assert valued.status_code == 200, valued.text
    assert [valued.json()[k] for k in ("value", "min_value", "max_value")] == [3, None, None]


async def test_patch_with_null_for_a_required_field_is_a_validation_error(
    editor: httpx.AsyncClient, fingerprint: Fingerprint
) -> None:
    target = await create(editor)
    before = await fingerprint()
    for field in ("name", "period_start", "period_end"):
        response = await editor.patch(f"{TARGETS}/{target['id']}", json={field: None})
        assert response.status_code == 422, response.text
        assert response.json()["code"] == "validation_error"
        assert response.json()["errors"][0]["loc"] == ["body", field]
    assert await fingerprint() == before
