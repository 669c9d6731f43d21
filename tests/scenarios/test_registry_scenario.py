"""Scenario: a Korean-owned enterprise with no party organization gets three members of its own —
trained, admitted into another enterprise's affiliated cell, recognized a year later, then moved
into a new grassroots cell of their own — walked through the API as a client would, with the
current figures and the `as_of` views checked before and after each step."""

from typing import Any

import httpx

from tests.scenarios.api import counts, created, done, got, members_on, organizations_on

# The story's dates, oldest first; today is later than all of them.
REGISTERED = "2022-09-01"
CLASS_STARTS, CLASS_ENDS = "2022-10-10", "2022-10-14"
DOSSIER = "2022-11-01"
ADMITTED = "2023-03-15"
RECOGNIZED = "2024-03-15"  # admission + 12 months, the first day allowed
NEW_CELL = "2025-06-02"
TRANSFERRED = "2025-06-10"


async def test_korean_enterprise_grows_its_own_cell_from_three_trained_candidates(
    editor: httpx.AsyncClient, viewer: httpx.AsyncClient
) -> None:
    # The registry: a zone, a Korean-owned enterprise without any party organization, and a
    # domestic one whose grassroots committee has an affiliated cell with two veterans.
    zone = await created(
        editor,
        "/industrial-zones",
        {"code": "KCN-SCN", "name": "KCN Scenario", "established_on": "2005-01-01"},
    )
    korean = await created(
        editor,
        "/enterprises",
        {
            "tax_code": "0107770001",
            "name": "Công ty TNHH Hanvina Electronics Việt Nam",
            "foreign_name": "Hanvina Electronics Vietnam Co., Ltd.",
            "zone_id": zone["id"],
            "ownership": "fdi",
            "investor_country": "KR",
            "workers_count": 1800,
        },
    )
    domestic = await created(
        editor,
        "/enterprises",
        {
            "tax_code": "0107770002",
            "name": "Công ty Cổ phần Cơ khí Thăng Long",
            "zone_id": zone["id"],
            "ownership": "domestic_private",
            "workers_count": 900,
        },
    )
    assert korean["party_organization_id"] is None
    assert korean["official_members"] == 0
    committee = await created(
        editor,
        "/organizations",
        {
            "name": "Đảng bộ Công ty Cổ phần Cơ khí Thăng Long",
            "kind": "grassroots_committee",
            "enterprise_id": domestic["id"],
            "established_on": "2010-05-01",
        },
    )
    cell = await created(
        editor,
        "/organizations",
        {
            "name": "Chi bộ Phân xưởng Lắp ráp",
            "kind": "affiliated_cell",
            "parent_id": committee["id"],
            "enterprise_id": domestic["id"],
            "established_on": "2010-06-01",
        },
    )
    veterans = [
        await created(
            editor,
            "/members/transfer-in",
            {
                "full_name": name,
                "gender": "male",
                "date_of_birth": "1975-02-03",
                "enterprise_id": domestic["id"],
                "status": "official",
                "admitted_on": "2000-05-19",
                "recognized_on": "2001-05-19",
                "organization_id": cell["id"],
                "transferred_on": "2011-01-10",
                "origin": "Đảng bộ phường Cầu Diễn",
            },
        )
        for name in ("Trần Văn Bình", "Lê Quang Cường")
    ]
    veteran_ids = {v["id"] for v in veterans}
    assert await counts(editor, cell["id"]) == (2, 0, ["below_minimum_official"])

    # Three candidates employed by the Korean enterprise, their dossiers started, trained.
    names = ("Nguyễn Thị Hoa", "Phạm Minh Tuấn", "Đỗ Thu Trang")
    three = []
    for index, name in enumerate(names):
        candidate = await created(
            editor,
            "/members",
            {
                "full_name": name,
                "gender": "female" if index != 1 else "male",
                "date_of_birth": f"199{index + 2}-04-12",
                "enterprise_id": korean["id"],
                "position": "Ủy viên Ban chấp hành công đoàn",
                "source_group": "union_committee",
                "registered_on": REGISTERED,
                "phone": f"0912 345 67{index}",
                "email": f"candidate{index}@hanvina.example",
            },
        )
        assert candidate["status"] == "candidate"
        assert candidate["organization_id"] is None
        three.append(candidate)
    ids = [c["id"] for c in three]
    awareness = await created(
        editor,
        "/training-classes",
        {
            "title": "Lớp bồi dưỡng nhận thức về Đảng khóa III/2022",
            "starts_on": CLASS_STARTS,
            "ends_on": CLASS_ENDS,
        },
    )
    for member_id in ids:
        await created(
            editor,
            f"/training-classes/{awareness['id']}/attendees",
            {"member_id": member_id, "completed": True},
        )
    trained = await got(editor, f"/training-classes/{awareness['id']}")
    assert (trained["attendees_count"], trained["completed_count"]) == (3, 3)
    for member_id in ids:
        member = await done(editor, f"/members/{member_id}/dossier", {"started_on": DOSSIER})
        assert member["dossier_started_on"] == DOSSIER
    employed = await got(editor, f"/enterprises/{korean['id']}")
    assert (employed["candidates"], employed["official_members"]) == (3, 0)

    # Admitted into the committee's affiliated cell; a year later recognized as official.
    for member_id in ids:
        admitted = await done(
            editor,
            f"/members/{member_id}/admit",
            {"admitted_on": ADMITTED, "organization_id": cell["id"], "decision_no": "31-QĐ/ĐU"},
        )
        assert admitted["status"] == "probationary"
        assert admitted["probation_ends_on"] == RECOGNIZED
    assert await counts(editor, cell["id"]) == (2, 3, ["below_minimum_official"])
    for member_id in ids:
        official = await done(
            editor, f"/members/{member_id}/recognize", {"recognized_on": RECOGNIZED}
        )
        assert official["status"] == "official"
        assert official["probation_ends_on"] is None
    assert await counts(editor, cell["id"]) == (5, 0, [])
    assert await counts(editor, committee["id"]) == (5, 0, [])

    # The Korean enterprise employs three official members and still has no organization.
    ready = await got(editor, f"/enterprises/{korean['id']}")
    assert ready["official_members"] == 3
    assert (ready["probationary_members"], ready["candidates"]) == (0, 0)
    assert ready["party_organization_id"] is None
    unorganized = await got(editor, "/enterprises", zone_id=zone["id"], has_organization="false")
    assert [e["id"] for e in unorganized["items"]] == [korean["id"]]

    # A grassroots cell is established there and the three are transferred into it.
    own = await created(
        editor,
        "/organizations",
        {
            "name": "Chi bộ Công ty TNHH Hanvina Electronics Việt Nam",
            "kind": "grassroots_cell",
            "enterprise_id": korean["id"],
            "established_on": NEW_CELL,
            "decision_no": "88-QĐ/ĐU",
        },
    )
    assert (own["official_members"], own["flags"]) == (0, ["below_minimum_official"])
    for member_id in ids:
        moved = await done(
            editor,
            f"/members/{member_id}/transfer",
            {"on": TRANSFERRED, "to_organization_id": own["id"]},
        )
        assert (moved["status"], moved["organization_id"]) == ("official", own["id"])

    # Today: the old cell and its committee drop to the veterans, the new cell stands on its own.
    assert await counts(editor, cell["id"]) == (2, 0, ["below_minimum_official"])
    assert await counts(editor, committee["id"]) == (2, 0, ["below_minimum_official"])
    assert await counts(editor, own["id"]) == (3, 0, [])
    organized = await got(editor, f"/enterprises/{korean['id']}")
    assert organized["party_organization_id"] == own["id"]
    assert organized["official_members"] == 3
    unorganized = await got(editor, "/enterprises", zone_id=zone["id"], has_organization="false")
    assert unorganized["items"] == []
    in_own = await got(editor, "/members", organization_id=own["id"])
    assert {m["id"] for m in in_own["items"]} == set(ids)
    in_committee = await got(
        editor, "/members", organization_id=committee["id"], include_affiliated="true"
    )
    assert {m["id"] for m in in_committee["items"]} == veteran_ids

    await _check_as_of(editor, zone["id"], ids, veteran_ids, committee, cell, own)
    await _check_history(editor, ids)
    await _check_viewer(editor, viewer, own["id"], ids)


async def _check_as_of(
    client: httpx.AsyncClient,
    zone_id: int,
    ids: list[int],
    veteran_ids: set[int],
    committee: dict[str, Any],
    cell: dict[str, Any],
    own: dict[str, Any],
) -> None:
    """Who and what was there on dates before, on and after each step."""
    korean = {"enterprise_id": (await got(client, f"/members/{ids[0]}"))["enterprise_id"]}
    c, a, o = committee["id"], cell["id"], own["id"]
    veterans = dict.fromkeys(veteran_ids, ("official", a))

    # Before they were registered: nobody from the Korean enterprise is in the records.
    assert await members_on(client, "2022-08-31", **korean) == {}
    assert await members_on(client, "2022-08-31", organization_id=a) == veterans
    # Registered, trained, dossiers started, not yet admitted: candidates in no organization.
    for day in (REGISTERED, "2023-01-01", "2023-03-14"):
        assert await members_on(client, day, **korean) == dict.fromkeys(ids, ("candidate", None))
        assert await members_on(client, day, organization_id=a) == veterans
        candidates = await members_on(client, day, status="candidate", **korean)
        assert candidates.keys() == set(ids)
    # From the admission day to the day before recognition: probationary in the affiliated cell.
    probationers = dict.fromkeys(ids, ("probationary", a))
    for day in (ADMITTED, "2023-09-01", "2024-03-14"):
        assert await members_on(client, day, organization_id=a) == veterans | probationers
        assert await members_on(client, day, status="candidate", **korean) == {}
        assert await members_on(client, day, organization_id=c, include_affiliated="true") == (
            veterans | probationers
        )
        assert await members_on(client, day, organization_id=c) == {}
        organizations = await organizations_on(client, day, zone_id)
        assert organizations == {
            c: (2, 3, ["below_minimum_official"]),
            a: (2, 3, ["below_minimum_official"]),
        }
    # Recognized, before the new cell: five officials in the affiliated cell, no new cell yet.
    officials = dict.fromkeys(ids, ("official", a))
    for day in (RECOGNIZED, "2024-12-01", "2025-06-01"):
        assert await members_on(client, day, organization_id=a) == veterans | officials
        assert await organizations_on(client, day, zone_id) == {c: (5, 0, []), a: (5, 0, [])}
    # The new cell exists but is empty until the transfer.
    for day in (NEW_CELL, "2025-06-09"):
        assert await members_on(client, day, organization_id=o) == {}
        assert await organizations_on(client, day, zone_id) == {
            c: (5, 0, []),
            a: (5, 0, []),
            o: (0, 0, ["below_minimum_official"]),
        }
    # From the transfer on: the three are in their own cell, the veterans stay behind.
    for day in (TRANSFERRED, "2025-12-31"):
        assert await members_on(client, day, organization_id=o) == dict.fromkeys(
            ids, ("official", o)
        )
        assert await members_on(client, day, organization_id=a) == veterans
        assert await members_on(client, day, organization_id=c, include_affiliated="true") == (
            veterans
        )
        assert await organizations_on(client, day, zone_id) == {
            c: (2, 0, ["below_minimum_official"]),
            a: (2, 0, ["below_minimum_official"]),
            o: (3, 0, []),
        }


async def _check_history(client: httpx.AsyncClient, ids: list[int]) -> None:
    expected = ["registered", "dossier_started", "admitted", "recognized", "transferred"]
    for member_id in ids:
        events = (await got(client, f"/members/{member_id}/events"))["items"]
        assert [e["kind"] for e in events] == expected
        assert [e["occurred_on"] for e in events] == [
            REGISTERED,
            DOSSIER,
            ADMITTED,
            RECOGNIZED,
            TRANSFERRED,
        ]
        assert [e["status_after"] for e in events] == [
            "candidate",
            "candidate",
            "probationary",
            "official",
            "official",
        ]
        assert events[-1]["from_organization_id"] == events[2]["organization_id"]
        assert events[-1]["organization_id"] != events[2]["organization_id"]


async def _check_viewer(
    editor: httpx.AsyncClient, viewer: httpx.AsyncClient, own_id: int, ids: list[int]
) -> None:
    """A viewer reads the same members, without their personal data."""
    personal = ("date_of_birth", "phone", "email")
    for params in ({"organization_id": own_id}, {"organization_id": own_id, "as_of": "2025-07-01"}):
        as_editor = (await got(editor, "/members", **params))["items"]
        as_viewer = (await got(viewer, "/members", **params))["items"]
        assert [m["id"] for m in as_viewer] == [m["id"] for m in as_editor]
        assert {m["id"] for m in as_viewer} == set(ids)
        for seen, full in zip(as_viewer, as_editor, strict=True):
            assert all(full[field] is not None for field in personal)
            assert all(seen.get(field) is None for field in personal)
            public = {k: v for k, v in full.items() if k not in personal}
            assert {k: v for k, v in seen.items() if k not in personal} == public
    one = await got(viewer, f"/members/{ids[0]}")
    assert all(one.get(field) is None for field in personal)
    events = await got(viewer, f"/members/{ids[0]}/events")
    assert len(events["items"]) == 5
