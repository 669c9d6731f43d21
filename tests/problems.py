"""Assertions on application/problem+json responses, shared by every router's tests."""

from typing import Any

import httpx

from app.core.problem_codes import BY_STATUS

PROBLEM_KEYS = {"type", "title", "status", "detail", "code"}


def assert_problem(
    response: httpx.Response, status: int, code: str | None = None
) -> dict[str, Any]:
    """The response is an RFC 9457 problem with this status (and code); returns its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body: dict[str, Any] = response.json()
    assert body.keys() >= PROBLEM_KEYS, body
    assert body["status"] == status
    assert body["type"].startswith("urn:kcn-party:problem:")
    assert isinstance(body["title"], str)
    assert body["title"]
    assert isinstance(body["detail"], str)
    assert body["detail"]
    if code is not None:
        assert body["code"] == code, body
    # What the schema promises clients that switch on `code`: a published value, listed for
    # this status.
    assert body["code"] in {c.value for c in BY_STATUS[status]}, body
    for error in body.get("errors") or []:
        assert {"loc", "message"} <= error.keys(), error
        assert isinstance(error["loc"], list)
    return body


def error_fields(body: dict[str, Any]) -> set[str]:
    """The last part of each `errors[].loc`: the fields a problem names."""
    return {str(error["loc"][-1]) for error in body.get("errors") or [] if error["loc"]}
