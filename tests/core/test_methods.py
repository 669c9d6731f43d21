"""A method a path does not support is 405 with an `Allow` naming every method the path supports
(RFC 9110 §15.5.6), including where a fixed path sits beside an `/{id}` one."""

import re

import httpx
import pytest
from fastapi import FastAPI

from tests.problems import assert_problem

API = "/api/v1"


def allowed(response: httpx.Response) -> set[str]:
    return {method.strip() for method in response.headers["Allow"].split(",")}


async def test_405_allow_lists_every_method_of_the_path(admin: httpx.AsyncClient) -> None:
    response = await admin.put(f"{API}/members/1")

    body = assert_problem(response, 405, "method_not_allowed")
    assert "PUT" in body["detail"]
    assert allowed(response) == {"GET", "PATCH", "DELETE"}


@pytest.mark.parametrize(
    ("path", "methods"),
    [(f"{API}/members/transfer-in", {"POST"}), (f"{API}/targets/metrics", {"GET"})],
)
async def test_a_fixed_path_beside_an_id_path_is_not_taken_for_an_id(
    admin: httpx.AsyncClient, path: str, methods: set[str]
) -> None:
    response = await admin.patch(path, json={})

    assert_problem(response, 405, "method_not_allowed")
    assert allowed(response) == methods


async def test_allow_matches_the_schema_on_every_path(
    app: FastAPI, admin: httpx.AsyncClient
) -> None:
    for path, operations in app.openapi()["paths"].items():
        declared = {method.upper() for method in operations}
        url = re.sub(r"\{[^}]+\}", "1", path)

        response = await admin.options(url)

        assert response.status_code == 405, (path, response.text)
        assert allowed(response) == declared, path
