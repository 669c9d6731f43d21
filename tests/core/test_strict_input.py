"""Strict input: numbers, booleans and dates only in their own form, and names and codes that
show what they hold. Every refusal is a 422 naming the field, and stores nothing."""

import datetime as dt
import decimal
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError

from app.core import schemas
from app.core.schemas import FilterModel, InputModel
from app.zones.schemas import ZoneCreate
from tests.fixtures.db import Fingerprint
from tests.fixtures.registry import MemberFactory, ZoneFactory
from tests.problems import assert_problem, error_fields

ZONES = "/api/v1/industrial-zones"
ENTERPRISES = "/api/v1/enterprises"
MEMBERS = "/api/v1/members"


def zone(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "code": "KCN-X",
        "name": "KCN X",
        "status": "operating",
        "established_on": "2001-01-01",
    }
    return body | overrides


def enterprise(zone_id: object, **overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "tax_code": "0101234567",
        "name": "Công ty TNHH Dệt May Hà Nội",
        "zone_id": zone_id,
        "ownership": "domestic_private",
    }
    return body | overrides


def member(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "full_name": "Nguyễn Thị Ánh Tuyết",
        "gender": "female",
        "date_of_birth": "1995-04-12",
    }
    return body | overrides


async def assert_refused(
    response: httpx.Response, field: str, fingerprint: Fingerprint, before: Any
) -> dict[str, Any]:
    """A 422 validation problem naming `field` (in its errors and its detail), nothing stored."""
    body = assert_problem(response, 422, "validation_error")
    assert error_fields(body) == {field}, body
    assert field in body["detail"], body
    assert await fingerprint() == before
    return body


# Numbers and booleans in bodies


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("zone_id", True),  # was zone 1
        ("zone_id", False),
        ("zone_id", "1"),  # a JSON API takes numbers as numbers
        ("zone_id", 1.0),
        ("workers_count", "1_000"),
        ("workers_count", "1000"),
        ("workers_count", True),
        ("has_trade_union", 1),
        ("has_trade_union", "true"),
    ],
)
async def test_numbers_and_booleans_in_a_body_only_in_their_json_form(
    editor: httpx.AsyncClient,
    make_zone: ZoneFactory,
    fingerprint: Fingerprint,
    field: str,
    value: object,
) -> None:
    kcn = await make_zone()
    body = enterprise(kcn.id) | {field: value}
    before = await fingerprint()

    response = await editor.post(ENTERPRISES, json=body)

    await assert_refused(response, field, fingerprint, before)


async def test_numbers_and_booleans_in_their_json_form_are_taken(
    editor: httpx.AsyncClient, make_zone: ZoneFactory
) -> None:
    kcn = await make_zone()
    body = enterprise(kcn.id, workers_count=1000, has_trade_union=True)

    response = await editor.post(ENTERPRISES, json=body)

    assert response.status_code == 201, response.text
    assert response.json()["zone_id"] == kcn.id
    assert response.json()["workers_count"] == 1000


async def test_a_boolean_for_a_decimal_or_in_a_list_of_ids_is_refused(
    editor: httpx.AsyncClient, make_zone: ZoneFactory, fingerprint: Fingerprint
) -> None:
    kcn = await make_zone()
    before = await fingerprint()

    response = await editor.patch(f"{ZONES}/{kcn.id}", json={"area_ha": True})
    await assert_refused(response, "area_ha", fingerprint, before)

    body = assert_problem(
        await editor.post(
            "/api/v1/campaigns",
            json={
                "name": "Đoàn công tác số 1",
                "leader_id": 1,
                "zone_ids": [kcn.id, True],
                "starts_on": "2024-01-01",
                "ends_on": "2024-12-31",
            },
        ),
        422,
        "validation_error",
    )
    assert [error["loc"] for error in body["errors"]] == [["body", "zone_ids", 1]]
    assert await fingerprint() == before


@pytest.mark.parametrize("area", ["1_000.5", "1e3", "+12", ".5", "12,5", True, "NaN"])
async def test_decimals_are_json_numbers_or_plain_decimal_strings(
    editor: httpx.AsyncClient, fingerprint: Fingerprint, area: object
) -> None:
    before = await fingerprint()

    response = await editor.post(ZONES, json=zone(area_ha=area))

    await assert_refused(response, "area_ha", fingerprint, before)


async def test_a_decimal_as_a_number_or_a_plain_string_is_taken(
    editor: httpx.AsyncClient,
) -> None:
    as_number = await editor.post(ZONES, json=zone(code="KCN-A", area_ha=274.5))
    as_string = await editor.post(ZONES, json=zone(code="KCN-B", area_ha="1000.25"))

    assert as_number.status_code == 201, as_number.text
    assert as_string.status_code == 201, as_string.text
    assert as_string.json()["area_ha"] == 1000.25  # sent back as a JSON number


# Dates


@pytest.mark.parametrize(
    "day", [0, 1700000000, "0", "1700000000", "2001-01-01T00:00:00", "20010101", "2001_01_01"]
)
async def test_a_date_in_a_body_is_yyyy_mm_dd_only(
    editor: httpx.AsyncClient, fingerprint: Fingerprint, day: object
) -> None:
    before = await fingerprint()

    response = await editor.post(ZONES, json=zone(established_on=day))

    body = await assert_refused(response, "established_on", fingerprint, before)
    assert "YYYY-MM-DD" in body["detail"]


async def test_an_impossible_date_is_refused(
    editor: httpx.AsyncClient, fingerprint: Fingerprint
) -> None:
    before = await fingerprint()
    response = await editor.post(MEMBERS, json=member(date_of_birth="1995-02-30"))
    await assert_refused(response, "date_of_birth", fingerprint, before)


# Query and path parameters


@pytest.mark.parametrize(
    ("url", "field"),
    [
        (f"{ZONES}?limit=1_0", "limit"),
        (f"{ZONES}?limit=%2B10", "limit"),
        (f"{ZONES}?limit=10.0", "limit"),
        (f"{MEMBERS}?as_of=0", "as_of"),
        (f"{MEMBERS}?as_of=1700000000", "as_of"),
        (f"{MEMBERS}?as_of=2024-01-01T00:00:00", "as_of"),
        (f"{MEMBERS}?organization_id=1_0", "organization_id"),
        (f"{MEMBERS}?organization_id=true", "organization_id"),
        ("/api/v1/organizations?active_on=0", "active_on"),
        ("/api/v1/attainment?as_of=0", "as_of"),
    ],
)
async def test_query_parameters_are_plain_digits_and_iso_dates(
    viewer: httpx.AsyncClient, url: str, field: str
) -> None:
    response = await viewer.get(url)

    body = assert_problem(response, 422, "validation_error")
    assert error_fields(body) == {field}, body


async def test_each_value_of_a_repeated_parameter_is_plain_digits(
    viewer: httpx.AsyncClient,
) -> None:
    response = await viewer.get(f"{ENTERPRISES}?zone_id=1&zone_id=1_0")

    body = assert_problem(response, 422, "validation_error")
    assert [error["loc"] for error in body["errors"]] == [["query", "zone_id", 1]]


async def test_query_parameters_in_their_plain_form_are_taken(
    viewer: httpx.AsyncClient, make_zone: ZoneFactory
) -> None:
    kcn = await make_zone()
    for url in (
        f"{ZONES}?limit=10",
        f"{MEMBERS}?as_of=2024-06-30&organization_id=-1",
        f"{ENTERPRISES}?zone_id={kcn.id}&zone_id=2",
        f"{MEMBERS}?dossier_stale=true&include_affiliated=0",
    ):
        response = await viewer.get(url)
        assert response.status_code == 200, (url, response.text)


# Each spelling names the zone's id to pydantic's lax int() ("0_7" is 7), but is not plain digits.
@pytest.mark.parametrize("spelling", ["0_{}", "%2B{}", "{}.0", "%20{}", "{}%20"])
async def test_a_path_id_is_plain_digits(
    editor: httpx.AsyncClient, make_zone: ZoneFactory, fingerprint: Fingerprint, spelling: str
) -> None:
    kcn = await make_zone()
    url = f"{ZONES}/{spelling.format(kcn.id)}"
    before = await fingerprint()

    for response in (
        await editor.get(url),
        await editor.patch(url, json={"name": "KCN Y"}),
        await editor.delete(url),
    ):
        body = assert_problem(response, 422, "validation_error")
        assert error_fields(body) == {"zone_id"}, body
        assert "zone_id" in body["detail"]
    assert await fingerprint() == before
    assert (await editor.get(f"{ZONES}/{kcn.id}")).status_code == 200


async def test_a_member_id_with_underscores_is_not_the_member(
    editor: httpx.AsyncClient, make_member: MemberFactory
) -> None:
    # A 422, or a 404 where the route is `{member_id:int}` (digits only) and does not match.
    person = await make_member()
    response = await editor.get(f"{MEMBERS}/0_{person.id}")
    assert response.status_code in (404, 422), response.text
    assert_problem(response, response.status_code)


# Names and codes


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "\u200b\u200b\u200b"),  # zero-width spaces
        ("name", "\ufeff"),
        ("name", "\u200c\u200d\u00ad\u2060"),  # ZWNJ, ZWJ, soft hyphen, word joiner
        ("name", " \u200b \u3164 "),  # and a Hangul filler, drawn as nothing
        ("name", "KCN \u202eX"),  # right-to-left override
        ("name", "KCN \u2066X\u2069"),  # isolate
        ("name", "KCN\u200f X"),  # right-to-left mark
        ("district", "\u200b"),
        ("code", "KCN\u200b-X"),  # looks like KCN-X
        ("code", "\u202eKCN-X"),
        ("code", "KCN\u00ad-X"),
    ],
)
async def test_invisible_names_and_direction_controls_are_refused(
    editor: httpx.AsyncClient, fingerprint: Fingerprint, field: str, value: str
) -> None:
    before = await fingerprint()

    response = await editor.post(ZONES, json=zone(**{field: value}))

    await assert_refused(response, field, fingerprint, before)


async def test_a_member_named_only_in_zero_width_spaces_is_refused(
    editor: httpx.AsyncClient, fingerprint: Fingerprint
) -> None:
    before = await fingerprint()
    for name in ("\u200b\u200b", "Nguyễn Văn \u202eAn"):
        response = await editor.post(MEMBERS, json=member(full_name=name))
        body = await assert_refused(response, "full_name", fingerprint, before)
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in body["detail"]


async def test_a_direction_override_is_refused_in_free_text_too(
    editor: httpx.AsyncClient, fingerprint: Fingerprint
) -> None:
    before = await fingerprint()
    response = await editor.post(MEMBERS, json=member(notes="Ghi chú \u202egnol"))
    await assert_refused(response, "notes", fingerprint, before)


async def test_vietnamese_names_and_joiners_in_notes_are_taken(
    editor: httpx.AsyncClient, make_zone: ZoneFactory
) -> None:
    kcn = await make_zone()
    names = ["Nguyễn Thị Ánh Tuyết", "Đặng Văn Ơn", "Lê Thị Hằng", "Kim Min-jun", "Trần Văn Ất"]
    for name in names:
        notes = "Gia đình 👨\u200d👩\u200d👧 ở Đông Anh"  # ZWJ sequence
        response = await editor.post(MEMBERS, json=member(full_name=name, notes=notes))
        assert response.status_code == 201, response.text
        assert response.json()["full_name"] == name
        assert response.json()["notes"] == notes
    decomposed = "Nguye\u0302\u0303n Va\u0306n An"  # NFD: stored NFC
    response = await editor.post(MEMBERS, json=member(full_name=decomposed))
    assert response.status_code == 201, response.text
    assert response.json()["full_name"] == "Nguyễn Văn An"

    response = await editor.post(
        ENTERPRISES,
        json=enterprise(kcn.id, name="Công ty TNHH Điện tử Ánh Dương", address="Lô 12, KCN"),
    )
    assert response.status_code == 201, response.text
    response = await editor.post(ZONES, json=zone(code="KCN-ĐA", name="KCN Đông Anh"))
    assert response.status_code == 201, response.text


# Every field and parameter, so that a new one cannot slip back to lax parsing


def _models(base: type[BaseModel]) -> Iterator[type[BaseModel]]:
    for sub in base.__subclasses__():
        yield sub
        yield from _models(sub)


def _typed_leaves(schema: Any, parent: Any = None) -> Iterator[tuple[dict[str, Any], Any]]:
    """Every int, bool, decimal, date and datetime in a core schema, with the function of the
    before-validator wrapping it directly (if any)."""
    if isinstance(schema, dict):
        if schema.get("type") in {"int", "bool", "decimal", "date", "datetime"}:
            yield schema, parent
        wrapper = (
            schema["function"]["function"] if schema.get("type") == "function-before" else None
        )
        for value in schema.values():
            yield from _typed_leaves(value, wrapper)
    elif isinstance(schema, list):
        for value in schema:
            yield from _typed_leaves(value, None)


GUARDS = {
    "date": schemas._iso_date,
    "datetime": schemas._iso_datetime,
    "decimal": schemas._plain_decimal,
}


def _lax_fields(base: type[BaseModel], integers: str) -> list[str]:
    import app.main  # noqa: F401  (every domain's schemas)

    lax = []
    for model in _models(base):
        for leaf, wrapper in _typed_leaves(model.__pydantic_core_schema__):
            kind = leaf["type"]
            if kind == "int":
                ok = (
                    leaf.get("strict")
                    if integers == "strict"
                    else wrapper is schemas._plain_integer
                )
            elif kind == "bool":
                ok = leaf.get("strict") or base is FilterModel
            else:
                ok = wrapper is GUARDS[kind]
            if not ok:
                lax.append(f"{model.__module__}.{model.__name__}: {kind}")
    return lax


def test_every_body_number_boolean_and_date_is_strict() -> None:
    assert _lax_fields(InputModel, integers="strict") == []


def test_every_filter_number_and_date_is_plain() -> None:
    assert _lax_fields(FilterModel, integers="plain") == []


def _probe(model: type[BaseModel], field: str, value: str) -> bool:
    """Whether `model` takes `value` for `field` (errors of other fields aside)."""
    try:
        model.model_validate({field: value})
    except ValidationError as exc:
        return not any(error["loc"][:1] == (field,) for error in exc.errors())
    return True


def test_every_required_text_must_show_something_and_no_text_takes_an_override() -> None:
    import app.main  # noqa: F401

    faults = []
    for model in _models(InputModel):
        for field in model.model_fields:
            if not _probe(model, field, "") and _probe(model, field, "\u200b"):
                faults.append(f"{model.__name__}.{field} takes a zero-width space")
            if _probe(model, field, "Abcdefgh") and _probe(model, field, "Abc\u202edefgh"):
                faults.append(f"{model.__name__}.{field} takes U+202E")
    assert faults == []


def _routes(routes: list[Any]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):  # an included router
            yield from _routes(route.original_router.routes)


def test_no_path_or_query_parameter_reads_underscores_or_seconds(app: Any) -> None:
    lax = set()
    for route in _routes(app.routes):
        stack = [route.dependant]
        while stack:
            dependant = stack.pop()
            stack.extend(dependant.dependencies)
            for field in [*dependant.path_params, *dependant.query_params]:
                for probe in ("1_0", "0"):
                    value, errors = field.validate(probe, {}, loc=("query",))
                    parsed = isinstance(value, int | dt.date) and not isinstance(value, bool)
                    if not errors and parsed and str(value) != probe:
                        lax.add(field.name)
    assert not lax


def test_python_callers_still_pass_their_own_types() -> None:
    # The demo data and the services build input models from date and Decimal objects.
    data = ZoneCreate(
        code="KCN-X", name="KCN X", established_on=dt.date(2001, 1, 1), area_ha=decimal.Decimal(5)
    )
    assert data.established_on == dt.date(2001, 1, 1)
    assert data.area_ha == 5
