"""/attainment: the attainment of every target in force on a date."""

from fastapi import APIRouter

from app.core.dates import today
from app.core.db import SessionDep
from app.core.pagination import CursorParam, LimitParam, Page, page_of
from app.models import Metric, TargetScope
from app.targets import schemas
from app.targets.repository import TARGET_ORDERINGS, TargetRepository
from app.targets.router import AsOf
from app.targets.service import TargetService

router = APIRouter(prefix="/attainment", tags=["attainment"])


@router.get("", response_model=Page[schemas.Attainment])
async def list_attainment(
    session: SessionDep,
    as_of: AsOf = None,
    metric: Metric | None = None,
    scope: TargetScope | None = None,
    limit: LimitParam = 50,
    cursor: CursorParam = None,
) -> Page[schemas.Attainment]:
    """Attainment of every target in force on `as_of`: its period contains the date, or it ended
    earlier in the same year."""
    on = as_of or today()
    ordering = TARGET_ORDERINGS["period_start"]
    targets = await TargetRepository(session).list(
        ordering=ordering, limit=limit, cursor=cursor, metric=metric, scope=scope, in_force_on=on
    )
    page, next_cursor = page_of(targets, ordering, limit)
    return Page(items=await TargetService(session).attainments(page, on), next_cursor=next_cursor)
