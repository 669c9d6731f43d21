"""ISO codes accepted on input: countries (ISO 3166-1 alpha-2) and languages (ISO 639-1)."""

from typing import Annotated

import pycountry
from pydantic import AfterValidator, Field


def _country(value: str) -> str:
    code = value.upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code (e.g. KR, JP, VN)")
    return code


def _language(value: str) -> str:
    code = value.lower()
    if len(code) != 2 or pycountry.languages.get(alpha_2=code) is None:
        raise ValueError(f"{value!r} is not an ISO 639-1 two-letter language code (e.g. ko, en)")
    return code


CountryCode = Annotated[
    str,
    AfterValidator(_country),
    Field(
        min_length=2,
        max_length=2,
        description="ISO 3166-1 alpha-2, stored upper case.",
        examples=["KR"],
    ),
]
LanguageCode = Annotated[
    str,
    AfterValidator(_language),
    Field(
        min_length=2,
        max_length=2,
        description="ISO 639-1 two-letter code, stored lower case.",
        examples=["ko"],
    ),
]
