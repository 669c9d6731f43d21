"""The audit trail as the API shows it."""

import datetime as dt

from pydantic import Field, JsonValue

from app.core.schemas import Date, FilterModel, OutputModel, ParamInt
from app.models import AuditAction, AuditResource


class FieldChange(OutputModel):
    field: str
    before: JsonValue = Field(description="The value before; null for a new record.")
    after: JsonValue = Field(description="The value after; null for a deleted record.")
    masked: bool = Field(
        description="Personal data or a secret: recorded as changed, its values withheld."
    )


class AuditEvent(OutputModel):
    id: int
    occurred_at: dt.datetime = Field(description="When the transaction that made the change began.")
    actor_id: int | None = Field(description="The user who acted; null for the CLI or a login.")
    actor_username: str | None = Field(description="Their username at the time.")
    request_id: str | None = Field(description="The request's X-Request-ID (in the access log).")
    client_address: str | None = Field(description="The client's address; null for editors.")
    operation: str | None = Field(
        description="The API operation (its operationId) or the CLI command that made the change."
    )
    action: AuditAction
    resource_type: AuditResource
    resource_id: int | None = Field(
        description="The record; null for a failed login with an unknown username."
    )
    parent_type: AuditResource | None = Field(
        description="The record a child record belongs to (a member event's member)."
    )
    parent_id: int | None
    changes: list[FieldChange] = Field(
        description="The fields set by a create, changed by an update or held by a deleted "
        "record; a campaign's `zone_ids` and `members`; a failed login's `reason`."
    )


class AuditFilters(FilterModel):
    actor_id: ParamInt | None = Field(default=None, description="Changes made by this user.")
    resource_type: AuditResource | None = None
    resource_id: ParamInt | None = Field(
        default=None, description="With resource_type: the events of one record."
    )
    action: AuditAction | None = None
    request_id: str | None = Field(
        default=None, max_length=128, description="The events of one request."
    )
    occurred_from: Date | None = Field(
        default=None, description="On or after this day (Hanoi time)."
    )
    occurred_to: Date | None = Field(
        default=None, description="On or before this day (Hanoi time)."
    )
