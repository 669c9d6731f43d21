"""Enterprises in the zones, their key contacts and their investment projects."""

import datetime as dt
import decimal
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Numeric, String, Text
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
