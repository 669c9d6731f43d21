"""/targets, their attainment on a date, and the rows behind it."""

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response, status
from pydantic import BaseModel

from app.auth.dependencies import EditorUser
from app.core.dates import today
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.http import IfMatch, check_if_match, set_etag
from app.core.pagination import CursorParam, LimitParam, Page, page_of
from app.core.repository import get_or_404
from app.models import Metric, Target, TargetScope
from app.targets import schemas
from app.targets.metrics import ITEM_KINDS, METRIC_DESCRIPTIONS, SCOPES_BY_METRIC
from app.targets.repository import TARGET_ORDERINGS, TargetRepository
from app.targets.service import TargetService

router = APIRouter(prefix="/targets", tags=["targets"])
WRITE_RESPONSES = problem_responses(409, 412)
AsOf = Annotated[dt.date | None, Query(description="The date to measure on; default today.")]


async def valid_target(target_id: int, session: SessionDep) -> Target:
    return await get_or_404(session, Target, target_id, "target")


TargetDep = Annotated[Target, Depends(valid_target)]


class MetricInfo(BaseModel):
    metric: Metric
    description: str
    scopes: list[TargetScope]


@router.get("/metrics", response_model=list[MetricInfo])
async def list_metrics() -> list[MetricInfo]:
    """What each metric counts and the scopes it can be set for."""
    return [
        MetricInfo(metric=m, description=METRIC_DESCRIPTIONS[m], scopes=sorted(SCOPES_BY_METRIC[m]))
        for m in Metric
    ]


@router.get("", response_model=Page[schemas.Target])
async def list_targets(
    session: SessionDep,
    limit: LimitParam = 50,
    cursor: CursorParam = None,
    sort: Literal["period_start", "name"] = "period_start",
    metric: Metric | None = None,
    scope: TargetScope | None = None,
    organization_id: int | None = None,
    campaign_id: int | None = None,
    in_force_on: Annotated[
        dt.date | None,
        Query(description="Period contains the date, or ended earlier in the same year."),
    ] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> Page[schemas.Target]:
    ordering = TARGET_ORDERINGS[sort]
    rows = await TargetRepository(session).list(
        ordering=ordering,
        limit=limit,
        cursor=cursor,
        metric=metric,
        scope=scope,
        organization_id=organization_id,
        campaign_id=campaign_id,
        in_force_on=in_force_on,
        q=q,
    )
    items, next_cursor = page_of(rows, ordering, limit)
    return Page(items=[schemas.Target.model_validate(t) for t in items], next_cursor=next_cursor)


@router.post(
    "",
    response_model=schemas.Target,
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_RESPONSES,
)
async def create_target(
    data: schemas.TargetCreate, session: SessionDep, _user: EditorUser, response: Response
) -> schemas.Target:
    """Set a target: a value, or a range with min_value and max_value."""
    target = await TargetService(session).create(data)
    response.headers["Location"] = f"/api/v1/targets/{target.id}"
    set_etag(response, target.version)
    return schemas.Target.model_validate(target)


@router.get("/{target_id}", response_model=schemas.Target)
async def get_target(target: TargetDep, response: Response) -> schemas.Target:
    set_etag(response, target.version)
    return schemas.Target.model_validate(target)


@router.patch("/{target_id}", response_model=schemas.Target, responses=WRITE_RESPONSES)
async def update_target(
    target: TargetDep,
    data: schemas.TargetUpdate,
    session: SessionDep,
    _user: EditorUser,
    response: Response,
    if_match: IfMatch = None,
) -> schemas.Target:
    """Change name, period, deadline, value or range, basis or notes; metric and scope are fixed."""
    check_if_match(if_match, target.version)
    target = await TargetService(session).update(target, data)
    set_etag(response, target.version)
    return schemas.Target.model_validate(target)


@router.delete("/{target_id}", status_code=status.HTTP_204_NO_CONTENT, responses=WRITE_RESPONSES)
async def delete_target(
    target: TargetDep, session: SessionDep, _user: EditorUser, if_match: IfMatch = None
) -> None:
    check_if_match(if_match, target.version)
    await TargetService(session).delete(target)


@router.get("/{target_id}/attainment", response_model=schemas.Attainment)
async def get_target_attainment(
    target: TargetDep, session: SessionDep, as_of: AsOf = None
) -> schemas.Attainment:
    """Actual, percent, remaining, pace, forecast and status on `as_of`."""
    return (await TargetService(session).attainments([target], as_of or today()))[0]


@router.get("/{target_id}/attainment/items", response_model=Page[schemas.AttainmentItem])
async def list_target_attainment_items(
    target: TargetDep,
    session: SessionDep,
    as_of: AsOf = None,
    limit: LimitParam = 50,
    cursor: CursorParam = None,
) -> Page[schemas.AttainmentItem]:
    """The admissions, recognitions, organizations, zones or trained candidates that were counted,
    so an auditor can check any figure."""
    rows, ordering = await TargetRepository(session).items(
        target, as_of or today(), limit=limit, cursor=cursor
    )
    items, next_cursor = page_of(rows, ordering, limit)
    kind = ITEM_KINDS[Metric(target.metric)]
    return Page(
        items=[
            schemas.AttainmentItem(
                kind=kind,
                id=row.id,
                on=row.on,
                label=row.label,
                organization_id=row.organization_id,
            )
            for row in items
        ],
        next_cursor=next_cursor,
    )
