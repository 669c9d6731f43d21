"""Organization structure, establishment and dissolution rules, and derived counts and flags."""

import datetime as dt

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.dates import today
from tests.factories import add_enterprise
from tests.fixtures.db import Fingerprint
from tests.members.world import admit, build_world, new_candidate, with_probationary_member
from tests.problems import assert_problem

ORGS = "/api/v1/organizations"


def org_body(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "name": "Chi bộ Công ty TNHH Hàn Việt",
        "kind": "grassroots_cell",
        "established_on": "2024-03-01",
        "decision_no": "45-QĐ/ĐU",
    }
    body.update(overrides)
    return body


async def test_grassroots_cell_in_an_enterprise_is_established(
    editor: httpx.AsyncClient, session: AsyncSession
) -> None:
    world = await build_world(session)
    response = await editor.post(ORGS, json=org_body(enterprise_id=world.fdi.id))
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["sector"], body["is_active"], body["official_members"]) == ("fdi", True, 0)
    assert body["flags"] == ["below_minimum_official"]


async def test_affiliated_cell_needs_a_committee_parent(
    editor: httpx.AsyncClient, session: AsyncSession, fingerprint: Fingerprint
) -> None:
    world = await build_world(session)
    before = await fingerprint()
    no_parent = await editor.post(ORGS, json=org_body(kind="affiliated_cell"))
    assert no_parent.status_code == 422
    assert no_parent.json()["errors"][0]["loc"] == ["body", "parent_id"]
    cell_parent = await editor.post(
        ORGS, json=org_body(kind="affiliated_cell", parent_id=world.cell.id)
    )
    assert cell_parent.status_code == 422
    grassroots_with_parent = await editor.post(ORGS, json=org_body(parent_id=world.committee.id))
    assert grassroots_with_parent.status_code == 422
    assert await fingerprint() == before
    ok = await editor.post(
        ORGS, json=org_body(kind="affiliated_cell", parent_id=world.committee.id)
    )
    assert ok.status_code == 201, ok.text


async def test_second_active_grassroots_organization_in_an_enterprise_is_a_conflict(
    editor: httpx.AsyncClient, session: AsyncSession, fingerprint: Fingerprint
) -> None:
    world = await build_world(session)
    before = await fingerprint()
    response = await editor.post(ORGS, json=org_body(enterprise_id=world.domestic.id))
    assert response.status_code == 409
    assert response.json()["errors"][0]["loc"] == ["body", "enterprise_id"]
    assert await fingerprint() == before


async def test_establishment_in_the_future_is_rejected(
    editor: httpx.AsyncClient, session: AsyncSession, fingerprint: Fingerprint
) -> None:
    await build_world(session)
    before = await fingerprint()
    tomorrow = (today() + dt.timedelta(days=1)).isoformat()
    response = await editor.post(ORGS, json=org_body(established_on=tomorrow))
    assert response.status_code == 422
    assert response.json()["code"] == "date_in_future"
    assert await fingerprint() == before


async def test_unknown_enterprise_is_a_422_on_that_field(
    editor: httpx.AsyncClient, session: AsyncSession
) -> None:
    response = await editor.post(ORGS, json=org_body(enterprise_id=424242))
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "enterprise_id"]


async def test_dissolving_with_active_members_is_a_conflict(
    editor: httpx.AsyncClient, session: AsyncSession, fingerprint: Fingerprint
) -> None:
    world, _member = await with_probationary_member(session, editor)
    before = await fingerprint()
    response = await editor.post(
        f"{ORGS}/{world.cell.id}/dissolve", json={"dissolved_on": "2024-01-01", "reason": "x"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "has_active_members"
    assert await fingerprint() == before


async def test_dissolving_a_committee_with_active_cells_is_a_conflict(
    editor: httpx.AsyncClient, session: AsyncSession, fingerprint: Fingerprint
) -> None:
    world = await build_world(session)
    before = await fingerprint()
    response = await editor.post(
        f"{ORGS}/{world.committee.id}/dissolve", json={"dissolved_on": "2024-01-01", "reason": "x"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "has_active_cells"
    assert await fingerprint() == before


async def test_dissolved_organization_keeps_its_history(
    editor: httpx.AsyncClient, session: AsyncSession
) -> None:
    world, member = await with_probationary_member(session, editor)
    moved = await editor.post(
        f"/api/v1/members/{member['id']}/transfer",
        json={"on": "2024-02-01", "to_organization_id": world.committee.id},
    )
    assert moved.status_code == 200, moved.text
    early = await editor.post(
        f"{ORGS}/{world.cell.id}/dissolve", json={"dissolved_on": "2024-01-01", "reason": "x"}
    )
    assert early.status_code == 422
    dissolved = await editor.post(
        f"{ORGS}/{world.cell.id}/dissolve",
        json={"dissolved_on": "2024-03-01", "reason": "Sáp nhập", "decision_no": "9-QĐ/ĐU"},
    )
    assert dissolved.status_code == 200, dissolved.text
    assert dissolved.json()["is_active"] is False
    again = await editor.post(
        f"{ORGS}/{world.cell.id}/dissolve", json={"dissolved_on": "2024-03-02", "reason": "x"}
    )
    assert again.status_code == 409
    on_jan = (await editor.get(ORGS, params={"as_of": "2024-01-15"})).json()["items"]
    cell = next(o for o in on_jan if o["id"] == world.cell.id)
    assert cell["probationary_members"] == 1
    on_apr = (await editor.get(ORGS, params={"as_of": "2024-04-01"})).json()["items"]
    assert world.cell.id not in [o["id"] for o in on_apr]


async def test_establishment_date_edits_keep_the_history(
    editor: httpx.AsyncClient, session: AsyncSession, fingerprint: Fingerprint
) -> None:
    world, _member = await with_probationary_member(session, editor)
    before = await fingerprint()
    later = await editor.patch(f"{ORGS}/{world.cell.id}", json={"established_on": "2023-07-01"})
    assert_problem(later, 422, "rule_violation")
    assert later.json()["errors"][0]["loc"] == ["body", "established_on"]
    # A required field sent as null is refused like any invalid body (it used to be a
    # rule_violation "... cannot be removed" from the service).
    for field in ("name", "established_on"):
        removed = await editor.patch(f"{ORGS}/{world.cell.id}", json={field: None})
        assert_problem(removed, 422, "validation_error")
    assert await fingerprint() == before
    earlier = await editor.patch(
        f"{ORGS}/{world.cell.id}", json={"established_on": "2010-01-01", "name": "Chi bộ A"}
    )
    assert earlier.status_code == 200, earlier.text
    assert (earlier.json()["established_on"], earlier.json()["name"]) == ("2010-01-01", "Chi bộ A")


async def test_committee_counts_include_affiliated_cells_and_flags_follow(
    editor: httpx.AsyncClient, session: AsyncSession
) -> None:
    world = await build_world(session)
    for n in range(3):
        member = await new_candidate(editor, name=f"Đảng viên {n}")
        await admit(editor, member["id"], world.cell.id, "2023-06-01")
        await editor.post(
            f"/api/v1/members/{member['id']}/recognize", json={"recognized_on": "2024-06-03"}
        )
    committee = (await editor.get(f"{ORGS}/{world.committee.id}")).json()
    assert (committee["official_members"], committee["affiliated_cells"]) == (3, 1)
    assert committee["flags"] == []
    before = (await editor.get(ORGS, params={"as_of": "2024-06-02"})).json()["items"]
    cell = next(o for o in before if o["id"] == world.cell.id)
    assert (cell["official_members"], cell["probationary_members"]) == (0, 3)
    assert cell["flags"] == ["below_minimum_official"]


async def test_large_cell_suggests_a_committee(
    editor: httpx.AsyncClient, session: AsyncSession
) -> None:
    world = await build_world(session)
    cell = await editor.post(ORGS, json=org_body(enterprise_id=world.fdi.id))
    for n in range(30):
        member = await new_candidate(editor, name=f"Công nhân {n}")
        assert (
            await admit(editor, member["id"], cell.json()["id"], "2024-05-01")
        ).status_code == 200
    body = (await editor.get(f"{ORGS}/{cell.json()['id']}")).json()
    assert body["probationary_members"] == 30
    assert "size_suggests_committee" in body["flags"]


async def test_organization_filters(editor: httpx.AsyncClient, session: AsyncSession) -> None:
    world = await build_world(session)
    other = await add_enterprise(
        session, world.zone, ownership="state", name="Tổng công ty Nhà nước"
    )
    await session.commit()
    state_org = await editor.post(
        ORGS,
        json=org_body(
            enterprise_id=other.id, name="Đảng bộ Tổng công ty", kind="grassroots_committee"
        ),
    )
    outside = await editor.post(ORGS, json=org_body(name="Chi bộ Cơ quan Đảng ủy"))

    async def ids(**params: str | int | bool) -> set[int]:
        response = await editor.get(ORGS, params=params)
        assert response.status_code == 200, response.text
        return {o["id"] for o in response.json()["items"]}

    assert await ids(sector="state") == {state_org.json()["id"]}
    assert await ids(sector="none") == {outside.json()["id"]}
    assert await ids(kind="affiliated_cell") == {world.cell.id}
    assert await ids(parent_id=world.committee.id) == {world.cell.id}
    assert await ids(zone_id=world.zone.id) == {
        world.committee.id,
        world.cell.id,
        state_org.json()["id"],
    }
    assert await ids(active_on="2010-05-15") == {world.committee.id}
    assert await ids(q="co quan dang uy") == {outside.json()["id"]}


async def test_organization_list_issues_a_bounded_number_of_statements(
    editor: httpx.AsyncClient, session: AsyncSession, statements: object
) -> None:
    from tests.fixtures.db import StatementCounter

    assert isinstance(statements, StatementCounter)
    world = await build_world(session)
    for n in range(12):
        enterprise = await add_enterprise(session, world.zone)
        await session.commit()
        org = await editor.post(
            ORGS, json=org_body(enterprise_id=enterprise.id, name=f"Chi bộ {n}")
        )
        member = await new_candidate(editor, name=f"Người {n}")
        await admit(editor, member["id"], org.json()["id"], "2024-05-01")
    statements.reset()
    assert len((await editor.get(ORGS, params={"limit": 3})).json()["items"]) == 3
    small = statements.count
    statements.reset()
    assert len((await editor.get(ORGS, params={"limit": 14})).json()["items"]) == 14
    assert statements.count == small
