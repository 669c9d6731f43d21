"""Key contacts of an enterprise in and out; phone and e-mail are personal data."""

import datetime as dt
from typing import Annotated

from pydantic import Field

from app.core.schemas import (
    WHITESPACE,
    CodeText,
    FilterModel,
    InputModel,
    Label,
    OutputModel,
    Patch,
)
from app.enterprises.codes import CountryCode, LanguageCode
from app.models import ContactRole

FullName = Annotated[str, Field(min_length=1, max_length=200, examples=["Kim Min-jun"]), Label]
Title = Annotated[str, Field(min_length=1, max_length=200, examples=["Tổng giám đốc"]), Label]
Phone = Annotated[
    str,
    Field(
        min_length=6,
        max_length=50,
        pattern=r"^\+?[0-9][0-9 ().-]*[0-9]$",
        description="Personal data.",
        examples=["+84 24 3881 1234"],
    ),
]
Email = Annotated[
    str,
    Field(
        max_length=254,
        pattern=rf"^[^@{WHITESPACE}]+@[^@{WHITESPACE}]+\.[^@{WHITESPACE}]+$",
        description="Personal data.",
        examples=["minjun.kim@example.com"],
    ),
    CodeText,
]
Notes = Annotated[str, Field(max_length=5000)]
PERSONAL = "Personal data: null for the viewer role."


class ContactCreate(InputModel):
    full_name: FullName
    role: ContactRole
    title: Title | None = None
    nationality: CountryCode | None = None
    preferred_language: LanguageCode | None = Field(
        default=None, description="The language outreach materials should be in (ISO 639-1)."
    )
    phone: Phone | None = None
    email: Email | None = None
    notes: Notes | None = None


class ContactUpdate(InputModel):
    full_name: Patch[FullName] = None
    role: Patch[ContactRole] = None
    title: Title | None = None
    nationality: CountryCode | None = None
    preferred_language: LanguageCode | None = None
    phone: Phone | None = None
    email: Email | None = None
    notes: Notes | None = None


class ContactFilters(FilterModel):
    role: ContactRole | None = None
    q: str | None = Field(default=None, max_length=200, description="Name; accents optional.")


class Contact(OutputModel):
    id: int
    enterprise_id: int
    full_name: str
    role: ContactRole
    title: str | None
    nationality: str | None = Field(description="ISO 3166-1 alpha-2.")
    preferred_language: str | None = Field(description="ISO 639-1.")
    phone: str | None = Field(description=PERSONAL)
    email: str | None = Field(description=PERSONAL)
    notes: str | None = Field(description=PERSONAL)
    created_at: dt.datetime
    updated_at: dt.datetime
