"""Helpers every repository shares."""

from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import NotFound, RuleViolation

M = TypeVar("M")


async def get_or_404(session: AsyncSession, model: type[M], ident: int, what: str) -> M:
    """The row with primary key `ident`, or a 404 naming what was looked for."""
    row = await session.get(model, ident)
    if row is None:
        raise NotFound(f"{what} {ident} does not exist")
    return row


async def require_reference(
    session: AsyncSession, model: type[Any], ident: int | None, field: str, what: str
) -> Any:
    """A referenced row named in a request body: unknown ids are a 422 on that field."""
    if ident is None:
        return None
    row = await session.get(model, ident)
    if row is None:
        raise RuleViolation(f"{what} {ident} does not exist", code="unknown_reference", field=field)
    return row


def apply_changes(target: Any, changes: BaseModel) -> dict[str, Any]:
    """Copy the fields a PATCH body set onto `target`; returns them."""
    values = changes.model_dump(exclude_unset=True)
    for name, value in values.items():
        setattr(target, name, value)
    return values
