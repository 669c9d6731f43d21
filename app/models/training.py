"""Awareness classes about the Party (lớp bồi dưỡng nhận thức về Đảng) and their attendees."""

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.audit import Audited, AuditResource
from app.models.base import Base, Searchable, Timestamped, Versioned


class TrainingClass(Searchable, Versioned, Timestamped, Base):
    __tablename__ = "training_classes"
    __audit__ = Audited(AuditResource.TRAINING_CLASS)
    __search_fields__ = ("title",)
    __table_args__ = (CheckConstraint("starts_on <= ends_on", name="period_ordered"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date, index=True)
    organizer: Mapped[str | None] = mapped_column(String(200))
    location: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)


class ClassAttendee(Versioned, Base):
    """A candidate in a class; versioned for ETag/If-Match like every single resource."""

    __tablename__ = "class_attendees"
    __audit__ = Audited(
        AuditResource.CLASS_ATTENDEE,
        key="member_id",
        parent=(AuditResource.TRAINING_CLASS, "class_id"),
    )

    class_id: Mapped[int] = mapped_column(
        ForeignKey("training_classes.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True, index=True)
    completed: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
