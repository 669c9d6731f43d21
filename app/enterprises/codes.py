"""ISO codes accepted on input: countries (ISO 3166-1 alpha-2) and languages (ISO 639-1)."""

from typing import Annotated

import pycountry
from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

# The error type of a well-formed code that is not in the standard's list (the schema states the
# form, two letters; the list itself is pycountry's).
UNKNOWN_CODE = "unknown_iso_code"


def _country(value: str) -> str:
    code = value.upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise PydanticCustomError(
            UNKNOWN_CODE,
            "'{value}' is not an ISO 3166-1 alpha-2 country code (e.g. KR, JP, VN)",
            {"value": value},
        )
    return code


def _language(value: str) -> str:
    code = value.lower()
    if len(code) != 2 or pycountry.languages.get(alpha_2=code) is None:
        raise PydanticCustomError(
            UNKNOWN_CODE,
            "'{value}' is not an ISO 639-1 two-letter language code (e.g. ko, en)",
            {"value": value},
        )
    return code


CountryCode = Annotated[
    str,
    Field(
        min_length=2,
        max_length=2,
        pattern="^[A-Za-z]{2}$",
        description="ISO 3166-1 alpha-2, stored upper case.",
        examples=["KR"],
    ),
    AfterValidator(_country),
]
LanguageCode = Annotated[
    str,
    Field(
        min_length=2,
        max_length=2,
        pattern="^[A-Za-z]{2}$",
        description="ISO 639-1 two-letter code, stored lower case.",
        examples=["ko"],
    ),
    AfterValidator(_language),
]
