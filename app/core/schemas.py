"""Base pydantic models: strict, normalized input and ORM-backed output."""

from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from app.core.text import normalize_input


class InputModel(BaseModel):
    """Request bodies: unknown and server-managed fields are rejected, text is NFC and trimmed."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _normalize_text(cls, data: Any) -> Any:
        return normalize_input(data)


class OutputModel(BaseModel):
    """Response bodies, read from ORM objects or rows."""

    model_config = ConfigDict(from_attributes=True)
