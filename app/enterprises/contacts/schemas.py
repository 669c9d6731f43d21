"""Key contacts of an enterprise in and out; phone and e-mail are personal data."""

import datetime as dt
from typing import Annotated, Any

from pydantic import Field, field_validator

from app.core.schemas import InputModel, OutputModel, not_null
from app.enterprises.codes import CountryCode, LanguageCode
from app.models import ContactRole

FullName = Annotated[str, Field(min_length=1, max_length=200, examples=["Kim Min-jun"])]
Title = Annotated[str, Field(min_length=1, max_length=200, examples=["Tổng giám đốc"])]
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
        pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
        description="Personal data.",
        examples=["minjun.kim@example.com"],
    ),
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
    full_name: FullName | None = None
    role: ContactRole | None = None
    title: Title | None = None
    nationality: CountryCode | None = None
    preferred_language: LanguageCode | None = None
    phone: Phone | None = None
    email: Email | None = None
    notes: Notes | None = None

    @field_validator("full_name", "role")
    @classmethod
    def _required(cls, value: Any) -> Any:
        return not_null(value)


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
    notes: str | None
    created_at: dt.datetime
    updated_at: dt.datetime

    def for_reader(self, sees_personal_data: bool) -> "Contact":
        """This contact as the reader may see it: without phone and e-mail for viewers."""
        if sees_personal_data:
            return self
        return self.model_copy(update={"phone": None, "email": None})
