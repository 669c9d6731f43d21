"""The outreach working groups (đoàn công tác tuyên truyền, vận động) and their activities."""

import datetime as dt
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.audit import Audited, AuditResource
from app.models.base import Base, Searchable, Timestamped, Versioned, enum_check


class CampaignStatus(StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    CLOSED = "closed"


class ActivityKind(StrEnum):
    VISIT = "visit"
    MEETING = "meeting"
    CALL = "call"
    MATERIALS_SENT = "materials_sent"
    EVENT = "event"


class Outcome(StrEnum):
    NO_RESPONSE = "no_response"
    RECEPTIVE = "receptive"
    AGREED = "agreed"
    DECLINED = "declined"


campaign_zones = Table(
    "campaign_zones",
    Base.metadata,
    Column("campaign_id", ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True),
    Column("zone_id", ForeignKey("industrial_zones.id"), primary_key=True, index=True),
)


class Campaign(Searchable, Versioned, Timestamped, Base):
    __tablename__ = "campaigns"
    __audit__ = Audited(AuditResource.CAMPAIGN)
    __search_fields__ = ("name",)
    __table_args__ = (
        enum_check("status", CampaignStatus),
        CheckConstraint("starts_on <= ends_on", name="period_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    leader_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[CampaignStatus] = mapped_column(String(16))


class CampaignMember(Base):
    """A member of a working group; `user_id` where they have an account."""

    __tablename__ = "campaign_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(100))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class CampaignActivity(Versioned, Timestamped, Base):
    """A visit, meeting, call, mailing or event aimed at one enterprise, with its outcome."""

    __tablename__ = "campaign_activities"
    __audit__ = Audited(
        AuditResource.CAMPAIGN_ACTIVITY, parent=(AuditResource.CAMPAIGN, "campaign_id")
    )
    __table_args__ = (
        enum_check("kind", ActivityKind),
        enum_check("outcome", Outcome),
        CheckConstraint(
            "contact_role IN ('owner', 'general_director', 'hr_director', 'admin_head', "
            "'union_chair', 'youth_secretary', 'other')",
            name="contact_role_valid",
        ),
        CheckConstraint(
            "follow_up_on IS NULL OR follow_up_on >= occurred_on", name="follow_up_after"
        ),
        Index(
            "ix_campaign_activities_timeline", "campaign_id", "enterprise_id", "occurred_on", "id"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    occurred_on: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[ActivityKind] = mapped_column(String(16))
    contact_role: Mapped[str] = mapped_column(String(32))
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("enterprise_contacts.id", ondelete="SET NULL")
    )
    material_language: Mapped[str | None] = mapped_column(String(2))
    outcome: Mapped[Outcome] = mapped_column(String(16))
    notes: Mapped[str | None] = mapped_column(Text)
    follow_up_on: Mapped[dt.date | None] = mapped_column(Date)
    # The planned visit this activity carried out (one activity per visit).
    planned_visit_id: Mapped[int | None] = mapped_column(
        ForeignKey("planned_visits.id"), unique=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
