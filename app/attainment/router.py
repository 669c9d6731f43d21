"""/attainment: the attainment of every target in force on a date."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.core.dates import today
from app.core.db import SessionDep
from app.core.pagination import DEFAULT_LIMIT, CursorParam, LimitParam, Page
from app.targets.repository import TargetListQuery, TargetRepository
from app.targets.router import AsOf
from app.targets.schemas import Attainment, AttainmentFilters, TargetFilters
from app.targets.service import TargetService

router = APIRouter(prefix="/attainment", tags=["attainment"])


@router.get("", response_model=Page[Attainment])
async def list_attainment(
    session: SessionDep,
    *,
    as_of: AsOf = None,
    filters: Annotated[AttainmentFilters, Query()],
    limit: LimitParam = DEFAULT_LIMIT,
    cursor: CursorParam = None,
) -> Page[Attainment]:
    """Attainment of every target in force on `as_of`: its period contains the date, or it ended
    earlier in the same year."""
    on = as_of or today()
    in_force = TargetFilters(**filters.model_dump(), in_force_on=on)
    targets = await TargetRepository(session).list(
        TargetListQuery(limit, cursor, "period_start", in_force)
    )
    return Page(
        items=await TargetService(session).attainments(targets.items, on),
        next_cursor=targets.next_cursor,
    )
