"""The schema says exactly what travels (issue 13): numbers are numbers, every field a response
always carries is required, parameters are never null, names read well in generated code."""

import json
from typing import Any

import httpx

from tests.core.openapi_document import operations

SCHEMAS = "#/components/schemas/"


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"].removeprefix(SCHEMAS)} if "$ref" in node else set()
        return found.union(*(_refs(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(item) for item in node))
    return set()


def _response_models(schema: dict[str, Any]) -> set[str]:
    """Every component a successful JSON response can contain, transitively."""
    components = schema["components"]["schemas"]
    pending = {
        name
        for _path, _method, operation in operations(schema)
        for status, response in operation["responses"].items()
        if status.startswith("2")
        for name in _refs(response.get("content", {}).get("application/json", {}))
    }
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        seen.add(name)
        pending |= _refs(components[name]) - seen
    return seen


def _number_typed(property_schema: dict[str, Any]) -> bool:
    branches = property_schema.get("anyOf", [property_schema])
    return {branch.get("type") for branch in branches} <= {"number", "null"}


async def test_every_field_a_response_carries_is_required(schema: dict[str, Any]) -> None:
    components = schema["components"]["schemas"]
    models = _response_models(schema)
    assert {"Enterprise", "EnterprisePage", "Overview", "Attainment", "Token"} <= models

    for name in models:
        definition = components[name]
        if definition.get("type") == "object":
            optional = set(definition.get("properties", {})) - set(definition.get("required", []))
            assert optional == set(), name


async def test_computed_figures_are_json_numbers(schema: dict[str, Any]) -> None:
    components = schema["components"]["schemas"]
    figures = {
        "Attainment": ("percent", "percent_of_max", "expected", "forecast", "needed_per_month"),
        "QuotaRollup": ("percent",),
        "CampaignSummary": ("conversion_rate",),
        "OrganizationFigures": ("enterprises_covered_percent",),
        "InvestmentFigures": ("new_fdi_capital_usd", "active_capital_usd"),
        "Project": ("registered_capital_usd",),
        "Zone": ("area_ha",),
    }
    for model, fields in figures.items():
        for field in fields:
            assert _number_typed(components[model]["properties"][field]), (model, field)


async def test_parameters_are_never_null(schema: dict[str, Any]) -> None:
    parameters = [
        parameter
        for _path, _method, operation in operations(schema)
        for parameter in operation.get("parameters", [])
    ]
    assert len(parameters) > 100

    for parameter in parameters:
        text = json.dumps(parameter["schema"])
        assert '"null"' not in text, parameter
        assert parameter["schema"].get("default", "absent") is not None, parameter


async def test_enum_values_that_are_no_identifier_get_readable_names(
    schema: dict[str, Any],
) -> None:
    [sort] = [
        parameter["schema"]
        for parameter in schema["paths"]["/api/v1/enterprises"]["get"]["parameters"]
        if parameter["name"] == "sort"
    ]
    assert sort["x-enum-varnames"] == ["name", "tax_code", "workers_count_desc"]

    named = [node for node in _walk(schema) if "x-enum-varnames" in node]
    assert len(named) >= 8
    for node in named:
        names = node["x-enum-varnames"]
        assert len(names) == len(set(names)) == len(node["enum"]), node
        assert all(name.isidentifier() for name in names), node


def _walk(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        return [node, *(found for value in node.values() for found in _walk(value))]
    if isinstance(node, list):
        return [found for item in node for found in _walk(item)]
    return []


async def test_schema_names_are_words_generators_keep(schema: dict[str, Any]) -> None:
    names = set(schema["components"]["schemas"])

    assert [name for name in names if not name.isalnum()] == []
    assert {"EnterprisePage", "MemberPage", "TokenRequest"} <= names
    token = schema["paths"]["/api/v1/auth/token"]["post"]["requestBody"]["content"]
    assert token["application/x-www-form-urlencoded"]["schema"]["$ref"].endswith("/TokenRequest")


async def test_a_percentage_arrives_as_a_number(
    editor: httpx.AsyncClient,
) -> None:
    organization = await editor.post(
        "/api/v1/organizations",
        json={"name": "Chi bộ A", "kind": "grassroots_cell", "established_on": "2023-01-01"},
    )
    assert organization.status_code == 201, organization.text
    target = await editor.post(
        "/api/v1/targets",
        json={
            "name": "Cells",
            "metric": "organizations_established",
            "period_start": "2023-01-01",
            "period_end": "2023-12-31",
            "value": 3,
        },
    )
    assert target.status_code == 201, target.text

    answer = await editor.get(f"/api/v1/targets/{target.json()['id']}/attainment?as_of=2023-12-31")
    assert answer.status_code == 200, answer.text
    assert answer.json()["percent"] == 33.3
    assert '"percent":33.3' in answer.text.replace(" ", "")


async def test_responses_that_carry_an_etag_declare_it(
    schema: dict[str, Any], editor: httpx.AsyncClient
) -> None:
    def declared(method: str, path: str, status: str = "200") -> bool:
        return "ETag" in schema["paths"][path][method]["responses"][status]["headers"]

    zone = await editor.post(
        "/api/v1/industrial-zones",
        json={"code": "KCN-E", "name": "KCN E", "established_on": "2001-01-01"},
    )
    assert zone.status_code == 201, zone.text
    assert declared("post", "/api/v1/industrial-zones", "201")
    assert zone.headers["ETag"]
    read = await editor.get(f"/api/v1/industrial-zones/{zone.json()['id']}")
    assert declared("get", "/api/v1/industrial-zones/{zone_id}")
    changed = await editor.patch(
        f"/api/v1/industrial-zones/{zone.json()['id']}",
        json={"name": "KCN E2"},
        headers={"If-Match": read.headers["ETag"]},
    )
    assert changed.status_code == 200, changed.text
    assert declared("patch", "/api/v1/industrial-zones/{zone_id}")
    assert changed.headers["ETag"] != read.headers["ETag"]
    me = await editor.get("/api/v1/auth/me")
    assert me.headers["ETag"]
    assert declared("get", "/api/v1/auth/me")

    assert not declared("get", "/api/v1/industrial-zones")  # a list has no version
    assert "ETag" not in (await editor.get("/api/v1/industrial-zones")).headers


async def test_problem_codes_are_an_enum_with_a_real_example_per_status(
    schema: dict[str, Any],
) -> None:
    components = schema["components"]["schemas"]
    assert components["Problem"]["properties"]["code"]["$ref"].endswith("/ProblemCode")
    codes = set(components["ProblemCode"]["enum"])
    assert {"not_found", "stale_etag", "admission_age", "validation_error"} <= codes

    examples = 0
    for _path, _method, operation in operations(schema):
        for status, response in operation["responses"].items():
            content = response.get("content", {}).get("application/problem+json")
            if content is None:
                continue
            assert "`code` is one of" in response["description"]
            if "example" in content:
                example = content["example"]
                assert example["status"] == int(status)
                assert example["code"] in codes
                assert example["code"] in response["description"]
                assert "additionalProp1" not in json.dumps(example)
                examples += 1
    assert examples > 300


async def test_an_upload_is_a_binary_file_in_the_schema(schema: dict[str, Any]) -> None:
    body = schema["paths"]["/api/v1/imports/members"]["post"]["requestBody"]["content"]
    ref = body["multipart/form-data"]["schema"]["$ref"].removeprefix(SCHEMAS)
    upload = schema["components"]["schemas"][ref]["properties"]["file"]
    assert (ref, upload["type"], upload["format"]) == ("ImportsMembersForm", "string", "binary")
