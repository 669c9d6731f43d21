"""Report requests that cannot be answered are refused with a clear problem."""

import httpx

from tests.problems import assert_problem, error_fields


async def test_period_starting_after_it_ends_is_refused(viewer: httpx.AsyncClient) -> None:
    response = await viewer.get(
        "/api/v1/reports/overview",
        params={"as_of": "2024-06-30", "period_start": "2024-07-01", "period_end": "2024-06-30"},
    )
    assert_problem(response, 422, "rule_violation")
    assert error_fields(response.json()) == {"period_start"}


async def test_attainment_download_does_not_offer_json(viewer: httpx.AsyncClient) -> None:
    response = await viewer.get("/api/v1/reports/attainment", params={"format": "json"})
    assert_problem(response, 422, "validation_error")
    assert error_fields(response.json()) == {"format"}


async def test_unknown_format_or_language_is_a_validation_problem(
    viewer: httpx.AsyncClient,
) -> None:
    for params in ({"format": "pdf"}, {"lang": "fr"}):
        response = await viewer.get("/api/v1/reports/overview", params=params)
        assert_problem(response, 422, "validation_error")


async def test_overview_defaults_to_the_year_so_far(viewer: httpx.AsyncClient) -> None:
    response = await viewer.get("/api/v1/reports/overview", params={"as_of": "2024-06-30"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["period_start"], body["period_end"]) == ("2024-01-01", "2024-06-30")


async def test_a_download_with_an_unknown_separator_or_language_is_refused(
    viewer: httpx.AsyncClient,
) -> None:
    for path, params in (
        ("/api/v1/reports/overview.csv", {"separator": "tab"}),
        ("/api/v1/reports/attainment.xlsx", {"lang": "fr"}),
        ("/api/v1/reports/overview.pdf", {"as_of": "30/06/2024"}),
    ):
        answer = await viewer.get(path, params=params)
        assert_problem(answer, 422, "validation_error")
