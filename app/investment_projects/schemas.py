"""Investment projects in and out."""

import datetime as dt
import decimal
from typing import Annotated

from pydantic import Field

from app.core.schemas import (
    Bool,
    Date,
    DecimalNumber,
    FilterModel,
    InputModel,
    Int,
    Label,
    OutputModel,
    ParamInt,
    Patch,
    PlainDecimal,
)
from app.models import ProjectStatus

Name = Annotated[
    str, Field(min_length=1, max_length=300, examples=["Nhà máy sản xuất linh kiện điện tử"]), Label
]
Capital = Annotated[
    decimal.Decimal,
    Field(
        ge=0,
        max_digits=16,
        decimal_places=2,
        description="Registered capital in US dollars.",
        examples=["25000000.00"],
    ),
    PlainDecimal,
]
IS_FDI = "Foreign direct investment; when omitted on creation, whether the enterprise is fdi."
TERMINATED_ON = "Required when status is terminated, and only then; not before licensed_on."


class ProjectCreate(InputModel):
    enterprise_id: Int
    name: Name
    licensed_on: Date = Field(description="Date of the investment licence.")
    registered_capital_usd: Capital
    is_fdi: Bool | None = Field(default=None, description=IS_FDI)
    status: ProjectStatus = ProjectStatus.ACTIVE
    terminated_on: Date | None = Field(default=None, description=TERMINATED_ON)


class ProjectUpdate(InputModel):
    enterprise_id: Patch[Int] = None
    name: Patch[Name] = None
    licensed_on: Patch[Date] = None
    registered_capital_usd: Patch[Capital] = None
    is_fdi: Patch[Bool] = None
    status: Patch[ProjectStatus] = None
    terminated_on: Date | None = Field(default=None, description=TERMINATED_ON)


class ProjectFilters(FilterModel):
    enterprise_id: ParamInt | None = None
    is_fdi: bool | None = None
    licensed_from: Date | None = Field(default=None, description="Licensed on or after this date.")
    licensed_to: Date | None = Field(default=None, description="Licensed on or before this date.")
    status: ProjectStatus | None = None
    q: str | None = Field(default=None, max_length=200, description="Name; accents optional.")


class Project(OutputModel):
    id: int
    enterprise_id: int
    name: str
    licensed_on: dt.date
    registered_capital_usd: DecimalNumber
    is_fdi: bool
    status: ProjectStatus
    terminated_on: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime
