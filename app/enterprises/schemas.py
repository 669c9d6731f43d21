"""Enterprises in and out, and the dated steps of their history."""

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator, Field

from app import models
from app.core.schemas import (
    Bool,
    Date,
    FilterModel,
    InputModel,
    Int,
    Label,
    OutputModel,
    ParamInt,
    Patch,
)
from app.enterprises.codes import CountryCode
from app.models import EnterpriseEventKind, EnterpriseStatus, Ownership
from app.party.asof import MemberCounts

_TAX_CODE = re.compile(r"^[0-9]{10}(-[0-9]{3})?$")


def _tax_code(value: str) -> str:
    if not _TAX_CODE.match(value):
        raise ValueError("must be 10 digits, or 10 digits, a hyphen and 3 digits (a branch)")
    return value


TaxCode = Annotated[
    str,
    Field(
        max_length=14,
        pattern=_TAX_CODE.pattern,
        description="Mã số thuế: 10 digits, or 10 digits + '-' + 3 digits for a branch.",
        examples=["0101234567", "0101234567-001"],
    ),
    AfterValidator(_tax_code),
]
Name = Annotated[
    str, Field(min_length=1, max_length=300, examples=["Công ty TNHH Dệt May Hà Nội"]), Label
]
ForeignName = Annotated[
    str, Field(min_length=1, max_length=300, examples=["Hanoi Textile Garment Co., Ltd."]), Label
]
Industry = Annotated[str, Field(min_length=1, max_length=200, examples=["garments"]), Label]
Address = Annotated[str, Field(min_length=1, max_length=500), Label]
WorkersCount = Annotated[Int, Field(ge=0, le=1_000_000, examples=[1200])]
INVESTOR_COUNTRY = "Country of the foreign investor: required when ownership is fdi, and only then."
REGISTERED_ON = (
    "Business registration or investment certificate date; not in the future. Counts and lists "
    "as of an earlier date leave the enterprise out."
)
STATUS = (
    "operating or suspended; an enterprise is closed and reopened only by its dated actions "
    "(POST /enterprises/{id}/close, /reopen)."
)
Reason = Annotated[str, Field(min_length=1, max_length=1000, examples=["giải thể"]), Label]


class EnterpriseCreate(InputModel):
    tax_code: TaxCode
    name: Name
    foreign_name: ForeignName | None = None
    zone_id: Int = Field(description="The industrial zone the enterprise is in.")
    ownership: Ownership
    investor_country: CountryCode | None = Field(default=None, description=INVESTOR_COUNTRY)
    industry: Industry | None = None
    address: Address | None = None
    workers_count: WorkersCount = Field(
        default=0, description="Workers on registered_on: the first workforce report."
    )
    has_trade_union: Bool = False
    has_youth_union: Bool = False
    status: EnterpriseStatus = Field(default=EnterpriseStatus.OPERATING, description=STATUS)
    registered_on: Date | None = Field(default=None, description=f"{REGISTERED_ON} Default: today.")


class EnterpriseUpdate(InputModel):
    tax_code: Patch[TaxCode] = None
    name: Patch[Name] = None
    foreign_name: ForeignName | None = None
    zone_id: Patch[Int] = None
    ownership: Patch[Ownership] = None
    investor_country: CountryCode | None = Field(default=None, description=INVESTOR_COUNTRY)
    industry: Industry | None = None
    address: Address | None = None
    workers_count: Patch[WorkersCount] = Field(
        default=None,
        description="Recorded as today's workforce report (POST /enterprises/{id}/workforce "
        "dates one).",
    )
    has_trade_union: Patch[Bool] = None
    has_youth_union: Patch[Bool] = None
    status: Patch[EnterpriseStatus] = Field(default=None, description=STATUS)
    registered_on: Patch[Date] = Field(
        default=None, description=f"{REGISTERED_ON} Not after the enterprise's next step."
    )


class Closure(InputModel):
    closed_on: Date = Field(description="Not in the future, nor before the latest step.")
    reason: Reason


class Reopening(InputModel):
    reopened_on: Date = Field(description="Not in the future, nor before the closing.")


class WorkforceReport(InputModel):
    reported_on: Date = Field(
        description="Not in the future, nor before registered_on, nor while closed. A second "
        "report of the same day replaces the first."
    )
    workers_count: WorkersCount


class EnterpriseEvent(OutputModel):
    """One dated step of an enterprise's history."""

    id: int
    enterprise_id: int
    kind: EnterpriseEventKind
    occurred_on: dt.date
    workers_count: int | None = Field(description="For registered and workforce_reported.")
    reason: str | None = Field(description="For closed.")
    created_at: dt.datetime


class EnterpriseFilters(FilterModel):
    zone_id: list[ParamInt] | None = Field(
        default=None,
        description="Repeat to match any of several zones: `?zone_id=1&zone_id=2`.",
    )
    ownership: Ownership | None = None
    investor_country: str | None = Field(
        default=None, pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2, any case."
    )
    status: EnterpriseStatus | None = None
    as_of: Date | None = Field(
        default=None,
        description="Only the enterprises open on this date (registered by then, not closed "
        "that day), with their workers and the members they employed then.",
    )
    has_organization: bool | None = Field(
        default=None, description="Whether it has an active party organization."
    )
    q: str | None = Field(
        default=None,
        max_length=200,
        description="Name, foreign name or tax code; accents optional.",
    )


class Enterprise(OutputModel):
    id: int
    tax_code: str
    name: str
    foreign_name: str | None
    zone_id: int
    ownership: Ownership
    investor_country: str | None = Field(description="ISO 3166-1 alpha-2; set only for fdi.")
    industry: str | None
    address: str | None
    workers_count: int = Field(
        description="Workers by the latest workforce report (on as_of, when the list has one)."
    )
    has_trade_union: bool
    has_youth_union: bool
    status: EnterpriseStatus = Field(description="Today's.")
    registered_on: dt.date
    closed_on: dt.date | None = Field(description="Today's: null unless closed now.")
    party_organization_id: int | None = Field(
        default=None,
        description="Read-only. The enterprise's active party organization: its grassroots "
        "committee or cell, else an affiliated cell; null when it has none.",
    )
    official_members: int = Field(
        default=0,
        description="Read-only. Official party members employed here, as of today, derived "
        "from the members' dated events.",
    )
    probationary_members: int = Field(
        default=0, description="Read-only. Probationary party members employed here, as of today."
    )
    candidates: int = Field(
        default=0,
        description="Read-only. Candidates (quần chúng ưu tú) employed here, as of today.",
    )
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def from_row(cls, row: tuple[models.Enterprise, int | None, MemberCounts, int]) -> "Enterprise":
        """The read model from an enterprise, its party organization, the members it employs
        and its workers (`EnterpriseRepository.list` / `with_counts`)."""
        enterprise, organization_id, employed, workers = row
        return cls.of_record(
            enterprise,
            workers_count=workers,
            party_organization_id=organization_id,
            official_members=employed.official,
            probationary_members=employed.probationary,
            candidates=employed.candidates,
        )
