"""/targets, their attainment on a date, and the rows behind it."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from app import models
from app.auth.dependencies import EditorUser
from app.core.dates import today
from app.core.db import ReplicaSessionDep, SessionDep
from app.core.errors import problem_responses
from app.core.http import IfMatch, check_if_match, set_etag, set_location
from app.core.idempotency import IdempotentRoute
from app.core.pagination import DEFAULT_LIMIT, CursorParam, LimitParam, Page, list_query
from app.core.repository import path_row
from app.models import Metric
from app.targets.metrics import METRIC_DESCRIPTIONS, SCOPES_BY_METRIC
from app.targets.repository import TargetListQuery, TargetRepository
from app.targets.schemas import (
    AsOf,
    Attainment,
    AttainmentItem,
    MetricInfo,
    Target,
    TargetCreate,
    TargetFilters,
    TargetUpdate,
)
from app.targets.service import TargetService
from app.targets.sorting import TargetSort

router = APIRouter(prefix="/targets", tags=["targets"], route_class=IdempotentRoute)
WRITE_RESPONSES = problem_responses(409, 412)


TargetDep = Annotated[models.Target, Depends(path_row(TargetRepository, "target_id"))]
TargetQuery = Annotated[
    TargetListQuery, Depends(list_query(TargetSort, "period_start", TargetFilters))
]


def _read(target: models.Target, response: Response) -> Target:
    set_etag(response, target.version)
    return Target.model_validate(target)


@router.get("/metrics", name="list-metrics", response_model=list[MetricInfo])
async def list_metrics() -> list[MetricInfo]:
    """What each metric counts and the scopes it can be set for."""
    return [
        MetricInfo(metric=m, description=METRIC_DESCRIPTIONS[m], scopes=sorted(SCOPES_BY_METRIC[m]))
        for m in Metric
    ]


@router.get("", name="list", response_model=Page[Target])
async def list_targets(session: SessionDep, query: TargetQuery) -> Page[Target]:
    """Targets, by period_start (default) or name. Filter by metric, scope, organization_id,
    campaign_id, in_force_on (period contains the date, or ended earlier that year) or q
    (name, basis)."""
    return (await TargetRepository(session).list(query)).page(Target.model_validate)


@router.post(
    "",
    name="create",
    response_model=Target,
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_RESPONSES,
)
async def create_target(
    data: TargetCreate, session: SessionDep, _user: EditorUser, response: Response
) -> Target:
    """Set a target: a value, or a range with min_value and max_value."""
    target = await TargetService(session).create(data)
    set_location(response, "targets", target.id)
    return _read(target, response)


# `:int`: ids are digits only, so /targets/metrics never falls into /{target_id} (a PATCH on
# it is 405 with the Allow header, not a 422 about the id).
@router.get("/{target_id:int}", name="get", response_model=Target)
async def get_target(target: TargetDep, response: Response) -> Target:
    """One target with its ETag; its attainment is at /targets/{target_id}/attainment."""
    return _read(target, response)


@router.patch("/{target_id:int}", name="update", response_model=Target, responses=WRITE_RESPONSES)
async def update_target(
    target: TargetDep,
    data: TargetUpdate,
    session: SessionDep,
    _user: EditorUser,
    response: Response,
    if_match: IfMatch = None,
) -> Target:
    """Change name, period, deadline, value or range, basis or notes; metric and scope are fixed."""
    check_if_match(if_match, target.version)
    target = await TargetService(session).update(target, data)
    return _read(target, response)


@router.delete(
    "/{target_id:int}",
    name="delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=WRITE_RESPONSES,
)
async def delete_target(
    target: TargetDep, session: SessionDep, _user: EditorUser, if_match: IfMatch = None
) -> None:
    """Delete a target (editors and admins). A stale If-Match is a 412."""
    check_if_match(if_match, target.version)
    await TargetService(session).delete(target)


@router.get("/{target_id:int}/attainment", name="get-attainment", response_model=Attainment)
async def get_target_attainment(
    target: TargetDep, session: ReplicaSessionDep, as_of: AsOf = None
) -> Attainment:
    """Actual, percent, remaining, pace, forecast and status on `as_of`."""
    return (await TargetService(session).attainments([target], as_of or today()))[0]


@router.get(
    "/{target_id:int}/attainment/items",
    name="list-attainment-items",
    response_model=Page[AttainmentItem],
)
async def list_target_attainment_items(
    target: TargetDep,
    session: ReplicaSessionDep,
    as_of: AsOf = None,
    limit: LimitParam = DEFAULT_LIMIT,
    cursor: CursorParam = None,
) -> Page[AttainmentItem]:
    """The admissions, recognitions, organizations, zones or trained candidates that were counted,
    so an auditor can check any figure."""
    rows = await TargetRepository(session).items(
        target, as_of or today(), limit=limit, cursor=cursor
    )
    return rows.page(AttainmentItem.model_validate)
