"""GET /audit-events (admins) and GET /{records}/{id}/history (editors): the audit trail read
back. There is no path that changes or deletes an event."""

from collections.abc import Awaitable, Callable
from inspect import Parameter, Signature
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.repository import AuditListQuery, AuditRepository
from app.audit.schemas import AuditEvent, AuditFilters
from app.auth.dependencies import AdminUser, EditorUser
from app.campaigns.repository import CampaignRepository
from app.core.db import SessionDep
from app.core.errors import NotFound, problem_responses
from app.core.pagination import Page, list_query
from app.core.repository import Repository
from app.core.schemas import ParamInt
from app.enterprises.repository import EnterpriseRepository
from app.investment_projects.repository import ProjectRepository
from app.members.repository import MemberRepository
from app.models import AuditEvent as AuditRow
from app.models import AuditResource, Role, User
from app.organizations.repository import OrganizationRepository
from app.targets.repository import TargetRepository
from app.training.repository import TrainingClassRepository
from app.zones.repository import ZoneRepository

router = APIRouter()

AuditQuery = Annotated[AuditListQuery, Depends(list_query(filters=AuditFilters))]
HistoryQuery = Annotated[AuditListQuery, Depends(list_query())]

# The records with a history page: (path, path parameter, resource, repository, tag). A
# record's history holds its child records' events too (a member's events, an enterprise's
# contacts and projects, a class's attendees, a campaign's activities).
HISTORIES: tuple[tuple[str, str, AuditResource, type[Repository[Any]]], ...] = (
    ("industrial-zones", "zone_id", AuditResource.INDUSTRIAL_ZONE, ZoneRepository),
    ("organizations", "organization_id", AuditResource.ORGANIZATION, OrganizationRepository),
    ("members", "member_id", AuditResource.MEMBER, MemberRepository),
    ("enterprises", "enterprise_id", AuditResource.ENTERPRISE, EnterpriseRepository),
    ("investment-projects", "project_id", AuditResource.INVESTMENT_PROJECT, ProjectRepository),
    ("training-classes", "class_id", AuditResource.TRAINING_CLASS, TrainingClassRepository),
    ("targets", "target_id", AuditResource.TARGET, TargetRepository),
    ("campaigns", "campaign_id", AuditResource.CAMPAIGN, CampaignRepository),
)


def _shown(event: AuditRow, reader: User) -> AuditEvent:
    """The event as `reader` may see it: client addresses for admins only."""
    shown = AuditEvent.model_validate(event)
    if reader.role != Role.ADMIN:
        shown.client_address = None
    return shown


@router.get(
    "/audit-events",
    name="list",
    tags=["audit"],
    response_model=Page[AuditEvent],
    responses=problem_responses(401, 403, 422),
)
async def list_audit_events(
    session: SessionDep, admin: AdminUser, query: AuditQuery
) -> Page[AuditEvent]:
    """Every recorded change and login, newest first (README "Sessions and security")."""
    page = await AuditRepository(session).list(query)
    return page.page(lambda event: _shown(event, admin))


def _history_endpoint(
    param: str, resource: AuditResource, repository: type[Repository[Any]]
) -> Callable[..., Awaitable[Page[AuditEvent]]]:
    async def history(
        session: AsyncSession, user: User, query: AuditListQuery, **path: int
    ) -> Page[AuditEvent]:
        record_id = path[param]
        audit = AuditRepository(session)
        exists = await repository(session).get_or_none(record_id) is not None
        if not exists and not await audit.mentions(resource, record_id):
            raise NotFound(f"{repository.noun} {record_id} does not exist")
        page = await audit.history(resource, record_id, query)
        return page.page(lambda event: _shown(event, user))

    history.__signature__ = Signature(  # type: ignore[attr-defined]
        [
            Parameter(param, Parameter.KEYWORD_ONLY, annotation=ParamInt),
            Parameter("session", Parameter.KEYWORD_ONLY, annotation=SessionDep),
            Parameter("user", Parameter.KEYWORD_ONLY, annotation=EditorUser),
            Parameter("query", Parameter.KEYWORD_ONLY, annotation=HistoryQuery),
        ]
    )
    return history


for _path, _param, _resource, _repository in HISTORIES:
    router.add_api_route(
        f"/{_path}/{{{_param}}}/history",
        _history_endpoint(_param, _resource, _repository),
        methods=["GET"],
        name="history",
        tags=[_path],
        response_model=Page[AuditEvent],
        responses=problem_responses(401, 403, 404, 422),
        summary=f"The {_repository.noun}'s history",
        description=f"Who changed the {_repository.noun}, when and how (its child records "
        "too), newest first; for editors and admins. Personal fields show as changed, "
        "without their values. A deleted record's history stays readable.",
    )
