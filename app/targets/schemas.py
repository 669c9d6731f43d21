"""Targets in and out, and their attainment."""

import datetime as dt
from enum import StrEnum
from typing import Annotated

from fastapi import Query
from pydantic import Field, model_validator

from app.core.schemas import (
    Date,
    DecimalNumber,
    FilterModel,
    InputModel,
    Int,
    Label,
    OutputModel,
    ParamInt,
    Patch,
)
from app.models import Metric, TargetScope

Name = Annotated[
    str, Field(min_length=1, max_length=300, examples=["Kết nạp đảng viên mới năm 2024"]), Label
]
Basis = Annotated[
    str,
    Field(
        min_length=1,
        max_length=500,
        examples=["Ban Chỉ đạo Nghị quyết 09-NQ/TU (27/02/2012) của Thành ủy Hà Nội"],
    ),
    Label,
]
Count = Annotated[Int, Field(ge=0, le=1_000_000)]


class TargetFields(InputModel):
    name: Name
    metric: Metric = Field(description="What is counted; see GET /api/v1/targets/metrics.")
    scope: TargetScope = TargetScope.COMMITTEE
    organization_id: Int | None = Field(
        default=None, description="For scope organization: the cell or committee given the quota."
    )
    campaign_id: Int | None = Field(default=None, description="For scope campaign.")
    period_start: Date = Field(examples=["2024-01-01"])
    period_end: Date = Field(examples=["2024-12-31"])
    due_on: Date | None = Field(
        default=None, description="An earlier deadline inside the period.", examples=[None]
    )
    value: Annotated[Int, Field(ge=1, le=1_000_000)] | None = Field(default=None, examples=[140])
    min_value: Count | None = Field(default=None, description="Lower bound of a range target.")
    max_value: Count | None = Field(default=None, description="Upper bound of a range target.")
    basis: Basis | None = None
    notes: Annotated[str, Field(max_length=5000)] | None = None


class TargetCreate(TargetFields):
    @model_validator(mode="after")
    def _value_or_range(self) -> "TargetCreate":
        has_range = self.min_value is not None or self.max_value is not None
        if (self.value is None) == (not has_range):
            raise ValueError("give either value, or min_value and max_value")
        return self


class TargetUpdate(InputModel):
    name: Patch[Name] = None
    period_start: Patch[Date] = None
    period_end: Patch[Date] = None
    due_on: Date | None = None
    value: Annotated[Int, Field(ge=1, le=1_000_000)] | None = None
    min_value: Count | None = None
    max_value: Count | None = None
    basis: Basis | None = None
    notes: Annotated[str, Field(max_length=5000)] | None = None


class AttainmentFilters(FilterModel):
    metric: Metric | None = None
    scope: TargetScope | None = None


class TargetFilters(AttainmentFilters):
    organization_id: ParamInt | None = None
    campaign_id: ParamInt | None = None
    in_force_on: Date | None = Field(
        default=None, description="Period contains the date, or ended earlier in the same year."
    )
    q: str | None = Field(default=None, max_length=200)


AsOf = Annotated[Date | None, Query(description="The date to measure on; default today.")]


class MetricInfo(OutputModel):
    metric: Metric
    description: str
    scopes: list[TargetScope]


class TargetTerms(OutputModel):
    """What a target is about, shared by the target and its attainment."""

    name: str
    metric: Metric
    scope: TargetScope
    organization_id: int | None
    campaign_id: int | None
    period_start: dt.date
    period_end: dt.date
    due_on: dt.date | None


class Target(TargetTerms):
    id: int
    value: int | None
    min_value: int | None
    max_value: int | None
    basis: str | None
    notes: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


class AttainmentStatus(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BEHIND = "behind"
    MISSED = "missed"


Percent = Annotated[DecimalNumber, Field(examples=[56.4])]


class QuotaRollup(OutputModel):
    """The organization quotas allocated under a committee target (same metric and period):
    numerators and denominators summed, never percentages averaged."""

    quotas: int
    allocated: int = Field(description="Sum of the quotas' values.")
    unallocated: int = Field(description="Committee target minus allocated (negative: over).")
    actual: int = Field(description="Sum of the quotas' actuals.")
    percent: Percent | None = Field(description="actual / allocated, one decimal, half-up.")


class Attainment(TargetTerms):
    target_id: int
    as_of: dt.date
    counted_until: dt.date | None = Field(
        description="min(as_of, period_end); null when as_of is before the period."
    )
    actual: int
    target: int | None = Field(description="The value of a single-value target.")
    min_value: int | None
    max_value: int | None
    percent: Percent | None = Field(
        description="actual / target × 100, one decimal, half-up (of min_value for a range)."
    )
    percent_of_max: Percent | None = Field(description="For a range: actual / max_value.")
    within_range: bool | None = Field(description="For a range: min_value <= actual <= max_value.")
    remaining: int = Field(description="Still needed to reach the target (the lower bound).")
    expected: DecimalNumber = Field(
        description="What a linear pace from period_start to the deadline gives by as_of."
    )
    forecast: DecimalNumber | None = Field(
        description="The actual extrapolated to period_end at the pace so far."
    )
    needed_per_month: DecimalNumber | None = Field(
        description="Per month from as_of to meet the deadline (due_on, else period_end)."
    )
    status: AttainmentStatus
    quota_rollup: QuotaRollup | None = None


class AttainmentItem(OutputModel):
    """One counted row: an admission or recognition event, an organization, a zone, or a
    trained candidate."""

    kind: str = Field(examples=["member_event"])
    id: int
    on: dt.date
    label: str | None = None
    organization_id: int | None = None
