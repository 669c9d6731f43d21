"""The overview's figures, each an aggregate computed in PostgreSQL from dated records: the
members, dossiers, period events, open enterprises, active organizations, investment projects
and people trained from the as-of ledger's deltas (app/party/ledger.py), the rest from the
records themselves.

The organizations', projects' and trained people's figures are also computed from the records
(`OverviewReport(..., from_records=True)`): the reference the ledger is held to
(tests/party/test_ledger_properties.py, tests/party/test_trained_ledger.py)."""

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Date, and_, distinct, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from app.campaigns.results.pipeline import LANGUAGES, speaks
from app.core.dates import recorded_by
from app.core.numbers import one_decimal, percent
from app.core.reads import Prepared, param
from app.models import (
    ENTERPRISES_COVERED,
    GRASSROOTS_KINDS,
    ClassAttendee,
    Enterprise,
    IndustrialZone,
    InvestmentProject,
    LedgerCompletionDay,
    LedgerState,
    Material,
    Metric,
    Organization,
    OrganizationKind,
    Ownership,
    Plan,
    PlanTask,
    TaskStatus,
    TrainingClass,
    ZoneStatus,
)
from app.party.ledger import (
    OpenEnterprises,
    committee_metric_totals,
    member_state_totals,
    open_enterprise_totals,
    open_on,
    organization_totals,
    project_totals,
)
from app.reports.schemas import (
    CandidateFigures,
    EnterpriseFigures,
    InvestmentFigures,
    MaterialFigures,
    MemberFigures,
    OrganizationFigures,
    Overview,
    PlanFigures,
    ZoneEnterprises,
    ZoneFigures,
)
from app.targets.schemas import Attainment
from app.targets.service import TargetService

# The report's parameters: every statement below is built and compiled once, and run on the
# driver with them (app/core/reads.py); building them anew cost more than running them. (Typed
# Any: each stands for a date where the models' expressions take one.)
AS_OF: Any = param("as_of", Date)
START: Any = param("start", Date)
UNTIL: Any = param("until", Date)  # min(period_end, as_of): nothing after as_of is counted
END: Any = param("end", Date)


def _in_period(column: ColumnElement[dt.date] | InstrumentedAttribute[Any]) -> Any:
    return column.between(START, UNTIL)


_OPERATING_ZONE = and_(
    IndustrialZone.status != ZoneStatus.PLANNED,
    IndustrialZone.established_on <= AS_OF,
    or_(IndustrialZone.closed_on.is_(None), IndustrialZone.closed_on > AS_OF),
)
_ZONES = Prepared(
    select(
        func.count().filter(_OPERATING_ZONE),
        func.count().filter(_in_period(IndustrialZone.established_on)),
    )
)
_ZONE_NAMES = Prepared(
    select(IndustrialZone.id, IndustrialZone.code, IndustrialZone.name).order_by(
        IndustrialZone.code
    )
)

_GRASSROOTS = Organization.kind != OrganizationKind.AFFILIATED_CELL
_ACTIVE = Organization.is_active_on(AS_OF)
_ORGANIZATIONS_FROM_RECORDS = Prepared(
    select(
        func.count().filter(_ACTIVE, _GRASSROOTS),
        func.count().filter(_ACTIVE, Organization.kind == OrganizationKind.GRASSROOTS_COMMITTEE),
        func.count().filter(_ACTIVE, Organization.kind == OrganizationKind.GRASSROOTS_CELL),
        func.count().filter(
            _ACTIVE,
            _GRASSROOTS,
            Enterprise.ownership.in_([Ownership.DOMESTIC_PRIVATE, Ownership.FDI]),
        ),
        func.count().filter(_ACTIVE, _GRASSROOTS, Enterprise.ownership == Ownership.FDI),
        func.count().filter(_ACTIVE, ~_GRASSROOTS),
        func.count(distinct(Organization.enterprise_id)).filter(_ACTIVE),
        func.count().filter(_GRASSROOTS, _in_period(Organization.established_on)),
    ).outerjoin(Enterprise, Enterprise.id == Organization.enterprise_id)
)

_TRAINING_FROM_RECORDS = Prepared(
    select(
        func.count(distinct(ClassAttendee.member_id)).filter(ClassAttendee.completed.is_(True)),
        func.count(distinct(TrainingClass.id)),
    )
    .select_from(TrainingClass)
    .outerjoin(ClassAttendee, ClassAttendee.class_id == TrainingClass.id)
    .where(_in_period(TrainingClass.ends_on))
)
# The same from the ledger: a member is trained in the period once, on their first completion
# in it, the one whose previous completion is before the period (or who has none); and the
# classes ending in it, counted on ix_training_classes_ends_on.
_TRAINING = Prepared(
    select(
        select(func.coalesce(func.sum(LedgerCompletionDay.delta), 0))
        .where(
            _in_period(LedgerCompletionDay.day),
            or_(
                LedgerCompletionDay.previous_day.is_(None), LedgerCompletionDay.previous_day < START
            ),
        )
        .scalar_subquery(),
        select(func.count())
        .select_from(TrainingClass)
        .where(_in_period(TrainingClass.ends_on))
        .scalar_subquery(),
    )
)


def _investment() -> Prepared:
    new = _in_period(InvestmentProject.licensed_on)
    new_fdi = and_(new, InvestmentProject.is_fdi.is_(True))
    active = and_(
        InvestmentProject.licensed_on <= AS_OF,
        or_(InvestmentProject.terminated_on.is_(None), InvestmentProject.terminated_on > AS_OF),
    )
    capital = InvestmentProject.registered_capital_usd
    return Prepared(
        select(
            func.count().filter(new),
            func.count().filter(new_fdi),
            func.coalesce(func.sum(capital).filter(new_fdi), 0),
            func.count().filter(active),
            func.coalesce(func.sum(capital).filter(active), 0),
        )
    )


def _plans() -> Prepared:
    """The tasks of the plans overlapping the report's period, as of its date."""
    overlapping = (Plan.period_start <= END) & (Plan.period_end >= START)
    recorded = recorded_by(PlanTask.created_at, AS_OF)
    done = (PlanTask.status == TaskStatus.DONE) & (PlanTask.completed_on <= AS_OF)
    cancelled = PlanTask.cancelled_on <= AS_OF
    still_open = ~func.coalesce(done, False) & ~func.coalesce(cancelled, False)
    return Prepared(
        select(
            func.count(distinct(Plan.id)),
            func.count(PlanTask.id),
            func.count(PlanTask.id).filter(done),
            func.count(PlanTask.id).filter(still_open),
            func.count(PlanTask.id).filter(still_open, PlanTask.due_on < AS_OF),
            func.count(PlanTask.id).filter(cancelled),
        )
        .select_from(Plan)
        .outerjoin(PlanTask, (PlanTask.plan_id == Plan.id) & recorded)
        .where(overlapping)
    )


def _needs_language() -> Prepared:
    """Per language (one column each, in LANGUAGES' order): is an enterprise that speaks it
    open on as_of without an active grassroots organization? One statement; each question
    stops at the first enterprise found (open on the day per the as-of ledger, one index
    probe)."""
    organized = (
        select(Organization.id)
        .where(
            Organization.enterprise_id == Enterprise.id,
            Organization.kind.in_(GRASSROOTS_KINDS),
            Organization.is_active_on(AS_OF),
        )
        .exists()
    )
    open_on_day = open_on(Enterprise.id, AS_OF)
    return Prepared(
        select(
            *(
                select(Enterprise.id)
                .where(
                    speaks(language, Enterprise.ownership, Enterprise.investor_country),
                    open_on_day,
                    ~organized,
                )
                .exists()
                .label(language)
                for language in LANGUAGES
            )
        )
    )


_INVESTMENT_FROM_RECORDS = _investment()
_PERIOD_METRICS = (
    Metric.MEMBERS_ADMITTED,
    Metric.MEMBERS_RECOGNIZED,
    Metric.ORGANIZATIONS_ESTABLISHED,
)
_PLANS = _plans()
_NEEDS_LANGUAGE = _needs_language()
_LIBRARY_LANGUAGES = Prepared(
    select(Material.language).where(recorded_by(Material.created_at, AS_OF)).distinct()
)


def _organization_figures(*row: int, enterprises_total: int) -> OrganizationFigures:
    """The figures from their counts, in _ORGANIZATIONS_FROM_RECORDS' order."""
    return OrganizationFigures(
        grassroots=row[0],
        grassroots_committees=row[1],
        grassroots_cells=row[2],
        in_non_state_enterprises=row[3],
        in_fdi_enterprises=row[4],
        affiliated_cells=row[5],
        enterprises_covered=row[6],
        enterprises_covered_percent=percent(row[6], enterprises_total),
        established_in_period=row[7],
    )


class OverviewReport:
    def __init__(
        self,
        session: AsyncSession,
        as_of: dt.date,
        start: dt.date,
        end: dt.date,
        *,
        from_records: bool = False,
    ):
        self.session = session
        self.from_records = from_records
        self.as_of = as_of
        self.start = start
        self.until = min(end, as_of)
        self.end = end
        self._counted_in_period: Counter[Metric] | None = None

    async def _in_period(self) -> Counter[Metric]:
        """The period's admissions, recognitions and organizations established, committee-wide:
        one statement for the sections that report them."""
        if self._counted_in_period is None:
            self._counted_in_period = await committee_metric_totals(
                self.session, _PERIOD_METRICS, self.start, self.until
            )
        return self._counted_in_period

    async def zones(self) -> ZoneFigures:
        row = await _ZONES.one(self.session, as_of=self.as_of, start=self.start, until=self.until)
        return ZoneFigures(operating=row[0], established_in_period=row[1])

    async def enterprises(self) -> EnterpriseFigures:
        open_ = await open_enterprise_totals(self.session, self.as_of)
        by_ownership: dict[str, OpenEnterprises] = defaultdict(OpenEnterprises)
        by_zone: dict[int, OpenEnterprises] = defaultdict(OpenEnterprises)
        for (zone, ownership), figures in open_.items():
            for total in (by_ownership[ownership], by_zone[zone]):
                total.count += figures.count
                total.workers += figures.workers
        zones = await _ZONE_NAMES.all(self.session)
        return EnterpriseFigures(
            total=sum(t.count for t in by_ownership.values()),
            state=by_ownership[Ownership.STATE].count,
            domestic_private=by_ownership[Ownership.DOMESTIC_PRIVATE].count,
            fdi=by_ownership[Ownership.FDI].count,
            workers=sum(t.workers for t in by_ownership.values()),
            by_zone=[
                ZoneEnterprises(
                    zone_id=z,
                    code=c,
                    name=n,
                    enterprises=by_zone[z].count,
                    workers=by_zone[z].workers,
                )
                for z, c, n in zones
            ],
        )

    async def organizations(self, enterprises_total: int) -> OrganizationFigures:
        if self.from_records:
            row = await _ORGANIZATIONS_FROM_RECORDS.one(
                self.session, as_of=self.as_of, start=self.start, until=self.until
            )
            return _organization_figures(*row, enterprises_total=enterprises_total)
        totals = await organization_totals(self.session, self.as_of)
        established = await self._in_period()

        def active(kinds: Iterable[str], ownerships: Iterable[str] | None = None) -> int:
            return sum(
                total
                for (counted, ownership), total in totals.items()
                if counted in kinds and (ownerships is None or ownership in ownerships)
            )

        grassroots = set(GRASSROOTS_KINDS)
        return _organization_figures(
            active(grassroots),
            active({OrganizationKind.GRASSROOTS_COMMITTEE}),
            active({OrganizationKind.GRASSROOTS_CELL}),
            active(grassroots, {Ownership.DOMESTIC_PRIVATE, Ownership.FDI}),
            active(grassroots, {Ownership.FDI}),
            active({OrganizationKind.AFFILIATED_CELL}),
            active({ENTERPRISES_COVERED}),
            established[Metric.ORGANIZATIONS_ESTABLISHED],
            enterprises_total=enterprises_total,
        )

    async def people(self, workers: int) -> tuple[MemberFigures, CandidateFigures]:
        states = await member_state_totals(self.session, self.as_of)
        events = await self._in_period()
        training = await (_TRAINING_FROM_RECORDS if self.from_records else _TRAINING).one(
            self.session, start=self.start, until=self.until
        )
        official = states[LedgerState.OFFICIAL]
        probationary = states[LedgerState.PROBATIONARY]
        total = official + probationary
        members = MemberFigures(
            total=total,
            official=official,
            probationary=probationary,
            per_1000_workers=one_decimal(Decimal(total) * 1000 / workers) if workers else None,
            admitted_in_period=events[Metric.MEMBERS_ADMITTED],
            recognized_in_period=events[Metric.MEMBERS_RECOGNIZED],
        )
        candidates = CandidateFigures(
            dossiers_in_progress=states[LedgerState.DOSSIER],
            dossiers_stale=states[LedgerState.DOSSIER_STALE],
            trained_in_period=training[0],
            classes_in_period=training[1],
        )
        return members, candidates

    async def investment(self) -> InvestmentFigures:
        if self.from_records:
            row = await _INVESTMENT_FROM_RECORDS.one(
                self.session, as_of=self.as_of, start=self.start, until=self.until
            )
            return InvestmentFigures(
                new_projects=row[0],
                new_fdi_projects=row[1],
                new_fdi_capital_usd=Decimal(row[2]),
                active_projects=row[3],
                active_capital_usd=Decimal(row[4]),
            )
        projects = await project_totals(self.session, self.as_of, self.start, self.until)
        fdi, other = projects[True], projects[False]
        return InvestmentFigures(
            new_projects=fdi.licensed + other.licensed,
            new_fdi_projects=fdi.licensed,
            new_fdi_capital_usd=fdi.licensed_capital,
            active_projects=fdi.active + other.active,
            active_capital_usd=fdi.active_capital + other.active_capital,
        )

    async def plans(self) -> PlanFigures:
        row = await _PLANS.one(self.session, as_of=self.as_of, start=self.start, end=self.end)
        return PlanFigures(
            plans=row[0], tasks=row[1], done=row[2], open=row[3], overdue=row[4], cancelled=row[5]
        )

    async def materials(self) -> MaterialFigures:
        """The languages the outreach needs on as_of (those of the enterprises open then without
        an active grassroots organization), and those the library then covered."""
        asked = await _NEEDS_LANGUAGE.one(self.session, as_of=self.as_of)
        needed = {language for language, needs in zip(LANGUAGES, asked, strict=True) if needs}
        library = {row[0] for row in await _LIBRARY_LANGUAGES.all(self.session, as_of=self.as_of)}
        return MaterialFigures(
            languages_needed=sorted(needed),
            languages_covered=sorted(needed & library),
            languages_missing=sorted(needed - library),
        )

    async def targets(self) -> list[Attainment]:
        service = TargetService(self.session)
        return await service.attainments_in_force(self.as_of, include_quotas=False)

    async def build(self) -> Overview:
        enterprises = await self.enterprises()
        members, candidates = await self.people(enterprises.workers)
        return Overview(
            as_of=self.as_of,
            period_start=self.start,
            period_end=self.end,
            counted_until=self.until,
            zones=await self.zones(),
            enterprises=enterprises,
            organizations=await self.organizations(enterprises.total),
            members=members,
            candidates=candidates,
            investment=await self.investment(),
            plans=await self.plans(),
            materials=await self.materials(),
            targets=await self.targets(),
        )
