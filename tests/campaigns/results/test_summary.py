"""The campaign's results on a date: reach, latest outcomes, organizations established and
credited, conversion, activities per month and overdue follow-ups."""

import decimal
from typing import Any

import httpx
import pytest

from app.campaigns.results.summary import conversion_rate
from tests.campaigns.pipeline_world import Pipeline, log_activity
from tests.campaigns.world import CAMPAIGNS, World
from tests.problems import assert_problem


async def _summary(client: httpx.AsyncClient, world: World, as_of: str) -> dict[str, Any]:
    response = await client.get(f"{CAMPAIGNS}/{world.campaign.id}/summary", params={"as_of": as_of})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_summary_counts_outcomes_and_follow_ups_on_a_date(
    world: World, pipeline: Pipeline, viewer: httpx.AsyncClient
) -> None:
    await log_activity(
        world.leader_client,
        world,
        enterprise=pipeline.japanese,
        occurred_on="2024-05-10",
        outcome="declined",
    )
    summary = await _summary(viewer, world, "2024-06-01")
    assert summary["enterprises_assigned"] == 8
    counts = {k: summary[k] for k in ("contacted", "receptive", "agreed", "declined")}
    assert counts == {"contacted": 3, "receptive": 1, "agreed": 1, "declined": 1}
    assert summary["overdue_follow_ups"] == 1  # the fdi's follow-up of 2024-05-01
    assert (summary["organizations_established"], summary["organizations_credited"]) == (0, 0)
    assert summary["conversion_rate"] == 0.0
    assert summary["activities_per_month"] == [
        {"month": "2024-01", "count": 0},
        {"month": "2024-02", "count": 1},
        {"month": "2024-03", "count": 1},
        {"month": "2024-04", "count": 1},
        {"month": "2024-05", "count": 1},
        {"month": "2024-06", "count": 0},
    ]


async def test_follow_up_stops_being_overdue_when_a_later_activity_is_logged(
    world: World, pipeline: Pipeline, viewer: httpx.AsyncClient
) -> None:
    assert (await _summary(viewer, world, "2024-03-05"))["overdue_follow_ups"] == 1
    assert (await _summary(viewer, world, "2024-04-15"))["overdue_follow_ups"] == 0


async def test_established_and_credited_organizations_count_from_their_date(
    world: World, pipeline: Pipeline, viewer: httpx.AsyncClient
) -> None:
    summary = await _summary(viewer, world, "2024-10-01")
    assert (summary["organizations_established"], summary["organizations_credited"]) == (1, 1)
    assert summary["conversion_rate"] == 50.0
    assert len(summary["activities_per_month"]) == 10


async def test_nothing_contacted_has_no_conversion_rate(
    world: World, pipeline: Pipeline, viewer: httpx.AsyncClient
) -> None:
    summary = await _summary(viewer, world, "2024-01-15")
    assert (summary["contacted"], summary["conversion_rate"]) == (0, None)
    before_start = await _summary(viewer, world, "2023-06-01")
    assert before_start["activities_per_month"] == []


@pytest.mark.parametrize(
    ("established", "contacted", "expected"),
    [(1, 3, "33.3"), (2, 3, "66.7"), (1, 16, "6.3"), (0, 5, "0.0"), (0, 0, None)],
)
def test_conversion_rate_is_a_percent_rounded_half_up(
    established: int, contacted: int, expected: str | None
) -> None:
    rate = conversion_rate(established, contacted)
    assert rate == (None if expected is None else decimal.Decimal(expected))


async def test_summary_of_an_unknown_campaign_is_not_found(viewer: httpx.AsyncClient) -> None:
    assert_problem(await viewer.get(f"{CAMPAIGNS}/987654/summary"), 404, "not_found")
