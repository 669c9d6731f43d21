"""Key contacts of an enterprise: codes validated, personal data hidden from viewers."""

import httpx
import pytest

from app.models import Enterprise
from tests.fixtures.db import Fingerprint
from tests.fixtures.registry import EnterpriseFactory
from tests.problems import assert_problem, error_fields


def contacts_url(enterprise: Enterprise) -> str:
    return f"/api/v1/enterprises/{enterprise.id}/contacts"


def contact_body(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "full_name": "Kim Min-jun",
        "role": "general_director",
        "title": "Tổng giám đốc",
        "nationality": "kr",
        "preferred_language": "KO",
        "phone": "+84 24 3881 1234",
        "email": "minjun.kim@example.com",
    }
    body.update(overrides)
    return body


@pytest.fixture
async def enterprise(make_enterprise: EnterpriseFactory) -> Enterprise:
    return await make_enterprise(ownership="fdi", investor_country="KR")


async def test_editor_creates_reads_updates_and_deletes_a_contact(
    editor: httpx.AsyncClient, enterprise: Enterprise
) -> None:
    created = await editor.post(contacts_url(enterprise), json=contact_body())
    assert created.status_code == 201, created.text
    contact = created.json()
    url = f"{contacts_url(enterprise)}/{contact['id']}"
    assert created.headers["Location"] == url
    assert (contact["nationality"], contact["preferred_language"]) == ("KR", "ko")
    assert contact["phone"] == "+84 24 3881 1234"
    read = await editor.get(url)
    assert read.json() == contact
    assert read.headers["ETag"] == created.headers["ETag"]
    updated = await editor.patch(
        url, json={"role": "owner"}, headers={"If-Match": created.headers["ETag"]}
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["role"] == "owner"
    stale = await editor.delete(url, headers={"If-Match": created.headers["ETag"]})
    assert_problem(stale, 412)
    assert (await editor.delete(url)).status_code == 204
    assert_problem(await editor.get(url), 404)


async def test_viewer_cannot_see_contact_phone_or_email(
    editor: httpx.AsyncClient, viewer: httpx.AsyncClient, enterprise: Enterprise
) -> None:
    body = {**contact_body(), "notes": "Hộ chiếu M1234567"}
    created = (await editor.post(contacts_url(enterprise), json=body)).json()
    url = f"{contacts_url(enterprise)}/{created['id']}"
    seen = (await viewer.get(url)).json()
    assert (seen["phone"], seen["email"], seen["notes"]) == (None, None, None)
    assert seen["full_name"] == "Kim Min-jun"
    [listed] = (await viewer.get(contacts_url(enterprise))).json()["items"]
    assert (listed["phone"], listed["email"]) == (None, None)
    assert (await editor.get(url)).json()["phone"] == "+84 24 3881 1234"


async def test_group_leader_sees_contact_phone(
    editor: httpx.AsyncClient, leader: httpx.AsyncClient, enterprise: Enterprise
) -> None:
    await editor.post(contacts_url(enterprise), json=contact_body())
    [listed] = (await leader.get(contacts_url(enterprise))).json()["items"]
    assert listed["phone"] == "+84 24 3881 1234"
    assert_problem(await leader.post(contacts_url(enterprise), json=contact_body()), 403)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("nationality", "XX"),
        ("nationality", "KOR"),
        ("preferred_language", "xx"),
        ("preferred_language", "kor"),
        ("role", "chairman"),
        ("email", "not-an-email"),
        ("phone", "call me"),
    ],
)
async def test_invalid_contact_fields_are_rejected(
    editor: httpx.AsyncClient,
    enterprise: Enterprise,
    fingerprint: Fingerprint,
    field: str,
    value: str,
) -> None:
    before = await fingerprint()
    response = await editor.post(contacts_url(enterprise), json=contact_body(**{field: value}))
    assert error_fields(assert_problem(response, 422)) == {field}
    assert await fingerprint() == before


async def test_contact_of_another_enterprise_is_404(
    editor: httpx.AsyncClient, enterprise: Enterprise, make_enterprise: EnterpriseFactory
) -> None:
    other = await make_enterprise()
    created = (await editor.post(contacts_url(enterprise), json=contact_body())).json()
    assert_problem(await editor.get(f"{contacts_url(other)}/{created['id']}"), 404)
    assert_problem(await editor.get("/api/v1/enterprises/999999/contacts"), 404)


async def test_contacts_list_filters_by_role_and_name(
    viewer: httpx.AsyncClient, editor: httpx.AsyncClient, enterprise: Enterprise
) -> None:
    await editor.post(contacts_url(enterprise), json=contact_body())
    await editor.post(
        contacts_url(enterprise),
        json=contact_body(full_name="Nguyễn Thị Hương", role="union_chair", nationality="VN"),
    )

    async def names(**params: str) -> list[str]:
        response = await viewer.get(contacts_url(enterprise), params=params)
        assert response.status_code == 200, response.text
        return [c["full_name"] for c in response.json()["items"]]

    assert await names() == ["Kim Min-jun", "Nguyễn Thị Hương"]
    assert await names(role="union_chair") == ["Nguyễn Thị Hương"]
    assert await names(q="nguyen thi huong") == ["Nguyễn Thị Hương"]


async def test_null_for_a_required_field_is_rejected_on_patch(
    editor: httpx.AsyncClient, enterprise: Enterprise, fingerprint: Fingerprint
) -> None:
    created = await editor.post(contacts_url(enterprise), json=contact_body())
    url = f"{contacts_url(enterprise)}/{created.json()['id']}"
    before = await fingerprint()
    for field in ("full_name", "role"):
        response = await editor.patch(url, json={field: None})
        assert error_fields(assert_problem(response, 422, "validation_error")) == {field}
    assert await fingerprint() == before
