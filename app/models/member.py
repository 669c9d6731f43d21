"""People in the pipeline and in the party, and the dated events that are their history."""

import datetime as dt
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.audit import Audited, AuditResource
from app.models.base import Base, Searchable, Timestamped, Versioned, enum_check


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"


class SourceGroup(StrEnum):
    MANAGER = "manager"
    UNION_COMMITTEE = "union_committee"
    YOUTH_COMMITTEE = "youth_committee"
    WORKER = "worker"
    OTHER = "other"


class MemberStatus(StrEnum):
    CANDIDATE = "candidate"  # quần chúng ưu tú, in the pipeline
    PROBATIONARY = "probationary"  # đảng viên dự bị
    OFFICIAL = "official"  # đảng viên chính thức
    LEFT = "left"


class RemovalReason(StrEnum):
    EXPELLED = "expelled"  # khai trừ
    STRUCK_OFF = "struck_off"  # xóa tên
    DECEASED = "deceased"
    OTHER = "other"


class LeftReason(StrEnum):
    EXPELLED = "expelled"
    STRUCK_OFF = "struck_off"
    DECEASED = "deceased"
    OTHER = "other"
    TRANSFERRED_OUT = "transferred_out"


class EventKind(StrEnum):
    REGISTERED = "registered"
    DOSSIER_STARTED = "dossier_started"
    ADMITTED = "admitted"  # kết nạp
    RECOGNIZED = "recognized"  # công nhận đảng viên chính thức
    TRANSFERRED = "transferred"  # chuyển sinh hoạt inside the committee
    TRANSFERRED_IN = "transferred_in"
    TRANSFERRED_OUT = "transferred_out"
    REMOVED = "removed"


class Member(Searchable, Versioned, Timestamped, Base):
    __tablename__ = "members"
    __audit__ = Audited(AuditResource.MEMBER)
    __personal__ = ("date_of_birth", "phone", "email", "notes")
    __search_fields__ = ("full_name",)
    __table_args__ = (
        enum_check("gender", Gender),
        enum_check("source_group", SourceGroup),
        enum_check("status", MemberStatus),
        enum_check("left_reason", LeftReason),
        CheckConstraint(
            "status NOT IN ('probationary', 'official') "
            "OR (organization_id IS NOT NULL AND admitted_on IS NOT NULL)",
            name="party_member_has_organization",
        ),
        CheckConstraint(
            "status <> 'official' OR recognized_on IS NOT NULL", name="official_recognized"
        ),
        CheckConstraint("(status = 'left') = (left_on IS NOT NULL)", name="left_on_iff_left"),
        CheckConstraint(r"party_card_no ~ '^[0-9A-Z][0-9A-Z./-]*$'", name="party_card_no_format"),
        Index("ix_members_full_name_id", "full_name", "id"),  # the default list order
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    # The party card's number (số thẻ đảng viên): unique where known; an import's key for it.
    party_card_no: Mapped[str | None] = mapped_column(String(20), unique=True)
    gender: Mapped[Gender] = mapped_column(String(8))
    date_of_birth: Mapped[dt.date] = mapped_column(Date)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    position: Mapped[str | None] = mapped_column(String(200))
    source_group: Mapped[SourceGroup] = mapped_column(String(32))
    phone: Mapped[str | None] = mapped_column(String(50))
    email: Mapped[str | None] = mapped_column(String(254))
    notes: Mapped[str | None] = mapped_column(Text)
    # Current state, kept in step with the latest event; counts are derived from the events.
    status: Mapped[MemberStatus] = mapped_column(String(16), index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    registered_on: Mapped[dt.date] = mapped_column(Date)
    dossier_started_on: Mapped[dt.date | None] = mapped_column(Date)
    admitted_on: Mapped[dt.date | None] = mapped_column(Date)
    admission_decision_no: Mapped[str | None] = mapped_column(String(100))
    recognized_on: Mapped[dt.date | None] = mapped_column(Date)
    left_on: Mapped[dt.date | None] = mapped_column(Date)
    left_reason: Mapped[LeftReason | None] = mapped_column(String(16))
    origin: Mapped[str | None] = mapped_column(String(300))


class MemberEvent(Base):
    """One dated step of a member's history; status_after and organization_id are the state the
    step leads to, so the state on any date is the latest event on or before it."""

    __tablename__ = "member_events"
    __audit__ = Audited(AuditResource.MEMBER_EVENT, parent=(AuditResource.MEMBER, "member_id"))
    __personal__ = ("notes",)
    __mapper_args__ = {"eager_defaults": True}  # noqa: RUF012
    __table_args__ = (
        enum_check("kind", EventKind),
        enum_check("status_after", MemberStatus),
        Index("ix_member_events_member_timeline", "member_id", "occurred_on", "id"),
        Index("ix_member_events_kind_date", "kind", "occurred_on"),
        Index("ix_member_events_organization_date", "organization_id", "occurred_on"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    kind: Mapped[EventKind] = mapped_column(String(16))
    occurred_on: Mapped[dt.date] = mapped_column(Date)
    status_after: Mapped[MemberStatus] = mapped_column(String(16))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    from_organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    decision_no: Mapped[str | None] = mapped_column(String(100))
    reason: Mapped[str | None] = mapped_column(String(32))
    destination: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
