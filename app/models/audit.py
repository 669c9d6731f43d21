"""The audit trail: one append-only row per change of an audited record, and per security event
(app/core/audit.py writes it; app/audit/ reads it)."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, DateTime, Index, String, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, enum_check


class AuditResource(StrEnum):
    """What an audit event is about: one kind of record (singular, snake_case)."""

    INDUSTRIAL_ZONE = "industrial_zone"
    ORGANIZATION = "organization"
    MEMBER = "member"
    MEMBER_EVENT = "member_event"
    ENTERPRISE = "enterprise"
    ENTERPRISE_CONTACT = "enterprise_contact"
    ENTERPRISE_EVENT = "enterprise_event"
    INVESTMENT_PROJECT = "investment_project"
    TRAINING_CLASS = "training_class"
    CLASS_ATTENDEE = "class_attendee"
    CAMPAIGN = "campaign"
    CAMPAIGN_ACTIVITY = "campaign_activity"
    TARGET = "target"
    PLAN = "plan"
    PLAN_TASK = "plan_task"
    TASK_UPDATE = "task_update"
    PLANNED_VISIT = "planned_visit"
    CALENDAR_FEED = "calendar_feed"
    MATERIAL = "material"
    USER = "user"
    SESSION = "session"


class AuditAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    LOGIN = "login"  # a session opened (a login, or a password change that opens a new one)
    LOGIN_FAILED = "login_failed"
    END_SESSION = "end_session"  # logout, revocation, a password or role change, token theft
    IMPORT = "import"  # a spreadsheet brought in: its counts (each row's change is its own event)


@dataclass(frozen=True)
class Audited:
    """How the audit trail records one model's rows (its `__audit__`).

    `key` names the attribute that identifies the row as `resource_id`; `parent` the record a
    child row belongs to (its history is the parent's history too). `secret` fields are
    recorded as changed but never with a value (like the model's `__personal__` fields);
    `ignored` ones are bookkeeping and not recorded. `actions` renames row operations.
    """

    resource: AuditResource
    key: str = "id"
    parent: tuple[AuditResource, str] | None = None
    secret: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()
    actions: Mapping[str, AuditAction] = field(default_factory=dict)


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (
        enum_check("action", AuditAction),
        enum_check("resource_type", AuditResource),
        Index("ix_audit_events_resource", "resource_type", "resource_id", "id"),
        Index(
            "ix_audit_events_parent",
            "parent_type",
            "parent_id",
            "id",
            postgresql_where=text("parent_type IS NOT NULL"),
        ),
        Index("ix_audit_events_actor_id", "actor_id", "id"),
        Index("ix_audit_events_occurred_at", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    # No foreign key: the trail outlives the accounts it names.
    actor_id: Mapped[int | None] = mapped_column()
    actor_username: Mapped[str | None] = mapped_column(String(64))
    request_id: Mapped[str | None] = mapped_column(String(128))
    client_address: Mapped[str | None] = mapped_column(String(64))
    operation: Mapped[str | None] = mapped_column(String(100))
    action: Mapped[AuditAction] = mapped_column(String(16))
    resource_type: Mapped[AuditResource] = mapped_column(String(32))
    resource_id: Mapped[int | None] = mapped_column(BigInteger)
    parent_type: Mapped[AuditResource | None] = mapped_column(String(32))
    parent_id: Mapped[int | None] = mapped_column(BigInteger)
    changes: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, default=list, server_default=text("'[]'::jsonb")
    )
