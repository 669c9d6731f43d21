"""What the generated OpenAPI document adds for client generators and readers: the server, a
description per tag, `security: []` on the public operations, the response headers every
client may read (X-Request-ID, Location, Retry-After), and errors as problem+json only."""

from typing import Any

from fastapi import FastAPI

from app.core.errors import problem_content_only

TAGS: list[dict[str, str]] = [
    {"name": "auth", "description": "Logging in, refreshing, logging out, your own password."},
    {"name": "users", "description": "Accounts, roles and their sessions (admins)."},
    {"name": "audit", "description": "The audit trail of every change and login (admins)."},
    {"name": "industrial-zones", "description": "The industrial and export-processing zones."},
    {"name": "enterprises", "description": "Enterprises in the zones and their counts."},
    {"name": "enterprise-contacts", "description": "Key people of an enterprise."},
    {"name": "investment-projects", "description": "Investment projects and their licences."},
    {
        "name": "organizations",
        "description": "Party organizations: committees, cells and affiliated cells, as of a date.",
    },
    {
        "name": "members",
        "description": "Candidates and party members, their steps (dossier, admission, "
        "recognition, transfer, removal) and their history.",
    },
    {"name": "training-classes", "description": "Classes for candidates and members."},
    {"name": "class-attendees", "description": "Who attends a class and who completed it."},
    {"name": "campaigns", "description": "The outreach working groups, their zones and results."},
    {"name": "campaign-activities", "description": "Visits, meetings and calls of a campaign."},
    {"name": "targets", "description": "Targets set by the city and their attainment."},
    {"name": "attainment", "description": "Every target in force and how far it is met."},
    {"name": "reports", "description": "The overview and attainment reports, and downloads."},
    {"name": "health", "description": "Liveness and readiness for orchestrators."},
]

_STRING = {"type": "string"}
REQUEST_ID = {
    "description": "The request's id (sent as X-Request-ID, or made up); in the logs too.",
    "required": True,
    "schema": _STRING,
}
LOCATION = {"description": "Where the created resource lives.", "schema": _STRING}
RETRY_AFTER = {"description": "Seconds to wait before trying again.", "schema": {"type": "integer"}}


def describe(app: FastAPI) -> None:
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        schema["servers"] = [{"url": "/", "description": "This server"}]
        schema["tags"] = TAGS
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                problem_content_only(operation)
                operation.setdefault("security", [])  # no bearer token needed
                for status, response in operation.get("responses", {}).items():
                    headers = response.setdefault("headers", {})
                    headers["X-Request-ID"] = REQUEST_ID
                    if str(status) == "201":
                        headers["Location"] = LOCATION
                    if str(status) in ("429", "503"):
                        headers["Retry-After"] = RETRY_AFTER
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
