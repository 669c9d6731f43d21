"""Investment projects: FDI by default for FDI enterprises, termination dates, filters."""

import httpx
import pytest

from app.models import Enterprise
from tests.fixtures.db import Fingerprint
from tests.fixtures.registry import EnterpriseFactory
from tests.problems import assert_problem, error_fields

PROJECTS = "/api/v1/investment-projects"


def project_body(enterprise: Enterprise, **overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "enterprise_id": enterprise.id,
        "name": "Nhà máy linh kiện điện tử",
        "licensed_on": "2024-03-15",
        "registered_capital_usd": "25000000.50",
    }
    body.update(overrides)
    return body


@pytest.fixture
async def fdi(make_enterprise: EnterpriseFactory) -> Enterprise:
    return await make_enterprise(ownership="fdi", investor_country="JP")


async def test_project_of_an_fdi_enterprise_is_fdi_unless_told_otherwise(
    editor: httpx.AsyncClient, fdi: Enterprise, make_enterprise: EnterpriseFactory
) -> None:
    domestic = await make_enterprise()
    created = await editor.post(PROJECTS, json=project_body(fdi))
    assert created.status_code == 201, created.text
    project = created.json()
    assert created.headers["Location"] == f"{PROJECTS}/{project['id']}"
    assert project["is_fdi"] is True
    assert project["registered_capital_usd"] == 25_000_000.5
    assert project["status"] == "active"
    assert (await editor.post(PROJECTS, json=project_body(domestic))).json()["is_fdi"] is False
    explicit = await editor.post(PROJECTS, json=project_body(fdi, is_fdi=False))
    assert explicit.json()["is_fdi"] is False
    read = await editor.get(created.headers["Location"])
    assert read.json() == project
    assert read.headers["ETag"] == created.headers["ETag"]


async def test_terminated_project_needs_a_termination_date(
    editor: httpx.AsyncClient, fdi: Enterprise, fingerprint: Fingerprint
) -> None:
    active = (await editor.post(PROJECTS, json=project_body(fdi))).json()
    url = f"{PROJECTS}/{active['id']}"
    before = await fingerprint()
    response = await editor.post(PROJECTS, json=project_body(fdi, status="terminated"))
    assert error_fields(assert_problem(response, 422)) == {"terminated_on"}
    patched = await editor.patch(url, json={"status": "terminated"})
    assert error_fields(assert_problem(patched, 422)) == {"terminated_on"}
    assert await fingerprint() == before
    ok = await editor.patch(url, json={"status": "terminated", "terminated_on": "2025-01-31"})
    assert ok.status_code == 200, ok.text
    assert ok.json()["terminated_on"] == "2025-01-31"


async def test_termination_date_is_refused_for_an_active_project_or_before_licence(
    editor: httpx.AsyncClient, fdi: Enterprise, fingerprint: Fingerprint
) -> None:
    before = await fingerprint()
    for body in (
        project_body(fdi, terminated_on="2025-01-31"),
        project_body(fdi, status="terminated", terminated_on="2024-03-14"),
    ):
        response = await editor.post(PROJECTS, json=body)
        assert error_fields(assert_problem(response, 422)) == {"terminated_on"}
    assert await fingerprint() == before


async def test_negative_capital_and_unknown_enterprise_are_rejected(
    editor: httpx.AsyncClient, fdi: Enterprise, fingerprint: Fingerprint
) -> None:
    before = await fingerprint()
    negative = await editor.post(PROJECTS, json=project_body(fdi, registered_capital_usd="-1"))
    assert error_fields(assert_problem(negative, 422)) == {"registered_capital_usd"}
    unknown = await editor.post(PROJECTS, json=project_body(fdi, enterprise_id=987654))
    assert error_fields(assert_problem(unknown, 422, "unknown_reference")) == {"enterprise_id"}
    assert await fingerprint() == before


async def test_enterprise_with_a_project_cannot_be_deleted(
    editor: httpx.AsyncClient, fdi: Enterprise, fingerprint: Fingerprint
) -> None:
    project = (await editor.post(PROJECTS, json=project_body(fdi))).json()
    before = await fingerprint()
    assert_problem(await editor.delete(f"/api/v1/enterprises/{fdi.id}"), 409, "still_referenced")
    assert await fingerprint() == before
    assert (await editor.delete(f"{PROJECTS}/{project['id']}")).status_code == 204
    assert (await editor.delete(f"/api/v1/enterprises/{fdi.id}")).status_code == 204


async def test_projects_filter_by_enterprise_fdi_licence_date_and_status(
    editor: httpx.AsyncClient,
    viewer: httpx.AsyncClient,
    fdi: Enterprise,
    make_enterprise: EnterpriseFactory,
) -> None:
    domestic = await make_enterprise()
    bodies = [
        project_body(fdi, name="P1 2023", licensed_on="2023-06-01"),
        project_body(fdi, name="P2 2024", licensed_on="2024-02-01"),
        project_body(domestic, name="P3 2024", licensed_on="2024-05-01"),
        project_body(
            fdi,
            name="P4 ended",
            licensed_on="2022-01-01",
            status="terminated",
            terminated_on="2023-01-01",
        ),
    ]
    for body in bodies:
        assert (await editor.post(PROJECTS, json=body)).status_code == 201

    async def names(**params: str | int) -> list[str]:
        response = await viewer.get(PROJECTS, params=params)
        assert response.status_code == 200, response.text
        return [p["name"] for p in response.json()["items"]]

    assert await names() == ["P3 2024", "P2 2024", "P1 2023", "P4 ended"]
    assert await names(enterprise_id=domestic.id) == ["P3 2024"]
    assert await names(is_fdi="false") == ["P3 2024"]
    assert await names(licensed_from="2024-01-01", licensed_to="2024-03-31") == ["P2 2024"]
    assert await names(status="terminated") == ["P4 ended"]
    assert await names(sort="name", limit=2) == ["P1 2023", "P2 2024"]
    assert_problem(await viewer.post(PROJECTS, json=project_body(fdi)), 403)


async def test_null_for_a_required_field_is_rejected_on_patch(
    editor: httpx.AsyncClient, fdi: Enterprise, fingerprint: Fingerprint
) -> None:
    url = f"{PROJECTS}/{(await editor.post(PROJECTS, json=project_body(fdi))).json()['id']}"
    before = await fingerprint()
    for field in ("enterprise_id", "name", "licensed_on", "registered_capital_usd", "is_fdi"):
        response = await editor.patch(url, json={field: None})
        assert error_fields(assert_problem(response, 422, "validation_error")) == {field}
    assert await fingerprint() == before
