"""The OpenAPI contract for generated clients, and docs that work without internet."""

import re
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.core.openapi_document import operations

OPERATION_IDS = Path(__file__).with_name("operation_ids.txt")
PROBLEM_REF = "#/components/schemas/Problem"


async def test_operation_ids_are_unique_and_named_tag_dash_verb(schema: dict[str, Any]) -> None:
    published = operations(schema)
    assert published

    ids = Counter(operation["operationId"] for _path, _method, operation in published)
    assert [op_id for op_id, n in ids.items() if n > 1] == []
    for path, method, operation in published:
        assert len(operation.get("tags", [])) == 1, (method, path)
        tag = operation["tags"][0]
        op_id = operation["operationId"]
        assert op_id.startswith(f"{tag}-"), (method, path, op_id)
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", op_id.removeprefix(f"{tag}-")), op_id


async def test_operation_ids_are_the_frozen_ones(schema: dict[str, Any]) -> None:
    """Generated clients name their methods after these: a renamed id breaks them."""
    frozen = {
        tuple(line.split())
        for line in OPERATION_IDS.read_text().splitlines()
        if line and not line.startswith("#")
    }
    published = {
        (method.upper(), path, operation["operationId"])
        for path, method, operation in operations(schema)
    }

    assert sorted(frozen - published) == [], "an operation id changed or disappeared"
    assert sorted(published - frozen) == [], f"a new operation: add it to {OPERATION_IDS.name}"
    assert ("GET", "/api/v1/enterprises", "enterprises-list") in published


async def test_every_operation_has_a_summary_and_a_description(schema: dict[str, Any]) -> None:
    for path, method, operation in operations(schema):
        assert operation.get("summary"), (method, path)
        assert operation.get("description"), (method, path)
        assert operation["summary"].lower() not in ("list", "get", "create", "update", "delete")


async def test_every_operation_has_a_declared_tag(schema: dict[str, Any]) -> None:
    declared = {tag for _p, _m, op in operations(schema) for tag in op["tags"]}

    assert {"auth", "users", "health"} <= declared


async def test_one_schema_per_model_without_input_output_split(schema: dict[str, Any]) -> None:
    names = list(schema["components"]["schemas"])

    assert [n for n in names if n.endswith(("-Input", "-Output", "_Input", "_Output"))] == []
    assert {"UserRead", "UserCreate", "UserUpdate", "Problem", "FieldError"} <= set(names)


async def test_problem_schema_is_declared_and_referenced_by_api_errors(
    schema: dict[str, Any],
) -> None:
    problem = schema["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "code"} <= set(problem["required"])

    for path, method, operation in operations(schema):
        if not path.startswith("/api/v1/"):
            continue
        responses = operation["responses"]
        public = operation.get("security") == []  # a 401 only where a token is asked for
        for status in ("422",) if public and "401" not in responses else ("401", "422"):
            assert status in responses, (method, path, status)
            content = responses[status]["content"]
            assert content["application/problem+json"]["schema"]["$ref"] == PROBLEM_REF
    readyz = schema["paths"]["/readyz"]["get"]["responses"]["503"]["content"]
    assert readyz["application/problem+json"]["schema"]["$ref"] == PROBLEM_REF


async def test_protected_operations_declare_the_bearer_scheme(schema: dict[str, Any]) -> None:
    schemes = schema["components"]["securitySchemes"]
    assert schemes["OAuth2PasswordBearer"]["flows"]["password"]["tokenUrl"] == "/api/v1/auth/token"

    for path, method, operation in operations(schema):
        # No bearer token to send yet; a calendar app cannot send one (its URL holds a token).
        public = ("/api/v1/auth/token", "/api/v1/auth/refresh", "/api/v1/calendar/feed/{token}.ics")
        if path.startswith("/api/v1/") and path not in public:
            assert operation.get("security"), (method, path)


async def test_public_operations_say_they_need_no_token(schema: dict[str, Any]) -> None:
    public = {
        (path, method)
        for path, method, operation in operations(schema)
        if operation["security"] == []
    }
    assert public == {
        ("/api/v1/auth/token", "post"),
        ("/api/v1/auth/refresh", "post"),
        ("/api/v1/calendar/feed/{token}.ics", "get"),
        ("/healthz", "get"),
        ("/readyz", "get"),
    }


async def test_the_document_names_its_server_and_describes_every_tag(
    schema: dict[str, Any],
) -> None:
    assert schema["servers"] == [{"url": "/", "description": "This server"}]
    described = {tag["name"] for tag in schema["tags"] if tag["description"]}
    used = {tag for _path, _method, operation in operations(schema) for tag in operation["tags"]}
    assert used == described


async def test_responses_declare_the_headers_clients_read(
    schema: dict[str, Any], anon: httpx.AsyncClient
) -> None:
    statuses = set()
    for path, method, operation in operations(schema):
        for status, response in operation["responses"].items():
            headers = response["headers"]
            assert headers["X-Request-ID"]["required"] is True, (method, path, status)
            if status == "201":
                assert "Location" in headers, (method, path)
            if status in ("429", "503"):
                assert "Retry-After" in headers, (method, path, status)
            statuses.add(status)
    assert {"201", "429", "503"} <= statuses
    answer = await anon.get("/api/v1/auth/me")
    assert answer.headers["X-Request-ID"]  # what the document promises, on a refusal too


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_docs_pages_name_no_external_host(anon: httpx.AsyncClient, page: str) -> None:
    response = await anon.get(page)
    assert response.status_code == 200
    html = response.text

    assert re.findall(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}", html) == []
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert assets
    for asset in assets:
        assert asset.startswith("/static-offline-docs/"), asset


async def test_docs_assets_are_served_locally(anon: httpx.AsyncClient) -> None:
    html = (await anon.get("/docs")).text
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)

    for asset in assets:
        response = await anon.get(asset)
        assert response.status_code == 200, asset
        assert len(response.content) > 1000, asset
    assert "/openapi.json" in html


async def test_root_redirects_to_the_docs(anon: httpx.AsyncClient) -> None:
    response = await anon.get("/")

    assert response.status_code in (302, 307)
    assert response.headers["Location"] == "/docs"
