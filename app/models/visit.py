"""The working groups' calendar: visits planned at enterprises of a campaign's zones, fulfilled by
the activity that records them, and the per-user calendar feeds that carry them to phones."""

import datetime as dt
from enum import StrEnum

from sqlalchemy import (
    ARRAY,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.audit import Audited, AuditResource
from app.models.base import Base, Timestamped, Versioned


class VisitStatus(StrEnum):
    """A visit's status as shown: `done` when an activity fulfils it, `missed` when still
    planned and its day has passed (Hanoi); only `planned` and `cancelled` are stored."""

    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"
    MISSED = "missed"


STORED_VISIT_STATUSES = (VisitStatus.PLANNED, VisitStatus.CANCELLED)

visit_materials = Table(
    "planned_visit_materials",
    Base.metadata,
    Column("visit_id", ForeignKey("planned_visits.id", ondelete="CASCADE"), primary_key=True),
    Column("material_id", ForeignKey("materials.id"), primary_key=True, index=True),
)
activity_materials = Table(
    "activity_materials",
    Base.metadata,
    Column(
        "activity_id", ForeignKey("campaign_activities.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("material_id", ForeignKey("materials.id"), primary_key=True, index=True),
)


class PlannedVisit(Versioned, Timestamped, Base):
    __tablename__ = "planned_visits"
    __audit__ = Audited(AuditResource.PLANNED_VISIT, parent=(AuditResource.CAMPAIGN, "campaign_id"))
    __table_args__ = (
        CheckConstraint("status IN ('planned', 'cancelled')", name="status_valid"),
        Index("ix_planned_visits_campaign_id_planned_on_id", "campaign_id", "planned_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    planned_on: Mapped[dt.date] = mapped_column(Date)
    purpose: Mapped[str] = mapped_column(Text)
    contact_roles: Mapped[list[str]] = mapped_column(ARRAY(String(32)), default=list)
    status: Mapped[VisitStatus] = mapped_column(String(16))
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class CalendarFeed(Base):
    """A user's calendar feed token, stored as its sha256: the URL a phone's calendar app
    subscribes to (it cannot send a bearer token). One per user; a new one replaces it."""

    __tablename__ = "calendar_feeds"
    __audit__ = Audited(
        AuditResource.CALENDAR_FEED,
        key="user_id",
        parent=(AuditResource.USER, "user_id"),
        secret=("token_sha256",),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
