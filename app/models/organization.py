"""Party organizations: grassroots committees and cells, and the committees' affiliated cells."""

import datetime as dt
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    and_,
    or_,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column

from app.models.audit import Audited, AuditResource
from app.models.base import Base, Searchable, Timestamped, Versioned, enum_check


class OrganizationKind(StrEnum):
    GRASSROOTS_COMMITTEE = "grassroots_committee"  # đảng bộ cơ sở
    GRASSROOTS_CELL = "grassroots_cell"  # chi bộ cơ sở
    AFFILIATED_CELL = "affiliated_cell"  # chi bộ trực thuộc đảng bộ cơ sở


GRASSROOTS_KINDS = (OrganizationKind.GRASSROOTS_COMMITTEE, OrganizationKind.GRASSROOTS_CELL)


class Organization(Searchable, Versioned, Timestamped, Base):
    __tablename__ = "organizations"
    __audit__ = Audited(AuditResource.ORGANIZATION)
    __search_fields__ = ("name", "decision_no")
    __table_args__ = (
        enum_check("kind", OrganizationKind),
        CheckConstraint(
            "(kind = 'affiliated_cell') = (parent_id IS NOT NULL)", name="parent_iff_affiliated"
        ),
        CheckConstraint(
            "dissolved_on IS NULL OR dissolved_on >= established_on", name="dissolved_after_start"
        ),
        Index("ix_organizations_name_id", "name", "id"),  # the default list order
        # At most one active grassroots organization per enterprise.
        Index(
            "uq_organizations_active_grassroots_enterprise",
            "enterprise_id",
            unique=True,
            postgresql_where=text("dissolved_on IS NULL AND kind <> 'affiliated_cell'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[OrganizationKind] = mapped_column(String(32))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    established_on: Mapped[dt.date] = mapped_column(Date, index=True)
    decision_no: Mapped[str | None] = mapped_column(String(100))
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaigns.id", ondelete="SET NULL"), index=True
    )
    notes: Mapped[str | None] = mapped_column(Text)
    dissolved_on: Mapped[dt.date | None] = mapped_column(Date)
    dissolution_reason: Mapped[str | None] = mapped_column(Text)
    dissolution_decision_no: Mapped[str | None] = mapped_column(String(100))

    @hybrid_method
    def is_active_on(self, on: dt.date) -> bool:
        """Established on or before `on` and not dissolved by then; the same rule in Python and,
        on the class (`Organization.is_active_on(d)`, or an alias's), in SQL."""
        return self.established_on <= on and (self.dissolved_on is None or self.dissolved_on > on)

    @is_active_on.inplace.expression  # type: ignore[attr-defined,untyped-decorator]
    @classmethod
    def _is_active_on_expression(cls, on: dt.date) -> ColumnElement[bool]:
        return and_(
            cls.established_on <= on, or_(cls.dissolved_on.is_(None), cls.dissolved_on > on)
        )
