"""All mapped classes: the one place alembic and the app import the schema from."""

from app.models.audit import AuditAction, Audited, AuditEvent, AuditResource
from app.models.base import Base
from app.models.campaign import (
    ActivityKind,
    Campaign,
    CampaignActivity,
    CampaignMember,
    CampaignStatus,
    Outcome,
    campaign_zones,
)
from app.models.enterprise import (
    ContactRole,
    Enterprise,
    EnterpriseContact,
    EnterpriseEvent,
    EnterpriseEventKind,
    EnterpriseStatus,
    InvestmentProject,
    Ownership,
    ProjectStatus,
)
from app.models.idempotency import IdempotencyRecord
from app.models.import_job import ImportJob, ImportJobStatus
from app.models.ledger import (
    LedgerEnterpriseDay,
    LedgerEnterpriseSpan,
    LedgerMemberDay,
    LedgerMemberSpan,
    LedgerMetricDay,
    LedgerMetricItem,
    LedgerState,
)
from app.models.login import LoginFailure
from app.models.material import Material, MaterialFile, MaterialKind
from app.models.member import (
    EventKind,
    Gender,
    LeftReason,
    Member,
    MemberEvent,
    MemberStatus,
    RemovalReason,
    SourceGroup,
)
from app.models.organization import GRASSROOTS_KINDS, Organization, OrganizationKind
from app.models.plan import Plan, PlanTask, TaskProgress, TaskStatus
from app.models.target import Metric, Target, TargetScope
from app.models.training import ClassAttendee, TrainingClass
from app.models.user import AuthSession, RefreshToken, Role, User
from app.models.visit import (
    STORED_VISIT_STATUSES,
    CalendarFeed,
    PlannedVisit,
    VisitStatus,
    activity_materials,
    visit_materials,
)
from app.models.zone import IndustrialZone, ZoneStatus

__all__ = [
    "GRASSROOTS_KINDS",
    "STORED_VISIT_STATUSES",
    "ActivityKind",
    "AuditAction",
    "AuditEvent",
    "AuditResource",
    "Audited",
    "AuthSession",
    "Base",
    "CalendarFeed",
    "Campaign",
    "CampaignActivity",
    "CampaignMember",
    "CampaignStatus",
    "ClassAttendee",
    "ContactRole",
    "Enterprise",
    "EnterpriseContact",
    "EnterpriseEvent",
    "EnterpriseEventKind",
    "EnterpriseStatus",
    "EventKind",
    "Gender",
    "IdempotencyRecord",
    "ImportJob",
    "ImportJobStatus",
    "IndustrialZone",
    "InvestmentProject",
    "LedgerEnterpriseDay",
    "LedgerEnterpriseSpan",
    "LedgerMemberDay",
    "LedgerMemberSpan",
    "LedgerMetricDay",
    "LedgerMetricItem",
    "LedgerState",
    "LeftReason",
    "LoginFailure",
    "Material",
    "MaterialFile",
    "MaterialKind",
    "Member",
    "MemberEvent",
    "MemberStatus",
    "Metric",
    "Organization",
    "OrganizationKind",
    "Outcome",
    "Ownership",
    "Plan",
    "PlanTask",
    "PlannedVisit",
    "ProjectStatus",
    "RefreshToken",
    "RemovalReason",
    "Role",
    "SourceGroup",
    "Target",
    "TargetScope",
    "TaskProgress",
    "TaskStatus",
    "TrainingClass",
    "User",
    "VisitStatus",
    "ZoneStatus",
    "activity_materials",
    "campaign_zones",
    "visit_materials",
]
