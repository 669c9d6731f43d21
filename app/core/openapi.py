"""What the generated OpenAPI document adds for client generators and readers: the server, a
description per tag, `security: []` on the public operations, the response headers every
client may read (X-Request-ID, Location, ETag, Retry-After), errors as problem+json only, parameters
that are never "or null", readable names for list pages and enum values."""

import json
import re
from typing import Any, cast

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
    {
        "name": "campaign-schedule",
        "description": "A campaign's planned visits, and the same as an iCalendar feed.",
    },
    {
        "name": "calendar",
        "description": "Personal calendar feeds of planned visits, for phone calendar apps.",
    },
    {
        "name": "materials",
        "description": "The outreach materials library, and the languages a pipeline lacks.",
    },
    {
        "name": "plans",
        "description": "The Standing Committee's plans and, per assignee, what is done and due.",
    },
    {
        "name": "plan-tasks",
        "description": "A plan's tasks, each with one assignee, and their progress notes.",
    },
    {"name": "targets", "description": "Targets set by the city and their attainment."},
    {"name": "attainment", "description": "Every target in force and how far it is met."},
    {"name": "reports", "description": "The overview and attainment reports, and downloads."},
    {
        "name": "imports",
        "description": "Spreadsheets of enterprises, organizations or members brought in: "
        "checked row by row, written all or nothing.",
    },
    {
        "name": "exports",
        "description": "The registers (enterprises, organizations, members) as CSV or XLSX "
        "files that import back.",
    },
    {"name": "health", "description": "Liveness and readiness for orchestrators."},
]

SCHEMAS = "#/components/schemas/"
_STRING = {"type": "string"}
REQUEST_ID = {
    "description": "The request's id (sent as X-Request-ID, or made up); in the logs too.",
    "required": True,
    "schema": _STRING,
}
LOCATION = {"description": "Where the created resource lives.", "schema": _STRING}
RETRY_AFTER = {"description": "Seconds to wait before trying again.", "schema": {"type": "integer"}}
ETAG = {
    "description": "The version of the resource returned; send it back as If-Match to change "
    "it only if nobody changed it since (412 otherwise).",
    "required": True,
    "schema": _STRING,
}


# Schema names pydantic and FastAPI make up, and the names clients get instead.
_GENERIC_PAGE = re.compile(r"Page_(\w+)_")
_RENAMED = {"Body_auth-token": "TokenRequest"}
_NULL = {"type": "null"}


def _schema_name(name: str) -> str:
    """`Page_Enterprise_` → `EnterprisePage`; `Body_auth-token` → `TokenRequest`; another
    operation's form, `Body_imports-members` → `ImportsMembersForm`."""
    if page := _GENERIC_PAGE.fullmatch(name):
        return f"{page.group(1)}Page"
    if name in _RENAMED:
        return _RENAMED[name]
    if name.startswith("Body_"):
        words = re.split(r"[^0-9A-Za-z]+", name.removeprefix("Body_"))
        return "".join(word.capitalize() for word in words) + "Form"
    return name


def _renamed(node: Any, names: dict[str, str]) -> Any:
    """The document with each `$ref` to a renamed schema pointing at its new name."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(SCHEMAS):
            return {**node, "$ref": SCHEMAS + names[ref.removeprefix(SCHEMAS)]}
        return {key: _renamed(value, names) for key, value in node.items()}
    if isinstance(node, list):
        return [_renamed(item, names) for item in node]
    return node


def _never_null(parameter: dict[str, Any]) -> None:
    """A parameter left out is absent, never null: `anyOf: [X, null]` becomes X (query strings
    and headers cannot carry a null, and generators turn the union into awkward types)."""
    _not_null(parameter["schema"])


def _form_fields_never_null(components: dict[str, Any]) -> None:
    """A multipart form's field is sent or left out, never null (a form has no null): each
    `anyOf: [X, null]` of a form's fields becomes X."""
    for name, form in components.items():
        if name.endswith("Form") and form.get("type") == "object":
            for field in form.get("properties", {}).values():
                _not_null(field)


def _not_null(schema: dict[str, Any]) -> None:
    branches = [branch for branch in schema.get("anyOf", []) if branch != _NULL]
    if "anyOf" in schema and len(branches) == 1:
        del schema["anyOf"]
        schema.update({**branches[0], **schema})
    if schema.get("default", 0) is None:
        del schema["default"]


def _uploads_as_files(node: Any) -> None:
    """An uploaded file (OpenAPI 3.1's `contentMediaType`) also says `format: binary`, which
    openapi-python-client and others read as a file rather than a string."""
    if isinstance(node, dict):
        if node.get("type") == "string" and "contentMediaType" in node:
            node.setdefault("format", "binary")
        for value in node.values():
            _uploads_as_files(value)
    elif isinstance(node, list):
        for item in node:
            _uploads_as_files(item)


def _enum_names(node: Any) -> None:
    """`x-enum-varnames` where an enum value is no identifier: `-workers_count` becomes
    `workers_count_desc` in generated clients, not `VALUE_2`."""
    if isinstance(node, dict):
        values = node.get("enum")
        if isinstance(values, list) and not all(
            isinstance(value, str) and value.isidentifier() for value in values
        ):
            node["x-enum-varnames"] = [_enum_name(value) for value in values]
        for value in node.values():
            _enum_names(value)
    elif isinstance(node, list):
        for item in node:
            _enum_names(item)


def _enum_name(value: object) -> str:
    text = str(value)
    if text.startswith("-"):  # a descending sort key
        return f"{_enum_name(text[1:])}_desc"
    return re.sub(r"[^0-9a-zA-Z]+", "_", text).strip("_").lower() or "empty"


def _json_schema_ref(response: dict[str, Any]) -> str | None:
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    ref = schema.get("$ref")
    return ref if isinstance(ref, str) else None


def _versioned(paths: dict[str, Any]) -> set[str]:
    """The resources that take If-Match: those a PATCH with an If-Match header changes; each
    response carrying one of them carries its ETag (app.core.http.set_etag)."""
    versioned = set()
    for item in paths.values():
        patch = item.get("patch", {})
        if any(p["name"] == "If-Match" for p in patch.get("parameters", [])):
            ref = _json_schema_ref(patch.get("responses", {}).get("200", {}))
            if ref is not None:
                versioned.add(ref)
    return versioned


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"].removeprefix(SCHEMAS)} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(_refs(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(item) for item in node))
    return set()


def _closure(names: set[str], components: dict[str, Any]) -> set[str]:
    """`names` and every component they refer to, transitively."""
    seen: set[str] = set()
    pending = set(names)
    while pending:
        name = pending.pop()
        seen.add(name)
        pending |= _refs(components.get(name, {})) - seen
    return seen


def _defaults_in_words(schema: dict[str, Any]) -> None:
    """A request body's field with a default is optional, but openapi-typescript (its default
    `defaultNonNullable`) types every field with a `default` as required. In the components
    only request bodies use, a default is said in the description instead: "Default: `0`."
    Responses keep nothing to say: every field they carry is required (OutputModel)."""
    components = schema["components"]["schemas"]
    operations = [op for item in schema["paths"].values() for op in item.values()]
    bodies = _closure({n for op in operations for n in _refs(op.get("requestBody"))}, components)
    answers = _closure({n for op in operations for n in _refs(op.get("responses"))}, components)
    for name in bodies - answers:
        for field in components[name].get("properties", {}).values():
            if "default" in field:
                default = json.dumps(field.pop("default"), ensure_ascii=False)
                said = field.get("description", "").rstrip()
                field["description"] = f"{said} Default: `{default}`.".lstrip()


def describe(app: FastAPI) -> None:
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        components = schema.get("components", {}).get("schemas", {})
        names = {name: _schema_name(name) for name in components}
        schema = cast(dict[str, Any], _renamed(schema, names))
        schema["components"]["schemas"] = {
            names[name]: definition | ({"title": names[name]} if names[name] != name else {})
            for name, definition in schema["components"]["schemas"].items()
        }
        schema["servers"] = [{"url": "/", "description": "This server"}]
        schema["tags"] = TAGS
        versioned = _versioned(schema.get("paths", {}))
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                problem_content_only(operation)
                for parameter in operation.get("parameters", []):
                    _never_null(parameter)
                operation.setdefault("security", [])  # no bearer token needed
                for status, response in operation.get("responses", {}).items():
                    headers = response.setdefault("headers", {})
                    headers["X-Request-ID"] = REQUEST_ID
                    if str(status) == "201":
                        headers["Location"] = LOCATION
                    if str(status) in ("200", "201") and _json_schema_ref(response) in versioned:
                        headers["ETag"] = ETAG
                    if str(status) in ("429", "503"):
                        headers["Retry-After"] = RETRY_AFTER
        _enum_names(schema)
        _uploads_as_files(schema["components"]["schemas"])
        _form_fields_never_null(schema["components"]["schemas"])
        _defaults_in_words(schema)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
