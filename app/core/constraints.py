"""Turns database constraint violations into client errors that name the field at fault."""

import re

from sqlalchemy.exc import DBAPIError, IntegrityError

from app.core.problem_codes import ProblemCode

# Constraint name -> (field, message), for the constraints whose generic wording would not help a
# user. One table for every domain; tests check that each name is a constraint of the schema.
CONSTRAINT_MESSAGES: dict[str, tuple[str | None, str]] = {
    "uq_industrial_zones_code": ("code", "an industrial zone with this code already exists"),
    "uq_enterprises_tax_code": ("tax_code", "an enterprise with this tax_code already exists"),
    "uq_organizations_active_grassroots_enterprise": (
        "enterprise_id",
        "the enterprise already has an active grassroots organization",
    ),
    "pk_class_attendees": ("member_id", "this member already attends the class"),
    "uq_campaigns_name": ("name", "a campaign with this name already exists"),
    "uq_campaign_activities_planned_visit_id": (
        "planned_visit_id",
        "the planned visit is already recorded by another activity",
    ),
    "uq_members_party_card_no": (
        "party_card_no",
        "a member with this party_card_no already exists",
    ),
}

_KEY_DETAIL = re.compile(r"Key \((?P<cols>[^)]*)\)=\((?P<vals>.*)\)")


def _columns_and_values(detail: str | None) -> tuple[list[str], str | None]:
    match = _KEY_DETAIL.search(detail or "")
    if match is None:
        return [], None
    columns = [c.strip() for c in match.group("cols").split(",")]
    # Expression indexes report e.g. "lower(username)"; keep the column name.
    columns = [re.sub(r"^\w+\((\w+)\)$", r"\1", c) for c in columns]
    return columns, match.group("vals")


def describe_integrity_error(
    exc: IntegrityError,
) -> tuple[int, ProblemCode, str, str | None] | None:
    """(status, code, detail, field) for a constraint violation, or None when it is unknown."""
    orig = exc.orig
    cause = getattr(orig, "__cause__", None) or orig
    sqlstate = getattr(orig, "sqlstate", None) or getattr(cause, "sqlstate", None)
    constraint = getattr(cause, "constraint_name", None)
    detail = getattr(cause, "detail", None)
    columns, values = _columns_and_values(detail)
    field = columns[-1] if columns else getattr(cause, "column_name", None)
    if constraint and constraint in CONSTRAINT_MESSAGES:
        known_field, message = CONSTRAINT_MESSAGES[constraint]
        status = 409 if sqlstate in ("23505", "23P01") else 422
        code = ProblemCode.CONFLICT if status == 409 else ProblemCode.RULE_VIOLATION
        return status, code, message, known_field
    if sqlstate == "23505":
        shown = ", ".join(columns) or "value"
        return (
            409,
            ProblemCode.CONFLICT,
            f"{shown} {values!r} is already in use" if values else (f"{shown} is already in use"),
            field,
        )
    if sqlstate == "23503":
        if detail and "is still referenced" in detail:
            table = re.search(r'from table "(\w+)"', detail)
            where = table.group(1).replace("_", " ") if table else "other records"
            return 409, ProblemCode.STILL_REFERENCED, f"it is still referenced by {where}", None
        return 422, ProblemCode.UNKNOWN_REFERENCE, f"{field} {values} does not exist", field
    if sqlstate == "23514":
        return 422, ProblemCode.RULE_VIOLATION, f"the values break the rule {constraint}", None
    if sqlstate == "23502":
        column = getattr(cause, "column_name", None)
        return 422, ProblemCode.VALIDATION_ERROR, f"{column} is required", column
    if sqlstate == "23P01":
        return 409, ProblemCode.CONFLICT, f"the values overlap another record ({constraint})", None
    return None


# SQLSTATE "data exceptions" (class 22) that a request's own values cause; 22000 is also what
# asyncpg reports when a parameter does not fit its type (an id beyond int4, a str for an int).
_BAD_VALUES = {
    "22000": "a value in the request is out of range or of the wrong type",
    "22001": "a text in the request is longer than its field allows",
    "22003": "a number in the request is out of range",
    "22007": "a date or time in the request is not valid",
    "22008": "a date or time in the request is out of range",
    "22021": "a text in the request contains a character that cannot be stored (such as NUL)",
    "22P02": "a value in the request is not valid for its field",
    "22P05": "a text in the request contains a character that cannot be stored",
}


def describe_data_error(exc: DBAPIError) -> str | None:
    """A message for a value the database refused, or None when the cause is not the input."""
    return _BAD_VALUES.get(str(getattr(exc.orig, "sqlstate", None)))
