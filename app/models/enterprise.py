"""Enterprises in the zones (dated like members: registered, closed, reopened, workforce
reports), their key contacts and their investment projects."""

import datetime as dt
import decimal
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.audit import Audited, AuditResource
from app.models.base import Base, Searchable, Timestamped, Versioned, enum_check


class Ownership(StrEnum):
    STATE = "state"
    DOMESTIC_PRIVATE = "domestic_private"
    FDI = "fdi"


class EnterpriseStatus(StrEnum):
    OPERATING = "operating"
    SUSPENDED = "suspended"
    CLOSED = "closed"


class EnterpriseEventKind(StrEnum):
    REGISTERED = "registered"  # business registration or investment certificate
    CLOSED = "closed"  # giải thể, phá sản, chấm dứt hoạt động
    REOPENED = "reopened"
    WORKFORCE_REPORTED = "workforce_reported"  # a dated count of workers


# The kinds that open or close an enterprise; its state on a date is the latest of them.
LIFECYCLE_KINDS = (
    EnterpriseEventKind.REGISTERED,
    EnterpriseEventKind.CLOSED,
    EnterpriseEventKind.REOPENED,
)
# The kinds that carry a workers count; the count on a date is the latest of them.
WORKFORCE_KINDS = (EnterpriseEventKind.REGISTERED, EnterpriseEventKind.WORKFORCE_REPORTED)


class ContactRole(StrEnum):
    OWNER = "owner"
    GENERAL_DIRECTOR = "general_director"
    HR_DIRECTOR = "hr_director"
    ADMIN_HEAD = "admin_head"
    UNION_CHAIR = "union_chair"
    YOUTH_SECRETARY = "youth_secretary"
    OTHER = "other"


class ProjectStatus(StrEnum):
    ACTIVE = "active"
    TERMINATED = "terminated"


class Enterprise(Searchable, Versioned, Timestamped, Base):
    __tablename__ = "enterprises"
    __audit__ = Audited(AuditResource.ENTERPRISE)
    __search_fields__ = ("name", "foreign_name", "tax_code")
    __table_args__ = (
        enum_check("ownership", Ownership),
        enum_check("status", EnterpriseStatus),
        CheckConstraint(r"tax_code ~ '^[0-9]{10}(-[0-9]{3})?$'", name="tax_code_format"),
        CheckConstraint(
            "(ownership = 'fdi') = (investor_country IS NOT NULL)", name="investor_country_iff_fdi"
        ),
        CheckConstraint("workers_count >= 0", name="workers_count_not_negative"),
        CheckConstraint("(status = 'closed') = (closed_on IS NOT NULL)", name="closed_on_iff"),
        CheckConstraint("closed_on IS NULL OR closed_on >= registered_on", name="closed_after"),
        Index("ix_enterprises_name_id", "name", "id"),  # the default list order
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tax_code: Mapped[str] = mapped_column(String(14), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    foreign_name: Mapped[str | None] = mapped_column(String(300))
    zone_id: Mapped[int] = mapped_column(ForeignKey("industrial_zones.id"), index=True)
    ownership: Mapped[Ownership] = mapped_column(String(16))
    investor_country: Mapped[str | None] = mapped_column(String(2))
    industry: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(500))
    workers_count: Mapped[int] = mapped_column(default=0, server_default="0")
    has_trade_union: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    has_youth_union: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    status: Mapped[EnterpriseStatus] = mapped_column(String(16))
    # What the dated events say today (the events are the record; these are kept with them).
    registered_on: Mapped[dt.date] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)


class EnterpriseEvent(Base):
    """One dated step of an enterprise: registered (with its first workers count), closed,
    reopened, or a workforce report. Its state on a date is derived from these."""

    __tablename__ = "enterprise_events"
    __audit__ = Audited(
        AuditResource.ENTERPRISE_EVENT, parent=(AuditResource.ENTERPRISE, "enterprise_id")
    )
    __mapper_args__ = {"eager_defaults": True}  # noqa: RUF012
    __table_args__ = (
        enum_check("kind", EnterpriseEventKind),
        CheckConstraint("workers_count >= 0", name="workers_count_not_negative"),
        CheckConstraint(
            "(kind IN ('registered', 'workforce_reported')) = (workers_count IS NOT NULL)",
            name="workers_count_iff_workforce",
        ),
        Index("ix_enterprise_events_timeline", "enterprise_id", "occurred_on", "id"),
        # One workforce report per enterprise and day: a second one corrects it.
        Index(
            "uq_enterprise_events_workforce_day",
            "enterprise_id",
            "occurred_on",
            unique=True,
            postgresql_where=text("kind = 'workforce_reported'"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"))
    kind: Mapped[EnterpriseEventKind] = mapped_column(String(24))
    occurred_on: Mapped[dt.date] = mapped_column(Date)
    workers_count: Mapped[int | None] = mapped_column()
    reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class EnterpriseContact(Searchable, Versioned, Timestamped, Base):
    """A key person the working groups meet: owner, director, HR, union chair…"""

    __tablename__ = "enterprise_contacts"
    __audit__ = Audited(
        AuditResource.ENTERPRISE_CONTACT, parent=(AuditResource.ENTERPRISE, "enterprise_id")
    )
    __personal__ = ("phone", "email", "notes")
    __search_fields__ = ("full_name",)
    __table_args__ = (enum_check("role", ContactRole),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprises.id", ondelete="CASCADE"), index=True
    )
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[ContactRole] = mapped_column(String(32))
    title: Mapped[str | None] = mapped_column(String(200))
    nationality: Mapped[str | None] = mapped_column(String(2))
    preferred_language: Mapped[str | None] = mapped_column(String(2))
    phone: Mapped[str | None] = mapped_column(String(50))
    email: Mapped[str | None] = mapped_column(String(254))
    notes: Mapped[str | None] = mapped_column(Text)


class InvestmentProject(Searchable, Versioned, Timestamped, Base):
    __tablename__ = "investment_projects"
    __audit__ = Audited(
        AuditResource.INVESTMENT_PROJECT, parent=(AuditResource.ENTERPRISE, "enterprise_id")
    )
    __search_fields__ = ("name",)
    __table_args__ = (
        enum_check("status", ProjectStatus),
        CheckConstraint("registered_capital_usd >= 0", name="capital_not_negative"),
        CheckConstraint(
            "(status = 'terminated') = (terminated_on IS NOT NULL)", name="terminated_on_iff"
        ),
        CheckConstraint(
            "terminated_on IS NULL OR terminated_on >= licensed_on", name="terminated_after_licence"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    licensed_on: Mapped[dt.date] = mapped_column(Date, index=True)
    registered_capital_usd: Mapped[decimal.Decimal] = mapped_column(Numeric(16, 2))
    is_fdi: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[ProjectStatus] = mapped_column(String(16))
    terminated_on: Mapped[dt.date | None] = mapped_column(Date)
