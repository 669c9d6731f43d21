"""Industrial and export-processing zones (khu công nghiệp, khu chế xuất)."""

import datetime as dt
import decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.audit import Audited, AuditResource
from app.models.base import Base, Searchable, Timestamped, Versioned, enum_check


class ZoneStatus(StrEnum):
    PLANNED = "planned"
    OPERATING = "operating"
    CLOSED = "closed"


class IndustrialZone(Searchable, Versioned, Timestamped, Base):
    __tablename__ = "industrial_zones"
    __audit__ = Audited(AuditResource.INDUSTRIAL_ZONE)
    __search_fields__ = ("code", "name", "district")
    __table_args__ = (
        enum_check("status", ZoneStatus),
        CheckConstraint(
            "status = 'planned' OR established_on IS NOT NULL", name="established_on_required"
        ),
        CheckConstraint(
            "(status = 'closed') = (closed_on IS NOT NULL)", name="closed_on_iff_closed"
        ),
        CheckConstraint(
            "closed_on IS NULL OR closed_on >= established_on", name="closed_after_open"
        ),
        CheckConstraint("area_ha IS NULL OR area_ha > 0", name="area_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    district: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[ZoneStatus] = mapped_column(String(16))
    established_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    area_ha: Mapped[decimal.Decimal | None] = mapped_column(Numeric(10, 2))
