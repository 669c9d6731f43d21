"""Enterprise rules, each refused with the stated status as problem+json and no change to the
database: tax code format and uniqueness, investor country, workers count, zone reference."""

import httpx
import pytest

from app.models import IndustrialZone
from tests.enterprises.test_enterprises_api import ENTERPRISES, enterprise_body
from tests.fixtures.db import Fingerprint
from tests.fixtures.registry import EnterpriseFactory, ZoneFactory
from tests.problems import assert_problem, error_fields


@pytest.fixture
async def zone(make_zone: ZoneFactory) -> IndustrialZone:
    return await make_zone()


@pytest.mark.parametrize("tax_code", ["0101234567", "0101234567-001"])
async def test_tax_code_of_10_digits_or_a_branch_is_accepted(
    editor: httpx.AsyncClient, zone: IndustrialZone, tax_code: str
) -> None:
    response = await editor.post(ENTERPRISES, json=enterprise_body(zone, tax_code=tax_code))
    assert response.status_code == 201, response.text
    assert response.json()["tax_code"] == tax_code


@pytest.mark.parametrize(
    "tax_code", ["010123456", "01012345678", "0101234567-01", "0101234567/001", "01012345٦7", ""]
)
async def test_malformed_tax_code_is_rejected(
    editor: httpx.AsyncClient, zone: IndustrialZone, fingerprint: Fingerprint, tax_code: str
) -> None:
    before = await fingerprint()
    response = await editor.post(ENTERPRISES, json=enterprise_body(zone, tax_code=tax_code))
    body = assert_problem(response, 422)
    assert error_fields(body) == {"tax_code"}
    assert await fingerprint() == before


async def test_duplicate_tax_code_is_a_conflict_naming_tax_code(
    editor: httpx.AsyncClient, zone: IndustrialZone, fingerprint: Fingerprint
) -> None:
    assert (await editor.post(ENTERPRISES, json=enterprise_body(zone))).status_code == 201
    before = await fingerprint()
    response = await editor.post(ENTERPRISES, json=enterprise_body(zone, name="Another"))
    body = assert_problem(response, 409, "conflict")
    assert body["errors"][0]["loc"] == ["body", "tax_code"]
    assert "tax_code" in body["detail"]
    assert await fingerprint() == before


async def test_changing_tax_code_to_one_in_use_is_a_conflict(
    editor: httpx.AsyncClient, make_enterprise: EnterpriseFactory, fingerprint: Fingerprint
) -> None:
    await make_enterprise(tax_code="0100000001")
    other = await make_enterprise(tax_code="0100000002")
    before = await fingerprint()
    response = await editor.patch(f"{ENTERPRISES}/{other.id}", json={"tax_code": "0100000001"})
    assert error_fields(assert_problem(response, 409)) == {"tax_code"}
    assert await fingerprint() == before


@pytest.mark.parametrize("country", ["XX", "KOR", "K1", "zz"])
async def test_unknown_investor_country_is_rejected(
    editor: httpx.AsyncClient, zone: IndustrialZone, fingerprint: Fingerprint, country: str
) -> None:
    before = await fingerprint()
    response = await editor.post(ENTERPRISES, json=enterprise_body(zone, investor_country=country))
    assert error_fields(assert_problem(response, 422)) == {"investor_country"}
    assert await fingerprint() == before


async def test_fdi_enterprise_needs_an_investor_country(
    editor: httpx.AsyncClient, zone: IndustrialZone, fingerprint: Fingerprint
) -> None:
    before = await fingerprint()
    response = await editor.post(ENTERPRISES, json=enterprise_body(zone, investor_country=None))
    assert error_fields(assert_problem(response, 422, "rule_violation")) == {"investor_country"}
    assert await fingerprint() == before


async def test_investor_country_is_rejected_for_a_domestic_enterprise(
    editor: httpx.AsyncClient, zone: IndustrialZone, fingerprint: Fingerprint
) -> None:
    before = await fingerprint()
    body = enterprise_body(zone, ownership="domestic_private", investor_country="VN")
    response = await editor.post(ENTERPRISES, json=body)
    assert error_fields(assert_problem(response, 422, "rule_violation")) == {"investor_country"}
    assert await fingerprint() == before


async def test_patching_ownership_alone_is_checked_against_the_stored_country(
    editor: httpx.AsyncClient, make_enterprise: EnterpriseFactory, fingerprint: Fingerprint
) -> None:
    domestic = await make_enterprise(ownership="domestic_private")
    fdi = await make_enterprise(ownership="fdi", investor_country="JP")
    before = await fingerprint()
    to_fdi = await editor.patch(f"{ENTERPRISES}/{domestic.id}", json={"ownership": "fdi"})
    assert error_fields(assert_problem(to_fdi, 422)) == {"investor_country"}
    to_state = await editor.patch(f"{ENTERPRISES}/{fdi.id}", json={"ownership": "state"})
    assert error_fields(assert_problem(to_state, 422)) == {"investor_country"}
    assert await fingerprint() == before
    both = await editor.patch(
        f"{ENTERPRISES}/{fdi.id}", json={"ownership": "state", "investor_country": None}
    )
    assert both.status_code == 200, both.text
    assert (both.json()["ownership"], both.json()["investor_country"]) == ("state", None)


async def test_negative_workers_count_is_rejected(
    editor: httpx.AsyncClient,
    zone: IndustrialZone,
    make_enterprise: EnterpriseFactory,
    fingerprint: Fingerprint,
) -> None:
    existing = await make_enterprise()
    before = await fingerprint()
    response = await editor.post(ENTERPRISES, json=enterprise_body(zone, workers_count=-1))
    assert error_fields(assert_problem(response, 422)) == {"workers_count"}
    patched = await editor.patch(f"{ENTERPRISES}/{existing.id}", json={"workers_count": -5})
    assert error_fields(assert_problem(patched, 422)) == {"workers_count"}
    assert await fingerprint() == before


async def test_unknown_zone_is_a_422_on_zone_id(
    editor: httpx.AsyncClient,
    zone: IndustrialZone,
    make_enterprise: EnterpriseFactory,
    fingerprint: Fingerprint,
) -> None:
    existing = await make_enterprise()
    before = await fingerprint()
    response = await editor.post(ENTERPRISES, json=enterprise_body(zone, zone_id=987654))
    body = assert_problem(response, 422, "unknown_reference")
    assert body["errors"][0]["loc"] == ["body", "zone_id"]
    patched = await editor.patch(f"{ENTERPRISES}/{existing.id}", json={"zone_id": 987654})
    assert error_fields(assert_problem(patched, 422)) == {"zone_id"}
    assert await fingerprint() == before


async def test_null_for_a_required_field_is_rejected_on_patch(
    editor: httpx.AsyncClient, make_enterprise: EnterpriseFactory, fingerprint: Fingerprint
) -> None:
    existing = await make_enterprise()
    before = await fingerprint()
    for field in ("zone_id", "name", "ownership", "tax_code"):
        response = await editor.patch(f"{ENTERPRISES}/{existing.id}", json={field: None})
        assert error_fields(assert_problem(response, 422, "validation_error")) == {field}
    assert await fingerprint() == before


async def test_read_only_and_unknown_fields_are_refused(
    editor: httpx.AsyncClient, zone: IndustrialZone, fingerprint: Fingerprint
) -> None:
    before = await fingerprint()
    for extra in ({"official_members": 3}, {"party_organization_id": 1}, {"id": 5}):
        response = await editor.post(ENTERPRISES, json=enterprise_body(zone, **extra))
        assert error_fields(assert_problem(response, 422)) == set(extra)
    assert await fingerprint() == before
