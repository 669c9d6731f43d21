"""Scenario: three working groups share the nine zones, log visits over months, and one Korean
enterprise goes from first visit to a party cell credited to its group — walked through the API
as a client would, with the pipeline, summary and as-of views checked at each step."""

from typing import Any

import httpx

from app.models import Role
from tests.fixtures.auth import ClientFactory, UserFactory

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


async def test_three_groups_win_a_korean_enterprise_over_two_years(
    editor: httpx.AsyncClient,
    viewer: httpx.AsyncClient,
    make_user: UserFactory,
    client_as: ClientFactory,
) -> None:
    # The registry: nine zones, two enterprises in each, a grassroots committee in one of them.
    zones = [
        await created(
            editor,
            "/industrial-zones",
            {"code": f"KCN-{n}", "name": f"KCN số {n}", "established_on": "2000-01-01"},
        )
        for n in range(1, 10)
    ]
    enterprises: dict[int, list[dict[str, Any]]] = {}
    for n, zone in enumerate(zones, start=1):
        enterprises[zone["id"]] = [
            await created(
                editor,
                "/enterprises",
                {
                    "tax_code": f"01{n:02d}00000{k}",
                    "name": f"Công ty {n}-{k}",
                    "zone_id": zone["id"],
                    "ownership": "domestic_private",
                    "workers_count": 100 * n + k,
                    "registered_on": "2015-01-01",
                },
            )
            for k in (1, 2)
        ]
    korean = await created(
        editor,
        "/enterprises",
        {
            "tax_code": "0109999999",
            "name": "Công ty TNHH Samil Vina",
            "foreign_name": "Samil Vina Co., Ltd.",
            "zone_id": zones[0]["id"],
            "ownership": "fdi",
            "investor_country": "KR",
            "workers_count": 2500,
            "has_trade_union": True,
            "registered_on": "2015-01-01",
        },
    )
    contacts = {
        role: await created(
            editor,
            f"/enterprises/{korean['id']}/contacts",
            {"full_name": name, "role": role, "preferred_language": language},
        )
        for role, name, language in (
            ("owner", "Park Ji-hoon", "ko"),
            ("hr_director", "Nguyễn Thị Lan", "vi"),
            ("union_chair", "Trần Văn Hùng", "vi"),
        )
    }
    committee_home = enterprises[zones[1]["id"]][0]
    committee = await created(
        editor,
        "/organizations",
        {
            "name": "Đảng bộ Công ty 2-1",
            "kind": "grassroots_committee",
            "enterprise_id": committee_home["id"],
            "established_on": "2015-05-01",
        },
    )

    # Three working groups, three zones each, each led by a Standing Committee member.
    leaders = [await make_user(Role.GROUP_LEADER) for _ in range(3)]
    groups = [client_as(leader) for leader in leaders]
    campaigns = [
        await created(
            editor,
            "/campaigns",
            {
                "name": f"Đoàn công tác số {g + 1}",
                "leader_id": leaders[g].id,
                "members": [{"full_name": f"Thành viên {g + 1}", "role": "Thành viên"}],
                "zone_ids": [zone["id"] for zone in zones[3 * g : 3 * g + 3]],
                "starts_on": "2024-01-01",
                "ends_on": "2025-12-31",
                "status": "active",
            },
        )
        for g in range(3)
    ]
    first = campaigns[0]
    activities = [f"/campaigns/{c['id']}/activities" for c in campaigns]

    # Each group visits owners, HR directors and union chairs of its zones over the months.
    for g, campaign in enumerate(campaigns):
        for m, role in enumerate(("owner", "hr_director", "union_chair")):
            zone_id = campaign["zone_ids"][m]
            await created(
                groups[g],
                activities[g],
                {
                    "enterprise_id": enterprises[zone_id][1]["id"],
                    "occurred_on": f"2024-{3 * m + 2:02d}-15",
                    "kind": "visit",
                    "contact_role": role,
                    "outcome": "no_response" if m < 2 else "declined",
                },
            )
    # A group leader cannot log in another group's campaign.
    elsewhere = await groups[1].post(
        f"{API}{activities[0]}",
        json={
            "enterprise_id": korean["id"],
            "occurred_on": "2024-02-05",
            "kind": "visit",
            "contact_role": "owner",
            "outcome": "agreed",
        },
    )
    assert elsewhere.status_code == 403

    pipeline = f"/campaigns/{first['id']}/pipeline"
    summary = f"/campaigns/{first['id']}/summary"

    async def korean_on(day: str) -> dict[str, Any]:
        entries = (await got(viewer, pipeline, as_of=day, limit=500))["items"]
        [entry] = [e for e in entries if e["enterprise_id"] == korean["id"]]
        return dict(entry)

    before = await korean_on("2024-02-01")
    assert (before["stage"], before["last_contact_on"]) == ("not_contacted", None)
    assert before["suggested_language"] == "ko"

    # Contacted: the owner does not answer.
    await created(
        groups[0],
        activities[0],
        {
            "enterprise_id": korean["id"],
            "occurred_on": "2024-02-05",
            "kind": "visit",
            "contact_id": contacts["owner"]["id"],
            "material_language": "ko",
            "outcome": "no_response",
            "follow_up_on": "2024-03-01",
        },
    )
    contacted = await korean_on("2024-02-10")
    assert (contacted["stage"], contacted["last_contact_on"]) == ("contacted", "2024-02-05")
    assert (contacted["next_follow_up_on"], contacted["contact_roles_met"]) == (
        "2024-03-01",
        ["owner"],
    )
    assert (await got(viewer, summary, as_of="2024-03-05"))["overdue_follow_ups"] == 1

    # Receptive: the HR director and the union chair will put candidates forward.
    for role, outcome, day in (
        ("hr_director", "receptive", "2024-03-12"),
        ("union_chair", "receptive", "2024-04-02"),
    ):
        await created(
            groups[0],
            activities[0],
            {
                "enterprise_id": korean["id"],
                "occurred_on": day,
                "kind": "meeting",
                "contact_id": contacts[role]["id"],
                "outcome": outcome,
                "follow_up_on": "2024-05-20",
            },
        )
    receptive = await korean_on("2024-04-10")
    assert receptive["stage"] == "receptive"
    assert receptive["contact_roles_met"] == ["hr_director", "owner", "union_chair"]

    # Agreed: the owner allows a party organization.
    await created(
        groups[0],
        activities[0],
        {
            "enterprise_id": korean["id"],
            "occurred_on": "2024-05-20",
            "kind": "meeting",
            "contact_id": contacts["owner"]["id"],
            "material_language": "ko",
            "outcome": "agreed",
        },
    )
    agreed_view = (await got(viewer, pipeline, as_of="2024-06-01"))["items"]
    assert (agreed_view[0]["enterprise_id"], agreed_view[0]["stage"]) == (korean["id"], "agreed")
    assert (agreed_view[0]["official_members"], agreed_view[0]["ready"]) == (0, False)
    assert committee_home["id"] not in {e["enterprise_id"] for e in agreed_view}
    mid = await got(viewer, summary, as_of="2024-06-01")
    assert (mid["enterprises_assigned"], mid["contacted"], mid["agreed"]) == (7, 3, 1)
    assert (mid["overdue_follow_ups"], mid["organizations_established"]) == (0, 0)

    # Its three candidates are admitted into the committee elsewhere, then recognized.
    candidates = [
        await created(
            editor,
            "/members",
            {
                "full_name": name,
                "gender": "female",
                "date_of_birth": "1994-08-20",
                "enterprise_id": korean["id"],
                "source_group": group,
                "registered_on": "2024-04-15",
                "dossier_started_on": "2024-04-20",
            },
        )
        for name, group in (
            ("Nguyễn Thị Lan", "manager"),
            ("Trần Văn Hùng", "union_committee"),
            ("Lê Thị Mai", "youth_committee"),
        )
    ]
    for candidate in candidates:
        await done(
            editor,
            f"/members/{candidate['id']}/admit",
            {"admitted_on": "2024-06-10", "organization_id": committee["id"]},
        )
    probation = await korean_on("2024-07-01")
    assert (probation["official_members"], probation["ready"]) == (0, False)
    for candidate in candidates:
        await done(editor, f"/members/{candidate['id']}/recognize", {"recognized_on": "2025-06-10"})
    ready = await korean_on("2025-06-15")
    assert (ready["stage"], ready["official_members"], ready["ready"]) == ("agreed", 3, True)

    # The cell is established with the group credited; the three move into it.
    cell = await created(
        editor,
        "/organizations",
        {
            "name": "Chi bộ Công ty TNHH Samil Vina",
            "kind": "grassroots_cell",
            "enterprise_id": korean["id"],
            "established_on": "2025-07-01",
            "decision_no": "88-QĐ/ĐU",
            "campaign_id": first["id"],
        },
    )
    for candidate in candidates:
        await done(
            editor,
            f"/members/{candidate['id']}/transfer",
            {"on": "2025-07-01", "to_organization_id": cell["id"]},
        )
    established = await korean_on("2025-07-15")
    assert (established["stage"], established["organization_id"]) == ("established", cell["id"])
    assert (established["official_members"], established["ready"]) == (3, False)
    assert (await korean_on("2025-06-30"))["stage"] == "agreed"
    final = await got(viewer, summary, as_of="2025-07-15")
    assert (final["organizations_established"], final["organizations_credited"]) == (1, 1)
    assert (final["contacted"], final["agreed"], final["conversion_rate"]) == (4, 1, 25.0)
    assert sum(month["count"] for month in final["activities_per_month"]) == 7
    assert [m["count"] for m in final["activities_per_month"][:8]] == [0, 2, 1, 1, 2, 0, 0, 1]
    today_view = await got(viewer, pipeline, stage="established")
    assert [e["enterprise_id"] for e in today_view["items"]] == [korean["id"]]

    # The other groups' results are their own.
    for campaign in campaigns[1:]:
        other = await got(viewer, f"/campaigns/{campaign['id']}/summary", as_of="2025-07-15")
        assert (other["enterprises_assigned"], other["contacted"], other["declined"]) == (6, 3, 1)
        assert (other["organizations_established"], other["organizations_credited"]) == (0, 0)
        entries = (await got(viewer, f"/campaigns/{campaign['id']}/pipeline"))["items"]
        assert korean["id"] not in {e["enterprise_id"] for e in entries}
        assert len(entries) == 6
