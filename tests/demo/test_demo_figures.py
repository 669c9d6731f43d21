"""The demo dataset reproduces every reference fact of docs/domain.md, read through the API, and the
downloads hold the same numbers as the JSON."""

from typing import Any

import httpx

from app.demo import seed_if_empty
from tests.reports.files import csv_table, xlsx_tables

PERIOD = {"as_of": "2024-06-30", "period_start": "2024-01-01", "period_end": "2024-06-30"}


async def overview(client: httpx.AsyncClient, **params: str) -> dict[str, Any]:
    response = await client.get("/api/v1/reports/overview", params=PERIOD | params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def by_name(targets: list[dict[str, Any]], fragment: str) -> dict[str, Any]:
    [target] = [t for t in targets if fragment in t["name"]]
    return target


async def test_overview_reproduces_the_reference_facts(demo_client: httpx.AsyncClient) -> None:
    figures = await overview(demo_client)
    assert figures["zones"]["operating"] == 9
    enterprises = figures["enterprises"]
    assert enterprises["total"] == 700
    assert enterprises["workers"] == 160_000
    assert sum(z["enterprises"] for z in enterprises["by_zone"]) == 700
    organizations = figures["organizations"]
    assert organizations["grassroots"] == 100
    assert organizations["grassroots_committees"] == 10
    assert organizations["grassroots_cells"] == 90
    assert organizations["in_non_state_enterprises"] == 98
    assert organizations["in_fdi_enterprises"] == 52
    assert organizations["established_in_period"] == 5
    members = figures["members"]
    assert members["total"] == 1461
    assert members["official"] + members["probationary"] == 1461
    assert members["admitted_in_period"] == 79
    candidates = figures["candidates"]
    assert candidates["dossiers_in_progress"] > 130
    assert candidates["classes_in_period"] == 2
    assert 190 <= candidates["trained_in_period"] < 200
    investment = figures["investment"]
    assert (investment["new_projects"], investment["new_fdi_projects"]) == (6, 5)
    assert investment["new_fdi_capital_usd"] == 96_200_000
    assert investment["active_projects"] == 726
    assert 9.0e9 <= investment["active_capital_usd"] <= 9.2e9


async def test_targets_in_force_give_the_published_percentages(
    demo_client: httpx.AsyncClient,
) -> None:
    targets = (await overview(demo_client))["targets"]
    organizations_2024 = by_name(targets, "Thành lập tổ chức cơ sở đảng năm 2024")
    assert (organizations_2024["actual"], organizations_2024["target"]) == (5, 5)
    assert organizations_2024["percent"] == 100.0
    admissions_2024 = by_name(targets, "Kết nạp đảng viên năm 2024")
    assert (admissions_2024["actual"], admissions_2024["target"]) == (79, 140)
    assert admissions_2024["percent"] == 56.4
    assert admissions_2024["quota_rollup"]["allocated"] >= 140
    term_admissions = by_name(targets, "Kết nạp đảng viên nhiệm kỳ")
    assert (term_admissions["actual"], term_admissions["percent"]) == (493, 98.6)
    assert term_admissions["due_on"] == "2024-09-30"
    term_organizations = by_name(targets, "Thành lập TCCS đảng nhiệm kỳ")
    assert (term_organizations["actual"], term_organizations["percent"]) == (26, 86.7)
    zones = by_name(targets, "khu công nghiệp mới")
    assert (zones["actual"], zones["min_value"], zones["max_value"]) == (3, 2, 5)
    assert zones["within_range"] is True
    groups = [t for t in targets if t["scope"] == "campaign"]
    assert len(groups) == 3


async def test_three_working_groups_have_visits(demo_client: httpx.AsyncClient) -> None:
    campaigns = (await demo_client.get("/api/v1/campaigns")).json()["items"]
    assert len(campaigns) == 3
    for campaign in campaigns:
        visits = await demo_client.get(f"/api/v1/campaigns/{campaign['id']}/activities")
        assert visits.status_code == 200
        assert visits.json()["items"]


async def test_attainment_items_let_an_auditor_recount(demo_client: httpx.AsyncClient) -> None:
    targets = (await demo_client.get("/api/v1/attainment", params={"as_of": "2024-06-30"})).json()
    target = by_name(targets["items"], "Kết nạp đảng viên năm 2024")
    seen, cursor = 0, None
    while True:
        params = {"as_of": "2024-06-30", "limit": "50"} | ({"cursor": cursor} if cursor else {})
        page = (
            await demo_client.get(
                f"/api/v1/targets/{target['target_id']}/attainment/items", params=params
            )
        ).json()
        seen += len(page["items"])
        assert all("2024-01-01" <= item["on"] <= "2024-06-30" for item in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == 79


async def test_xlsx_download_holds_the_json_numbers(demo_client: httpx.AsyncClient) -> None:
    figures = await overview(demo_client, lang="en")
    response = await demo_client.get(
        "/api/v1/reports/overview.xlsx", params=PERIOD | {"lang": "en"}
    )
    assert response.status_code == 200
    assert "spreadsheetml" in response.headers["content-type"]
    sheets = xlsx_tables(response.content)
    rows = {row[1]: row[2] for row in sheets["Overview"].rows}
    assert rows["Members"] == figures["members"]["total"] == 1461
    assert isinstance(rows["Members"], int)
    assert rows["Grassroots organizations"] == 100
    assert rows["Workers"] == 160_000
    assert rows["New FDI capital (USD)"] == figures["investment"]["new_fdi_capital_usd"]
    targets = sheets["Targets"]
    percent = targets.header.index("Percent")
    assert 56.4 in [row[percent] for row in targets.rows]


async def test_csv_downloads_in_vietnamese(demo_client: httpx.AsyncClient) -> None:
    response = await demo_client.get("/api/v1/reports/overview.csv", params=PERIOD | {"lang": "vi"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    values = {row[1]: row[2] for row in csv_table(response.content).rows}
    assert values["Tổng số đảng viên"] == "1461"
    assert values["Tổ chức cơ sở đảng"] == "100"
    attainment = await demo_client.get(
        "/api/v1/reports/attainment.csv", params={"as_of": "2024-06-30"}
    )
    assert attainment.status_code == 200
    table = csv_table(attainment.content)
    assert table.header[0] == "Tên chỉ tiêu"
    percent, metric = table.header.index("Tỷ lệ (%)"), table.header.index("Chỉ số")
    assert any(line[percent] == "56.4" for line in table.rows)
    assert "Kết nạp đảng viên" in {line[metric] for line in table.rows}


async def test_demo_is_not_loaded_twice(demo_client: httpx.AsyncClient, demo_session: Any) -> None:
    assert await seed_if_empty(demo_session) is False


async def test_viewer_sees_no_personal_data_in_demo(demo_client: httpx.AsyncClient) -> None:
    members = (await demo_client.get("/api/v1/members", params={"limit": "20"})).json()["items"]
    assert members
    assert all(m["date_of_birth"] is None and m["phone"] is None for m in members)


async def test_the_second_half_plan_its_calendars_and_its_materials(
    demo_client: httpx.AsyncClient,
) -> None:
    """The plan after the mid-term review, each group's visit calendar and the leaflets in five
    languages — all after the reference day, so the published figures above stay."""
    [plan] = (await demo_client.get("/api/v1/plans")).json()["items"]
    assert (plan["period_start"], plan["period_end"]) == ("2024-07-01", "2024-12-31")
    board = (
        await demo_client.get(f"/api/v1/plans/{plan['id']}/board", params={"as_of": "2024-12-31"})
    ).json()
    totals = [
        sum(a[k] for a in board["assignees"]) for k in ("done", "open", "overdue", "cancelled")
    ]
    assert totals == [2, 2, 1, 1]
    contributions = [t for a in board["assignees"] for t in a["targets"]]
    assert {t["attainment"]["metric"] for t in contributions} == {
        "organizations_established", "candidates_trained",
    }  # fmt: skip
    year_end = await overview(
        demo_client, as_of="2024-12-31", period_start="2024-07-01", period_end="2024-12-31"
    )
    assert year_end["plans"] == {"plans": 1, "tasks": 5, "done": 2, "open": 2, "overdue": 1,
                                 "cancelled": 1}  # fmt: skip
    assert (await overview(demo_client))["plans"]["plans"] == 0
    languages = {
        m["language"] for m in (await demo_client.get("/api/v1/materials")).json()["items"]
    }
    assert languages == {"vi", "en", "ko", "ja", "zh"}
    for campaign in (await demo_client.get("/api/v1/campaigns")).json()["items"]:
        schedule = f"/api/v1/campaigns/{campaign['id']}/schedule"
        statuses = [v["status"] for v in (await demo_client.get(schedule)).json()["items"]]
        assert sorted(statuses) == ["cancelled", "done", "done", "done", "missed"]
        calendar = await demo_client.get(f"{schedule}.ics")
        assert calendar.content.count(b"BEGIN:VEVENT") == 5
