"""Industrial zones in and out."""

import datetime as dt
import decimal
from typing import Annotated

from pydantic import Field

from app.core.schemas import (
    WHITESPACE,
    CodeText,
    Date,
    DecimalNumber,
    FilterModel,
    InputModel,
    Label,
    OutputModel,
    Patch,
    PlainDecimal,
)
from app.models import IndustrialZone, ZoneStatus

Code = Annotated[
    str,
    Field(min_length=1, max_length=32, pattern=rf"^[^{WHITESPACE}]+$", examples=["KCN-TL"]),
    CodeText,
]
Name = Annotated[str, Field(min_length=1, max_length=200, examples=["KCN Thăng Long"]), Label]
District = Annotated[str, Field(min_length=1, max_length=100, examples=["Đông Anh"]), Label]
Area = Annotated[
    decimal.Decimal, Field(gt=0, max_digits=10, decimal_places=2, examples=[274]), PlainDecimal
]


class ZoneCreate(InputModel):
    code: Code
    name: Name
    district: District | None = None
    status: ZoneStatus = ZoneStatus.OPERATING
    established_on: Date | None = Field(
        default=None, description="Required once the zone is operating or closed."
    )
    closed_on: Date | None = Field(default=None, description="Required when status is closed.")
    area_ha: Area | None = None


class ZoneUpdate(InputModel):
    code: Patch[Code] = None
    name: Patch[Name] = None
    district: District | None = None
    status: Patch[ZoneStatus] = None
    established_on: Date | None = None
    closed_on: Date | None = None
    area_ha: Area | None = None


class ZoneFilters(FilterModel):
    status: ZoneStatus | None = None
    district: str | None = Field(
        default=None, max_length=100, description="Zones in this district (its exact name)."
    )
    q: str | None = Field(default=None, max_length=200, description="Code, name or district.")


class Zone(OutputModel):
    id: int
    code: str
    name: str
    district: str | None
    status: ZoneStatus
    established_on: dt.date | None
    closed_on: dt.date | None
    area_ha: DecimalNumber | None
    enterprises_count: int = Field(
        0, description="Enterprises open in the zone today (registered and not closed)."
    )
    workers_count: int = Field(
        0, description="Their workers, by each one's latest workforce report."
    )
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def from_row(cls, row: tuple[IndustrialZone, int, int]) -> "Zone":
        """The read model from a zone and its totals (`ZoneRepository.list` / `with_totals`)."""
        zone, enterprises, workers = row
        return cls.of_record(zone, enterprises_count=enterprises, workers_count=workers)
