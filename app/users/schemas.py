"""User accounts in and out."""

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator, Field

from app.core.schemas import (
    Bool,
    FilterModel,
    InputModel,
    Label,
    OutputModel,
    Patch,
)
from app.models import Role

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")


def _username(value: str) -> str:
    value = value.lower()
    if not _USERNAME.match(value):
        raise ValueError(
            "3 to 64 characters: letters a-z, digits, '.', '_' or '-', starting with a letter "
            "or digit"
        )
    return value


Username = Annotated[
    str,
    Field(
        min_length=3,
        max_length=64,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$",
        examples=["nguyen.van.an"],
    ),
    AfterValidator(_username),
]
Password = Annotated[
    str,
    Field(
        min_length=12,
        max_length=256,
        description="12 characters or more, not common and not built from the account's names.",
        examples=["trời xanh mây trắng 89"],
    ),
]
FullName = Annotated[str, Field(min_length=1, max_length=200, examples=["Nguyễn Văn An"]), Label]


class UserCreate(InputModel):
    username: Username
    full_name: FullName
    role: Role
    password: Password
    is_active: Bool = True


class UserUpdate(InputModel):
    full_name: Patch[FullName] = None
    role: Patch[Role] = None
    password: Patch[Password] = None
    is_active: Patch[Bool] = None


class UserFilters(FilterModel):
    role: Role | None = None
    is_active: bool | None = None
    q: str | None = Field(default=None, max_length=200, description="Search in username and name.")


class UserRead(OutputModel):
    id: int
    username: str
    full_name: str
    role: Role
    is_active: bool
    created_at: dt.datetime
    updated_at: dt.datetime
