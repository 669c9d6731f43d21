"""The bearer token issued by POST /auth/token."""

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.core.schemas import OutputModel


class Token(OutputModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires.", examples=[900])
    expires_at: dt.datetime
    refresh_token: str = Field(
        description="Exchange it once at POST /api/v1/auth/refresh for new tokens; reusing a "
        "spent one ends the session."
    )
    refresh_expires_at: dt.datetime = Field(description="When the session ends at the latest.")


class RefreshRequest(BaseModel):
    refresh_token: str = Field(min_length=1, max_length=200)


class PasswordChange(BaseModel):
    current_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=12, max_length=256)


class SessionRead(OutputModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: dt.datetime
    expires_at: dt.datetime
    refreshed_at: dt.datetime | None
    client_address: str
