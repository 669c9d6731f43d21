"""The overview: every figure the committee reports upward, as of a date and for a period."""

import datetime as dt

from pydantic import Field

from app.core.schemas import DecimalNumber, OutputModel
from app.targets.schemas import Attainment


class ZoneFigures(OutputModel):
    operating: int = Field(description="Operating on as_of.")
    established_in_period: int


class ZoneEnterprises(OutputModel):
    zone_id: int
    code: str
    name: str
    enterprises: int
    workers: int


class EnterpriseFigures(OutputModel):
    total: int = Field(description="Enterprises not closed.")
    state: int
    domestic_private: int
    fdi: int
    workers: int
    by_zone: list[ZoneEnterprises]


class OrganizationFigures(OutputModel):
    grassroots: int = Field(description="Grassroots committees + grassroots cells active on as_of.")
    grassroots_committees: int
    grassroots_cells: int
    in_non_state_enterprises: int = Field(description="Grassroots organizations in private + FDI.")
    in_fdi_enterprises: int
    affiliated_cells: int
    enterprises_covered: int = Field(description="Enterprises with an active organization.")
    enterprises_covered_percent: DecimalNumber | None
    established_in_period: int = Field(description="Grassroots organizations established.")


class MemberFigures(OutputModel):
    total: int = Field(description="Official + probationary on as_of.")
    official: int
    probationary: int
    per_1000_workers: DecimalNumber | None
    admitted_in_period: int
    recognized_in_period: int


class CandidateFigures(OutputModel):
    dossiers_in_progress: int = Field(description="Candidates with a dossier, not yet admitted.")
    dossiers_stale: int = Field(description="Of those, started over 12 months before as_of.")
    trained_in_period: int = Field(description="Distinct candidates completing a class.")
    classes_in_period: int = Field(description="Awareness classes that ended in the period.")


class InvestmentFigures(OutputModel):
    new_projects: int
    new_fdi_projects: int
    new_fdi_capital_usd: DecimalNumber
    active_projects: int = Field(description="Licensed by as_of and not terminated then.")
    active_capital_usd: DecimalNumber


class PlanFigures(OutputModel):
    plans: int = Field(description="Plans whose period overlaps the report's period.")
    tasks: int
    done: int = Field(description="Tasks completed on or before as_of.")
    open: int = Field(description="Tasks neither completed by as_of nor cancelled.")
    overdue: int = Field(description="Open tasks due before as_of.")
    cancelled: int


class MaterialFigures(OutputModel):
    languages_needed: list[str] = Field(
        description="Languages suggested for the owners of the enterprises open on as_of without "
        "an active grassroots organization (the outreach's audience)."
    )
    languages_covered: list[str] = Field(
        description="Of those, the languages the library had material in on as_of."
    )
    languages_missing: list[str] = Field(description="Needed and not covered.")


class Overview(OutputModel):
    as_of: dt.date
    period_start: dt.date
    period_end: dt.date
    counted_until: dt.date = Field(description="min(as_of, period_end): later events are not seen.")
    zones: ZoneFigures
    enterprises: EnterpriseFigures
    organizations: OrganizationFigures
    members: MemberFigures
    candidates: CandidateFigures
    investment: InvestmentFigures
    plans: PlanFigures
    materials: MaterialFigures
    targets: list[Attainment] = Field(
        description="Committee and campaign targets in force; quotas appear in quota_rollup."
    )
