"""/attainment: the attainment of every target in force on a date."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.core.dates import today
from app.core.db import ReplicaSessionDep
from app.core.idempotency import IdempotentRoute
from app.core.pagination import DEFAULT_LIMIT, CursorParam, LimitParam, Page
from app.targets.schemas import AsOf, Attainment, AttainmentFilters
from app.targets.service import TargetService

router = APIRouter(prefix="/attainment", tags=["attainment"], route_class=IdempotentRoute)


@router.get("", name="list", response_model=Page[Attainment])
async def list_attainment(
    session: ReplicaSessionDep,
    *,
    as_of: AsOf = None,
    filters: Annotated[AttainmentFilters, Query()],
    limit: LimitParam = DEFAULT_LIMIT,
    cursor: CursorParam = None,
) -> Page[Attainment]:
    """Attainment of every target in force on `as_of`: its period contains the date, or it ended
    earlier in the same year."""
    return await TargetService(session).attainment_page(as_of or today(), filters, limit, cursor)
