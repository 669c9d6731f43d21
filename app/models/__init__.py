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
from app.models.login import LoginFailure
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
from app.models.target import Metric, Target, TargetScope
from app.models.training import ClassAttendee, TrainingClass
from app.models.user import AuthSession, RefreshToken, Role, User
from app.models.zone import IndustrialZone, ZoneStatus

__all__ = [
    "GRASSROOTS_KINDS",
    "ActivityKind",
    "AuditAction",
    "AuditEvent",
    "AuditResource",
    "Audited",
    "AuthSession",
    "Base",
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
    "LeftReason",
    "LoginFailure",
    "Member",
    "MemberEvent",
    "MemberStatus",
    "Metric",
    "Organization",
    "OrganizationKind",
    "Outcome",
    "Ownership",
    "ProjectStatus",
    "RefreshToken",
    "RemovalReason",
    "Role",
    "SourceGroup",
    "Target",
    "TargetScope",
    "TrainingClass",
    "User",
    "ZoneStatus",
    "campaign_zones",
]
