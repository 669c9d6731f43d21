"""Every `code` a problem+json answer carries: the enum clients switch on, the statuses each
comes with, and a real example per status for the OpenAPI document. Add codes; never rename one
(clients compare them)."""

from enum import StrEnum
from typing import Any


class ProblemCode(StrEnum):
    # The request itself
    BAD_REQUEST = "bad_request"
    VALIDATION_ERROR = "validation_error"
    INVALID_VALUE = "invalid_value"
    INVALID_CURSOR = "invalid_cursor"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_ACCEPTABLE = "not_acceptable"
    CONTENT_TOO_LARGE = "content_too_large"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    IDEMPOTENCY_KEY_IN_FLIGHT = "idempotency_key_in_flight"
    # Who is asking
    UNAUTHORIZED = "unauthorized"
    NOT_AUTHENTICATED = "not_authenticated"
    INVALID_TOKEN = "invalid_token"
    INVALID_CREDENTIALS = "invalid_credentials"
    INVALID_REFRESH_TOKEN = "invalid_refresh_token"
    REFRESH_TOKEN_REUSED = "refresh_token_reused"
    SESSION_ENDED = "session_ended"
    INACTIVE_USER = "inactive_user"
    TOO_MANY_ATTEMPTS = "too_many_attempts"
    TOO_MANY_REQUESTS = "too_many_requests"
    FORBIDDEN = "forbidden"
    FORBIDDEN_ROLE = "forbidden_role"
    NOT_CAMPAIGN_LEADER = "not_campaign_leader"
    NOT_ASSIGNEE = "not_assignee"
    WRONG_PASSWORD = "wrong_password"
    OWN_PASSWORD = "own_password"
    WEAK_PASSWORD = "weak_password"
    # Conflicts with what is stored
    CONFLICT = "conflict"
    DUPLICATE = "duplicate"
    STILL_REFERENCED = "still_referenced"
    CONCURRENT_UPDATE = "concurrent_update"
    PRECONDITION_FAILED = "precondition_failed"
    STALE_ETAG = "stale_etag"
    LAST_ADMIN = "last_admin"
    SELF_LOCKOUT = "self_lockout"
    ORGANIZATION_EXISTS = "organization_exists"
    ALREADY_DISSOLVED = "already_dissolved"
    HAS_ACTIVE_MEMBERS = "has_active_members"
    HAS_ACTIVE_CELLS = "has_active_cells"
    DOSSIER_EXISTS = "dossier_exists"
    INVALID_STATUS = "invalid_status"
    CAMPAIGN_HAS_RECORDS = "campaign_has_records"
    ACTIVITIES_OUTSIDE_CAMPAIGN = "activities_outside_campaign"
    ZONE_PERIOD_OVERLAP = "zone_period_overlap"
    ALREADY_CLOSED = "already_closed"
    NOT_CLOSED = "not_closed"
    VISIT_ALREADY_FULFILLED = "visit_already_fulfilled"
    DUPLICATE_MATERIAL = "duplicate_material"
    # The domain's rules
    RULE_VIOLATION = "rule_violation"
    UNKNOWN_REFERENCE = "unknown_reference"
    DATE_IN_FUTURE = "date_in_future"
    DATE_BEFORE_HISTORY = "date_before_history"
    ADMISSION_AGE = "admission_age"
    PROBATION_NOT_OVER = "probation_not_over"
    ORGANIZATION_INACTIVE = "organization_inactive"
    NOT_A_CANDIDATE = "not_a_candidate"
    METRIC_SCOPE_MISMATCH = "metric_scope_mismatch"
    PERIOD_REVERSED = "period_reversed"
    INVALID_LEADER = "invalid_leader"
    OUTSIDE_CAMPAIGN_PERIOD = "outside_campaign_period"
    ENTERPRISE_OUTSIDE_CAMPAIGN = "enterprise_outside_campaign"
    CONTACT_ROLE_REQUIRED = "contact_role_required"
    CONTACT_OF_ANOTHER_ENTERPRISE = "contact_of_another_enterprise"
    FOLLOW_UP_BEFORE_ACTIVITY = "follow_up_before_activity"
    CLOSED_BY_ACTION = "closed_by_action"
    ENTERPRISE_CLOSED = "enterprise_closed"
    UNREADABLE_FILE = "unreadable_file"
    IMPORT_REFUSED = "import_refused"
    DUE_OUTSIDE_PLAN = "due_outside_plan"
    RESULT_REQUIRED = "result_required"
    INACTIVE_ASSIGNEE = "inactive_assignee"
    VISIT_OF_ANOTHER_CAMPAIGN = "visit_of_another_campaign"
    VISIT_ENTERPRISE_MISMATCH = "visit_enterprise_mismatch"
    MATERIAL_LANGUAGE_MISMATCH = "material_language_mismatch"
    # The service's own trouble
    INTERNAL_ERROR = "internal_error"
    SERVICE_UNAVAILABLE = "service_unavailable"
    DATABASE_UNAVAILABLE = "database_unavailable"
    DATABASE_BUSY = "database_busy"
    STATEMENT_TIMEOUT = "statement_timeout"
    LOCK_TIMEOUT = "lock_timeout"
    NOT_READY = "not_ready"
    MIGRATIONS_PENDING = "migrations_pending"
    EXPORTS_BUSY = "exports_busy"


P = ProblemCode
# The codes each status can carry, anywhere in the API.
BY_STATUS: dict[int, tuple[ProblemCode, ...]] = {
    400: (P.BAD_REQUEST,),
    401: (
        P.NOT_AUTHENTICATED, P.INVALID_TOKEN, P.SESSION_ENDED, P.INACTIVE_USER,
        P.INVALID_CREDENTIALS, P.INVALID_REFRESH_TOKEN, P.REFRESH_TOKEN_REUSED, P.UNAUTHORIZED,
    ),
    403: (
        P.FORBIDDEN_ROLE, P.NOT_CAMPAIGN_LEADER, P.NOT_ASSIGNEE, P.WRONG_PASSWORD, P.OWN_PASSWORD,
        P.FORBIDDEN,
    ),
    404: (P.NOT_FOUND,),
    405: (P.METHOD_NOT_ALLOWED,),
    406: (P.NOT_ACCEPTABLE,),
    409: (
        P.CONFLICT, P.DUPLICATE, P.STILL_REFERENCED, P.CONCURRENT_UPDATE, P.LAST_ADMIN,
        P.SELF_LOCKOUT, P.ORGANIZATION_EXISTS, P.ALREADY_DISSOLVED, P.HAS_ACTIVE_MEMBERS,
        P.HAS_ACTIVE_CELLS, P.DOSSIER_EXISTS, P.INVALID_STATUS, P.CAMPAIGN_HAS_RECORDS,
        P.ACTIVITIES_OUTSIDE_CAMPAIGN, P.ZONE_PERIOD_OVERLAP, P.IDEMPOTENCY_KEY_IN_FLIGHT,
        P.ALREADY_CLOSED, P.NOT_CLOSED, P.VISIT_ALREADY_FULFILLED, P.DUPLICATE_MATERIAL,
    ),
    412: (P.STALE_ETAG, P.PRECONDITION_FAILED),
    413: (P.CONTENT_TOO_LARGE,),
    415: (P.UNSUPPORTED_MEDIA_TYPE,),
    422: (
        P.VALIDATION_ERROR, P.RULE_VIOLATION, P.INVALID_VALUE, P.INVALID_CURSOR,
        P.UNKNOWN_REFERENCE, P.DATE_IN_FUTURE, P.DATE_BEFORE_HISTORY, P.ADMISSION_AGE,
        P.PROBATION_NOT_OVER, P.ORGANIZATION_INACTIVE, P.NOT_A_CANDIDATE,
        P.METRIC_SCOPE_MISMATCH, P.PERIOD_REVERSED, P.INVALID_LEADER, P.OUTSIDE_CAMPAIGN_PERIOD,
        P.ENTERPRISE_OUTSIDE_CAMPAIGN, P.CONTACT_ROLE_REQUIRED, P.CONTACT_OF_ANOTHER_ENTERPRISE,
        P.FOLLOW_UP_BEFORE_ACTIVITY,
        P.WEAK_PASSWORD, P.IDEMPOTENCY_KEY_REUSED, P.CLOSED_BY_ACTION, P.ENTERPRISE_CLOSED,
        P.UNREADABLE_FILE, P.IMPORT_REFUSED, P.DUE_OUTSIDE_PLAN, P.RESULT_REQUIRED,
        P.INACTIVE_ASSIGNEE, P.VISIT_OF_ANOTHER_CAMPAIGN, P.VISIT_ENTERPRISE_MISMATCH,
        P.MATERIAL_LANGUAGE_MISMATCH,
    ),
    429: (P.TOO_MANY_ATTEMPTS, P.TOO_MANY_REQUESTS),
    500: (P.INTERNAL_ERROR,),
    503: (
        P.DATABASE_UNAVAILABLE, P.DATABASE_BUSY, P.STATEMENT_TIMEOUT, P.LOCK_TIMEOUT,
        P.NOT_READY, P.MIGRATIONS_PENDING, P.SERVICE_UNAVAILABLE, P.EXPORTS_BUSY,
    ),
}  # fmt: skip

# One answer per status as the service really gives it (instance and request_id vary).
_EXAMPLES: dict[int, tuple[ProblemCode, str, dict[str, Any]]] = {
    400: (P.BAD_REQUEST, "the Content-Length header is not a number", {}),
    401: (P.NOT_AUTHENTICATED, "a bearer token is required", {}),
    403: (P.FORBIDDEN_ROLE, "this action needs one of the roles: admin, editor", {}),
    404: (P.NOT_FOUND, "enterprise 7 does not exist", {}),
    405: (P.METHOD_NOT_ALLOWED, "method PUT is not allowed on /api/v1/enterprises/7", {}),
    409: (P.CONFLICT, "an enterprise with this tax_code already exists", {
        "errors": [{"loc": ["body", "tax_code"], "message":
                    "an enterprise with this tax_code already exists", "type": "conflict"}],
    }),
    412: (P.STALE_ETAG, 'the resource changed since you read it (current ETag "4"); read it '
          "again and reapply your change", {}),
    413: (P.CONTENT_TOO_LARGE, "the request body is larger than 1048576 bytes", {}),
    422: (P.VALIDATION_ERROR, "the request is not valid: tax_code: must be 10 digits, or 10 "
          "digits, a hyphen and 3 digits", {
        "errors": [{"loc": ["body", "tax_code"], "message":
                    "must be 10 digits, or 10 digits, a hyphen and 3 digits",
                    "type": "value_error"}],
    }),
    429: (P.TOO_MANY_ATTEMPTS, "too many failed logins; try again in 60 s", {}),
    500: (P.INTERNAL_ERROR, "an unexpected error occurred; quote request id "
          "5deddf3957cc4ee1b15dc14a279ae338 when reporting it", {}),
    503: (P.DATABASE_UNAVAILABLE, "the database is not reachable; nothing was saved, retry in "
          "a moment", {}),
}  # fmt: skip

EXAMPLE_STATUSES = frozenset(_EXAMPLES)

TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    409: "Conflict",
    412: "Precondition Failed",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def problem_type(code: ProblemCode) -> str:
    return f"urn:kcn-party:problem:{code.value.replace('_', '-')}"


def example(status: int) -> dict[str, Any]:
    """A real problem body of this status (the OpenAPI example)."""
    code, detail, extra = _EXAMPLES[status]
    return {
        "type": problem_type(code),
        "title": TITLES[status],
        "status": status,
        "detail": detail,
        "code": code.value,
        "instance": "/api/v1/enterprises/7",
        "request_id": "5deddf3957cc4ee1b15dc14a279ae338",
        **extra,
    }


# The code of a refusal by status alone: the HTTP layer's (not our code's) and the classes'.
GENERIC: dict[int, ProblemCode] = {
    400: P.BAD_REQUEST,
    401: P.UNAUTHORIZED,
    403: P.FORBIDDEN,
    404: P.NOT_FOUND,
    405: P.METHOD_NOT_ALLOWED,
    406: P.NOT_ACCEPTABLE,
    409: P.CONFLICT,
    412: P.PRECONDITION_FAILED,
    413: P.CONTENT_TOO_LARGE,
    415: P.UNSUPPORTED_MEDIA_TYPE,
    422: P.RULE_VIOLATION,
    429: P.TOO_MANY_REQUESTS,
    500: P.INTERNAL_ERROR,
    503: P.SERVICE_UNAVAILABLE,
}


def code_for_status(status: int) -> ProblemCode:
    return GENERIC.get(status, P.INTERNAL_ERROR if status >= 500 else P.BAD_REQUEST)
