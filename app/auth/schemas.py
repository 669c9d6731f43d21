"""The bearer token issued by POST /auth/token."""

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field


class Token(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the token expires.", examples=[3600])
    expires_at: dt.datetime
