"""The refusals `make fuzz` accepts as correct: schemathesis hooks, loaded by schemathesis.toml.

positive_data_acceptance (ST202) expects every request that fits the schema to succeed (or to be a
401, 403, 404 or 409). The refusals below are right although the request fits the schema, because
what decides them is something an OpenAPI schema cannot say: the stored data, an ETag, cursor or
idempotency key the server issued or saw, a rule across fields. Each entry names the status and
problem `code` the API answers with, where it applies and why; any other refusal of a schema-valid
request is still a failure, and so is everything the other checks find. schemathesis reports how
many failures these hooks dropped.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import schemathesis
from schemathesis import Case as GenericCase
from schemathesis import HookContext, Response
from schemathesis.core.failures import Failure

from app.core.schemas import CHARACTER_RULES, DATE_RANGE
from app.enterprises.codes import UNKNOWN_CODE
from bench.fuzz import ADMIN

API = "/api/v1"
POSITIVE_DATA_ACCEPTANCE = "ST202"
Case = GenericCase[Any]


def _always(_case: Case) -> bool:
    return True


@dataclass(frozen=True)
class Accepted:
    """A refusal (`status` with problem `code`) accepted on `operations` (None: every one) when
    the request and the problem fit `applies`."""

    status: int
    code: str
    operations: frozenset[str] | None = None
    applies: Callable[[Case], bool] = _always


def operations(*labels: str) -> frozenset[str]:
    """`"POST /members"` → the label schemathesis gives it, `"POST /api/v1/members"`."""
    return frozenset(f"{label.split(' ')[0]} {API}{label.split(' ')[1]}" for label in labels)


def header(name: str) -> Callable[[Case], bool]:
    return lambda case: name in (case.headers or {})


def query(name: str) -> Callable[[Case], bool]:
    return lambda case: name in (case.query or {})


ACCEPTED: tuple[Accepted, ...] = (
    # A generated If-Match is not the resource's current ETag: refusing it is what If-Match is for.
    Accepted(412, "stale_etag", applies=header("If-Match")),
    # A cursor is opaque: only a next_cursor the server issued for that list and sort is valid.
    Accepted(422, "invalid_cursor", applies=query("cursor")),
    # schemathesis sends one Idempotency-Key (the schema's example, a repeated generated value)
    # with different requests; a key names one operation, so its reuse for another is refused.
    Accepted(422, "idempotency_key_reused", applies=header("Idempotency-Key")),
    # A generated id in the body that names no row; the schema cannot list the rows that exist.
    Accepted(422, "unknown_reference"),
    # Rules on the stored records: the member's recorded history, their date of birth and
    # probation, the organization's dates, the campaign's zones and period, who may lead, whose
    # contact it is, and "not in the future" (today is not in the schema either).
    Accepted(422, "date_before_history"),
    Accepted(422, "admission_age"),
    Accepted(422, "probation_not_over"),
    Accepted(422, "organization_inactive"),
    Accepted(422, "not_a_candidate"),
    Accepted(422, "invalid_leader"),
    Accepted(422, "enterprise_outside_campaign"),
    Accepted(422, "outside_campaign_period"),
    Accepted(422, "contact_of_another_enterprise"),
    Accepted(422, "date_in_future"),
    # An enterprise's workforce is reported on days it is open; it is closed and reopened only by
    # its dated actions, not by a status in a body.
    Accepted(422, "enterprise_closed"),
    Accepted(422, "closed_by_action"),
    # What an uploaded spreadsheet holds is not in the schema (a binary string): an empty or
    # unreadable file, or rows the import refuses.
    Accepted(422, "unreadable_file"),
    Accepted(422, "import_refused"),
    # A plan's tasks: due inside the plan's period (which the schema cannot know), done with a
    # date and a result and only then, an assignee whose account is active.
    Accepted(422, "due_outside_plan"),
    Accepted(422, "result_required"),
    Accepted(422, "inactive_assignee"),
    # An activity that records a planned visit: the visit's campaign and enterprise are stored
    # data; the language of the materials handed over is the library's.
    Accepted(422, "visit_of_another_campaign"),
    Accepted(422, "visit_enterprise_mismatch"),
    Accepted(422, "material_language_mismatch"),
    # A material's file is a binary string to the schema: what it holds (a PDF, a picture, an
    # office document, else 415) is read from its bytes.
    Accepted(415, "unsupported_media_type", operations("POST /materials")),
    # A password's strength is judged from what it holds (repeats, sequences, common words and
    # names: zxcvbn, app/users/passwords.py), which a schema states only as a length: a
    # generated "aaaaaaaaaaaa" fits it.
    Accepted(
        422,
        "weak_password",
        operations("POST /users", "PATCH /users/{user_id}", "POST /auth/password"),
    ),
    # Rules across fields of one request: a campaign's dates in order, a follow-up after the
    # activity, a contact role with a contact, the scopes a metric can be set for.
    Accepted(422, "period_reversed"),
    Accepted(422, "follow_up_before_activity"),
    Accepted(422, "contact_role_required"),
    Accepted(422, "metric_scope_mismatch"),
    # `rule_violation`: the service's checks of the merged record, across its fields and against
    # stored data (a zone's status and its dates, an fdi enterprise's investor_country, a
    # project's termination, an affiliated cell's parent, dissolution after establishment and
    # after the members' records, registration after birth, a transfer elsewhere, a target's
    # period and range and scope fields, a class's dates, a report's period in order).
    Accepted(
        422,
        "rule_violation",
        operations(
            "POST /industrial-zones",
            "PATCH /industrial-zones/{zone_id}",
            "POST /enterprises",
            "PATCH /enterprises/{enterprise_id}",
            "POST /investment-projects",
            "PATCH /investment-projects/{project_id}",
            "POST /organizations",
            "PATCH /organizations/{organization_id}",
            "POST /organizations/{organization_id}/dissolve",
            "POST /members",
            "POST /members/transfer-in",
            "POST /members/{member_id}/transfer",
            "POST /targets",
            "PATCH /targets/{target_id}",
            "POST /training-classes",
            "PATCH /training-classes/{class_id}",
            "POST /plans/{plan_id}/tasks",
            "PATCH /plans/{plan_id}/tasks/{task_id}",
            "PATCH /campaigns/{campaign_id}/schedule/{visit_id}",
            "POST /materials",
            "PATCH /materials/{material_id}",
            "GET /reports/overview",
            "GET /reports/overview.csv",
            "GET /reports/overview.xlsx",
            "GET /reports/overview.pdf",
        ),
    ),
    # The two cross-field rules of request models (a problem naming the body, no field): a target
    # has a value or a min_value and max_value; a transfer has exactly one destination.
    Accepted(
        422,
        "validation_error",
        operations("POST /targets", "POST /members/{member_id}/transfer"),
    ),
)


def _problem(response: Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


# Validation errors by rules the schema states only in part:
# - no control characters, no direction overrides, something visible in a name; dates between
#   1900 and 2100 (app/core/schemas.py): JSON Schema could say so only by turning every text and
#   date field into a regular expression;
# - a two-letter code that is not in ISO 3166-1 / 639-1 (the schema states the form; the list is
#   pycountry's, app/enterprises/codes.py);
# - "greater than 0" for a decimal sent as a string (the number form states exclusiveMinimum; the
#   string form's pattern states digits only);
# - the decimal places of a decimal sent as a JSON number (`multipleOf: 0.01` is unreliable on
#   binary floats, so the schema states the places for the string form only);
# - an integer-valued float (7.0) for an integer: JSON Schema's integer includes it, the API
#   takes integers written as integers (as every JSON encoder writes them);
# - text that is too short once trimmed (every text is stored trimmed; "\u00a0" is empty);
# - e-mail addresses at reserved domains (example.com, .test: RFC 6761), which email-validator
#   refuses and `format: email` cannot express.
UNSTATED_RULES = CHARACTER_RULES | {DATE_RANGE, UNKNOWN_CODE}
DECIMAL_DIGITS = frozenset({"decimal_max_digits", "decimal_max_places", "decimal_whole_digits"})


def _sent(case: Case, loc: list[Any]) -> tuple[bool, Any]:
    """The value the request sent at a problem's `loc` (["body", "members", 0, "user_id"]),
    skipping the union branch labels pydantic adds ("constrained-int", "function-before[…]")."""
    if not loc or loc[0] != "body":
        return False, None
    value: Any = case.body
    for part in loc[1:]:
        in_dict = isinstance(value, dict) and part in value
        in_list = isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value)
        if in_dict or in_list:
            value = value[part]
        elif isinstance(part, str) and not isinstance(value, dict):
            continue  # a branch label: "list[constrained-int]", "function-before[…]"
        else:
            return False, None
    return True, value


def _unstated(case: Case, error: dict[str, Any]) -> bool:
    kind, loc = error.get("type"), error.get("loc") or []
    if kind in UNSTATED_RULES:
        return True
    found, sent = _sent(case, loc)
    if not found:
        return False
    if kind == "greater_than" and isinstance(sent, str):
        return True
    if kind in DECIMAL_DIGITS and isinstance(sent, float):
        return True
    if kind == "int_type" and isinstance(sent, float) and sent.is_integer():
        return True
    if kind == "string_too_short" and isinstance(sent, str) and sent.strip() != sent:
        return True
    return (
        kind == "value_error"
        and loc[-1] == "email"
        and "special-use or reserved" in str(error.get("message"))
    )


def _unstated_rules_only(case: Case, problem: dict[str, Any]) -> bool:
    # An optional field's refused value is also reported against its `null` branch.
    errors = [e for e in problem.get("errors") or [] if e.get("type") != "none_required"]
    return bool(errors) and all(_unstated(case, error) for error in errors)


def _whole_body_only(problem: dict[str, Any]) -> bool:
    errors = problem.get("errors") or []
    return bool(errors) and all(error.get("loc") == ["body"] for error in errors)


def is_accepted(case: Case, response: Response) -> bool:
    problem = _problem(response)
    if response.status_code == 422 and _unstated_rules_only(case, problem):
        return True
    for accepted in ACCEPTED:
        if (
            response.status_code == accepted.status
            and problem.get("code") == accepted.code
            and (accepted.operations is None or case.operation.label in accepted.operations)
            and accepted.applies(case)
            and (accepted.code != "validation_error" or _whole_body_only(problem))
        ):
            return True
    return False


@schemathesis.hook
def filter_failure(context: HookContext, failure: Failure, case: Case, response: Response) -> bool:
    """Keep every failure but a refusal listed in ACCEPTED."""
    return not (failure.code == POSITIVE_DATA_ACCEPTANCE and is_accepted(case, response))


@schemathesis.auth(refresh_interval=600, retry_on=[401])
class AdminLogin:
    """The fuzzing admin's bearer token (bench/fuzz.py passes the server and the password). A
    fuzzed logout, or the end of one of the admin's sessions, ends the token: the 401 that
    follows makes schemathesis log in again."""

    def get(self, case: Case, context: Any) -> str:
        answer = httpx.post(
            f"{os.environ['KCN_FUZZ_BASE_URL']}/api/v1/auth/token",
            data={"username": ADMIN, "password": os.environ["KCN_FUZZ_PASSWORD"]},
            timeout=30,
        )
        answer.raise_for_status()
        token: str = answer.json()["access_token"]
        return token

    def set(self, case: Case, data: str, context: Any) -> None:
        case.headers["Authorization"] = f"Bearer {data}"
