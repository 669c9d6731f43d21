"""Targets (chỉ tiêu) set by the city and the committee, and quotas allocated under them."""

import datetime as dt
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.audit import Audited, AuditResource
from app.models.base import Base, Searchable, Timestamped, Versioned, enum_check


class Metric(StrEnum):
    ORGANIZATIONS_ESTABLISHED = "organizations_established"
    MEMBERS_ADMITTED = "members_admitted"
    MEMBERS_RECOGNIZED = "members_recognized"
    INDUSTRIAL_ZONES_ESTABLISHED = "industrial_zones_established"
    CANDIDATES_TRAINED = "candidates_trained"


class TargetScope(StrEnum):
    COMMITTEE = "committee"
    ORGANIZATION = "organization"
    CAMPAIGN = "campaign"


class Target(Searchable, Versioned, Timestamped, Base):
    __tablename__ = "targets"
    __audit__ = Audited(AuditResource.TARGET)
    __search_fields__ = ("name", "basis")
    __table_args__ = (
        enum_check("metric", Metric),
        enum_check("scope", TargetScope),
        CheckConstraint("period_start <= period_end", name="period_ordered"),
        CheckConstraint(
            "due_on IS NULL OR due_on BETWEEN period_start AND period_end", name="due_in_period"
        ),
        CheckConstraint(
            "(value IS NOT NULL AND min_value IS NULL AND max_value IS NULL AND value >= 1) OR "
            "(value IS NULL AND min_value IS NOT NULL AND max_value IS NOT NULL "
            "AND 0 <= min_value AND min_value <= max_value AND max_value >= 1)",
            name="value_or_range",
        ),
        CheckConstraint(
            "(scope = 'organization') = (organization_id IS NOT NULL) AND "
            "(scope = 'campaign') = (campaign_id IS NOT NULL)",
            name="scope_reference",
        ),
        # The list's two orders (app/targets/sorting.py): a page is read in index order.
        Index("ix_targets_period_start_id", "period_start", "id"),
        Index("ix_targets_name_id", "name", "id"),
        # A committee target's quotas: the organization targets of its metric and period.
        Index(
            "ix_targets_quotas",
            "metric",
            "period_start",
            "period_end",
            postgresql_where=text("scope = 'organization'"),
        ),
        # The targets in force of some scopes (the overview's: committee and campaigns), among
        # however many quotas: see app/targets/repository.in_force.
        Index("ix_targets_scope_period_end", "scope", "period_end"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    metric: Mapped[Metric] = mapped_column(String(40))
    scope: Mapped[TargetScope] = mapped_column(String(16))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    value: Mapped[int | None]
    min_value: Mapped[int | None]
    max_value: Mapped[int | None]
    basis: Mapped[str | None] = mapped_column(String(500))
    notes: Mapped[str | None] = mapped_column(Text)
