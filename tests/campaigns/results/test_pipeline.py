"""The pipeline: stages on a date, readiness, follow-ups, contacts met, suggested language,
ordering by what to do next, filters and cursor — one SQL statement per page."""

from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tests.campaigns.pipeline_world import Pipeline
from tests.campaigns.world import CAMPAIGNS, World
from tests.fixtures.db import StatementCounter
from tests.fixtures.registry import EnterpriseFactory
from tests.problems import assert_problem


async def _entries(client: httpx.AsyncClient, url: str, **params: Any) -> list[dict[str, Any]]:
    response = await client.get(url, params=params)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_pipeline_orders_agreed_then_ready_then_receptive_then_workforce(
    world: World,
    viewer: httpx.AsyncClient,
    pipeline: Pipeline,
) -> None:
    entries = await _entries(viewer, pipeline.url, as_of="2024-06-01")
    assert [(e["enterprise_id"], e["stage"], e["ready"]) for e in entries] == [
        (world.domestic.id, "agreed", False),
        (world.second_zone.id, "not_contacted", True),
        (world.fdi.id, "receptive", False),
        (pipeline.won.id, "not_contacted", False),
        (pipeline.japanese.id, "not_contacted", False),
        (pipeline.american.id, "not_contacted", False),
        (pipeline.state.id, "not_contacted", False),
    ]
    fdi = entries[2]
    assert fdi["last_contact_on"] == "2024-03-10"
    assert fdi["next_follow_up_on"] == "2024-05-01"  # overdue: the latest activity's follow-up
    assert fdi["contact_roles_met"] == ["hr_director", "owner"]
    assert (fdi["workers_count"], fdi["ownership"], fdi["investor_country"]) == (1200, "fdi", "KR")
    assert entries[1]["official_members"] == 3
    languages = {e["enterprise_id"]: e["suggested_language"] for e in entries}
    assert languages == {
        world.domestic.id: "vi",
        world.second_zone.id: "vi",
        world.fdi.id: "ko",
        pipeline.won.id: "vi",
        pipeline.japanese.id: "ja",
        pipeline.american.id: "en",
        pipeline.state.id: "vi",
    }


async def test_stages_follow_the_as_of_date(
    world: World,
    viewer: httpx.AsyncClient,
    pipeline: Pipeline,
) -> None:

    async def on(day: str) -> dict[int, dict[str, Any]]:
        return {e["enterprise_id"]: e for e in await _entries(viewer, pipeline.url, as_of=day)}

    before_any = await on("2024-01-15")
    assert {e["stage"] for e in before_any.values()} == {"not_contacted"}
    assert before_any[world.fdi.id]["last_contact_on"] is None
    assert before_any[world.fdi.id]["contact_roles_met"] == []
    first_visit = (await on("2024-02-15"))[world.fdi.id]
    assert (first_visit["stage"], first_visit["next_follow_up_on"]) == ("contacted", "2024-03-01")
    assert first_visit["contact_roles_met"] == ["owner"]
    assert (await on("2024-03-05"))[world.fdi.id]["next_follow_up_on"] == "2024-03-01"
    assert (await on("2024-03-10"))[world.fdi.id]["stage"] == "receptive"
    after = await on("2024-10-01")
    assert (after[pipeline.won.id]["stage"], after[pipeline.won.id]["ready"]) == (
        "established",
        False,
    )
    assert after[pipeline.won.id]["organization_id"] is not None
    assert pipeline.organized.id not in after


async def test_enterprise_with_an_organization_from_before_the_campaign_is_left_out(
    world: World,
    viewer: httpx.AsyncClient,
    pipeline: Pipeline,
) -> None:
    ids = {e["enterprise_id"] for e in await _entries(viewer, pipeline.url, as_of="2025-01-01")}
    assert pipeline.organized.id not in ids
    assert world.outside.id not in ids
    assert pipeline.won.id in ids


async def test_pipeline_filters_by_stage_and_zone(
    world: World,
    viewer: httpx.AsyncClient,
    pipeline: Pipeline,
) -> None:
    receptive = await _entries(viewer, pipeline.url, as_of="2024-06-01", stage="receptive")
    assert [e["enterprise_id"] for e in receptive] == [world.fdi.id]
    established = await _entries(viewer, pipeline.url, as_of="2024-12-01", stage="established")
    assert [e["enterprise_id"] for e in established] == [pipeline.won.id]
    zone_b = await _entries(viewer, pipeline.url, as_of="2024-06-01", zone_id=world.zones[1].id)
    assert [e["enterprise_id"] for e in zone_b] == [
        world.second_zone.id,
        pipeline.won.id,
        pipeline.japanese.id,
        pipeline.american.id,
        pipeline.state.id,
    ]


async def test_pipeline_pages_with_a_cursor(
    world: World,
    viewer: httpx.AsyncClient,
    pipeline: Pipeline,
) -> None:
    whole = [e["enterprise_id"] for e in await _entries(viewer, pipeline.url, as_of="2024-06-01")]
    walked: list[int] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"as_of": "2024-06-01", "limit": 2}
        if cursor:
            params["cursor"] = cursor
        body = (await viewer.get(pipeline.url, params=params)).json()
        walked += [e["enterprise_id"] for e in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert walked == whole
    forged = await viewer.get(pipeline.url, params={"cursor": "bm90LWEtY3Vyc29y"})
    assert_problem(forged, 422, "invalid_cursor")


async def test_pipeline_is_one_statement_whatever_the_page_size(
    world: World,
    session: AsyncSession,
    viewer: httpx.AsyncClient,
    pipeline: Pipeline,
    make_enterprise: EnterpriseFactory,
    statements: StatementCounter,
) -> None:
    for n in range(12):
        await make_enterprise(zone_id=world.zones[n % 2].id, workers_count=n)
    counts = []
    for limit in (5, 50):
        statements.reset()
        entries = await _entries(viewer, pipeline.url, as_of="2024-06-01", limit=limit)
        assert len(entries) == min(limit, 19)
        counts.append(statements.count)
    assert counts[0] == counts[1]
    pipeline_statements = [s for s in statements.statements if "campaign_activities" in s]
    assert len(pipeline_statements) == 1


async def test_pipeline_of_an_unknown_campaign_is_not_found(viewer: httpx.AsyncClient) -> None:
    assert_problem(await viewer.get(f"{CAMPAIGNS}/987654/pipeline"), 404, "not_found")
