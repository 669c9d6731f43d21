"""Property: the overview's organization and investment figures and the committee targets'
quota roll-ups read from the as-of ledger equal the same figures counted from the records, after
any history of changes (issue 12's proof harness, with tests/members/test_asof_properties.py for
the members).

Hypothesis writes random histories straight to the tables, as any writer could (an import,
psql): organizations established, dissolved and revived, moved between enterprises or to none,
changed in kind and backdated, deleted; enterprises changing ownership; projects licensed,
terminated, relicensed, recapitalised and deleted; admissions recorded, moved to another
organization or day and deleted; organization quotas of admissions, in two overlapping periods,
set, moved to another organization, period or value and removed; one statement at a time and
some statements changing many rows; a change the schema refuses is rolled back with its
savepoint. Then on random days, on the days of the changes and on their eves, every figure must
be the records'."""

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import (
    Enterprise,
    EventKind,
    InvestmentProject,
    MemberEvent,
    MemberStatus,
    Metric,
    Organization,
    OrganizationKind,
    Ownership,
    ProjectStatus,
    Target,
    TargetScope,
)
from app.party.ledger import rebuild
from app.reports.overview import OverviewReport
from app.targets.metrics import measure
from tests.factories import add_enterprise, add_member, add_organization, add_zone

START = dt.date(2000, 1, 1)
ENTERPRISES = 3

offsets = st.integers(min_value=0, max_value=9000)
maybe_offset = st.none() | offsets
enterprise = st.none() | st.integers(min_value=0, max_value=ENTERPRISES - 1)
which = st.integers(min_value=0, max_value=20)  # an earlier organization or project, modulo
kinds = st.sampled_from(list(OrganizationKind))
ownerships = st.sampled_from(list(Ownership))
capitals = st.integers(min_value=0, max_value=10**9).map(lambda c: Decimal(c) / 100)

# The quotas' periods, overlapping; a committee target of each rolls its quotas up.
PERIODS = [
    (dt.date(2000, 1, 1), dt.date(2010, 12, 31)),
    (dt.date(2005, 6, 1), dt.date(2021, 5, 31)),
]
periods = st.sampled_from(range(len(PERIODS)))

changes = st.one_of(
    st.tuples(st.just("organization"), kinds, enterprise, offsets, maybe_offset),
    st.tuples(st.just("dissolve"), which, maybe_offset),
    st.tuples(st.just("establish"), which, offsets),
    st.tuples(st.just("move"), which, enterprise),
    st.tuples(st.just("kind"), which, kinds),
    st.tuples(st.just("delete"), which),
    st.tuples(st.just("dissolve all of"), enterprise, offsets),
    st.tuples(st.just("ownership"), enterprise, ownerships),
    st.tuples(st.just("project"), enterprise, offsets, maybe_offset, st.booleans(), capitals),
    st.tuples(st.just("terminate"), which, maybe_offset),
    st.tuples(st.just("license"), which, offsets),
    st.tuples(st.just("capital"), which, capitals),
    st.tuples(st.just("delete project"), which),
    st.tuples(st.just("terminate all"), offsets),
    st.tuples(st.just("quota"), which, periods, st.integers(min_value=1, max_value=9)),
    st.tuples(st.just("requota"), which, which, periods, st.integers(min_value=1, max_value=9)),
    st.tuples(st.just("unquota"), which),
    st.tuples(st.just("renumber"), st.sampled_from(["organizations", "projects", "quotas"]), which),
    st.tuples(st.just("admission"), which, which, offsets),
    st.tuples(st.just("readmit"), which, which, offsets),
    st.tuples(st.just("unadmit"), which),
)
# The changes the schema may refuse: one active grassroots organization per enterprise, an
# affiliated cell's parent (kept while it has cells), a dissolution or termination not before
# its start.
REFUSABLE = {
    "renumber",  # an organization others refer to
    "organization",
    "dissolve",
    "establish",
    "move",
    "kind",
    "delete",
    "license",
    "terminate all",
}


def _day(offset: int) -> dt.date:
    return START + dt.timedelta(days=offset)


def _quota(organization_id: int | None, period: int, value: int) -> Target:
    start, end = PERIODS[period]
    return Target(
        name="Chỉ tiêu thử",
        metric=Metric.MEMBERS_ADMITTED,
        scope=TargetScope.COMMITTEE if organization_id is None else TargetScope.ORGANIZATION,
        organization_id=organization_id,
        period_start=start,
        period_end=end,
        value=value,
    )


def _pick(ids: list[int], index: int) -> int | None:
    return ids[index % len(ids)] if ids else None


async def _apply(
    session: AsyncSession,
    change: tuple[Any, ...],
    context: dict[str, Any],
) -> None:
    """One change, as one statement (two for a new organization's parent)."""
    kind, *args = change
    enterprises: list[int] = context["enterprises"]
    organizations: list[int] = context["organizations"]
    projects: list[int] = context["projects"]
    quotas: list[int] = context["quotas"]

    def enterprise_id(index: int | None) -> int | None:
        return None if index is None else enterprises[index]

    match kind:
        case "organization":
            organization_kind, where, established, dissolved = args
            organization = await add_organization(
                session,
                kind=organization_kind,
                enterprise_id=enterprise_id(where),
                parent_id=context["committee"]
                if organization_kind == OrganizationKind.AFFILIATED_CELL
                else None,
                established_on=_day(established),
                dissolved_on=None if dissolved is None else _day(established + dissolved // 3),
            )
            organizations.append(organization.id)
            return
        case "project":
            where, licensed, terminated, is_fdi, capital = args
            project = InvestmentProject(
                enterprise_id=enterprise_id(where) or enterprises[0],
                name="Dự án thử",
                licensed_on=_day(licensed),
                registered_capital_usd=capital,
                is_fdi=is_fdi,
                status=ProjectStatus.ACTIVE if terminated is None else ProjectStatus.TERMINATED,
                terminated_on=None if terminated is None else _day(licensed + terminated // 3),
            )
            session.add(project)
            await session.flush()
            projects.append(project.id)
            return
        case "admission":
            member, organization, admitted = args
            event = MemberEvent(
                member_id=_pick(context["members"], member),
                kind=EventKind.ADMITTED,
                status_after=MemberStatus.PROBATIONARY,
                occurred_on=_day(admitted),
                organization_id=_pick(organizations, organization),
            )
            session.add(event)
            await session.flush()
            context["admissions"].append(event.id)
            return
        case "renumber":  # a row's id changed (a writer may; the ledger must follow)
            table, index = args
            ids = context[table]
            old = _pick(ids, index)
            if old is None or (table == "organizations" and old == context["committee"]):
                return
            new = old + 100_000
            renumbered = {
                "organizations": update(Organization).where(Organization.id == old),
                "projects": update(InvestmentProject).where(InvestmentProject.id == old),
                # (a quota's value changes with its id, as a writer's one statement may)
                "quotas": update(Target).where(Target.id == old).values(value=Target.value + 1),
            }[table]
            await session.execute(renumbered.values(id=new))
            ids[ids.index(old)] = new
            return
        case "quota":
            index, period, value = args
            quota = _quota(_pick(organizations, index), period, value)
            session.add(quota)
            await session.flush()
            quotas.append(quota.id)
            return
    statement: Any
    match kind:
        case "requota":
            index, organization, period, value = args
            start, end = PERIODS[period]
            statement = (
                update(Target)
                .where(Target.id == _pick(quotas, index))
                .values(
                    organization_id=_pick(organizations, organization),
                    period_start=start,
                    period_end=end,
                    value=value,
                )
            )
        case "readmit":
            index, organization, admitted = args
            statement = (
                update(MemberEvent)
                .where(MemberEvent.id == _pick(context["admissions"], index))
                .values(
                    organization_id=_pick(organizations, organization), occurred_on=_day(admitted)
                )
            )
        case "unadmit":
            (index,) = args
            statement = delete(MemberEvent).where(
                MemberEvent.id == _pick(context["admissions"], index)
            )
        case "unquota":
            (index,) = args
            statement = delete(Target).where(Target.id == _pick(quotas, index))
        case "dissolve":
            index, dissolved = args
            statement = (
                update(Organization)
                .where(Organization.id == _pick(organizations, index))
                .values(
                    dissolved_on=None
                    if dissolved is None
                    else Organization.established_on + dissolved // 3
                )
            )
        case "establish":
            index, established = args
            statement = (
                update(Organization)
                .where(Organization.id == _pick(organizations, index))
                .values(established_on=_day(established))
            )
        case "move":
            index, where = args
            statement = (
                update(Organization)
                .where(Organization.id == _pick(organizations, index))
                .values(enterprise_id=enterprise_id(where))
            )
        case "kind":
            index, organization_kind = args
            statement = (
                update(Organization)
                .where(
                    Organization.id == _pick(organizations, index),
                    Organization.id != context["committee"],  # (no parent of itself)
                )
                .values(
                    kind=organization_kind,
                    parent_id=context["committee"]
                    if organization_kind == OrganizationKind.AFFILIATED_CELL
                    else None,
                )
            )
        case "delete":
            (index,) = args
            deleted = _pick(organizations, index)
            if deleted is not None and deleted != context["committee"]:
                await session.execute(delete(Organization).where(Organization.id == deleted))
                organizations.remove(deleted)  # (its id is not given to later changes)
            return
        case "dissolve all of":
            where, dissolved = args
            statement = (
                update(Organization)
                .where(
                    Organization.enterprise_id.is_not_distinct_from(enterprise_id(where)),
                    Organization.id != context["committee"],
                )
                .values(dissolved_on=Organization.established_on + dissolved // 3)
            )
        case "ownership":
            where, ownership = args
            statement = (
                update(Enterprise)
                .where(Enterprise.id == (enterprise_id(where) or enterprises[0]))
                .values(
                    ownership=ownership,
                    investor_country="KR" if ownership == Ownership.FDI else None,
                )
            )
        case "terminate":
            index, terminated = args
            statement = (
                update(InvestmentProject)
                .where(InvestmentProject.id == _pick(projects, index))
                .values(
                    status=ProjectStatus.ACTIVE if terminated is None else ProjectStatus.TERMINATED,
                    terminated_on=None
                    if terminated is None
                    else InvestmentProject.licensed_on + terminated // 3,
                )
            )
        case "license":
            index, licensed = args
            statement = (
                update(InvestmentProject)
                .where(InvestmentProject.id == _pick(projects, index))
                .values(licensed_on=_day(licensed))
            )
        case "capital":
            index, capital = args
            statement = (
                update(InvestmentProject)
                .where(InvestmentProject.id == _pick(projects, index))
                .values(registered_capital_usd=capital)
            )
        case "delete project":
            (index,) = args
            statement = delete(InvestmentProject).where(
                InvestmentProject.id == _pick(projects, index)
            )
        case "terminate all":
            (terminated,) = args
            statement = (
                update(InvestmentProject)
                .where(InvestmentProject.terminated_on.is_(None))
                .values(status=ProjectStatus.TERMINATED, terminated_on=_day(terminated))
            )
    await session.execute(statement.execution_options(synchronize_session=False))


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# The paths a random history may take long to find: an enterprise's ownership changing under
# its organization; two organizations covering one enterprise in overlapping and adjacent
# spans, then one moved away; a project terminated and revived; quotas set on a cell and on the
# committee its affiliated cell's admissions count for, an admission moved into another period,
# a quota moved to the cell, the cell made grassroots (its admissions no longer the committee's),
# an admission after every period; an organization, a project and a quota given new ids.
@example(
    history=[
        ("organization", OrganizationKind.GRASSROOTS_CELL, 0, 100, None),
        ("ownership", 0, Ownership.FDI),
        ("organization", OrganizationKind.AFFILIATED_CELL, 1, 50, 300),
        ("organization", OrganizationKind.GRASSROOTS_CELL, 1, 150, 600),
        ("organization", OrganizationKind.GRASSROOTS_COMMITTEE, 1, 350, None),
        ("move", 2, None),
        ("project", 2, 400, 90, True, Decimal("1250.50")),
        ("terminate", 0, None),
        ("admission", 0, 1, 200),
        ("admission", 1, 2, 2500),
        ("quota", 1, 0, 3),
        ("quota", 0, 1, 2),
        ("readmit", 0, 1, 2400),
        ("requota", 0, 2, 1, 5),
        ("kind", 2, OrganizationKind.GRASSROOTS_CELL),
        ("admission", 2, 2, 8000),
        ("renumber", "organizations", 3),
        ("renumber", "projects", 0),
        ("renumber", "quotas", 0),
    ],
    days=[0],
    period=500,
)
@given(
    history=st.lists(changes, min_size=1, max_size=25),
    days=st.lists(offsets, min_size=1, max_size=4),
    period=st.integers(min_value=0, max_value=2000),
)
async def test_organization_and_project_figures_equal_the_records(
    session: AsyncSession, history: list[tuple[Any, ...]], days: list[int], period: int
) -> None:
    savepoint = await session.begin_nested()
    try:
        zone = await add_zone(session)
        enterprises = [
            (await add_enterprise(session, zone, ownership=ownership)).id
            for ownership in (Ownership.DOMESTIC_PRIVATE, Ownership.FDI, Ownership.STATE)
        ]
        committee = await add_organization(
            session, kind=OrganizationKind.GRASSROOTS_COMMITTEE, established_on=START
        )
        committee_targets = [_quota(None, period, 20) for period in range(len(PERIODS))]
        session.add_all(committee_targets)
        await session.flush()
        context: dict[str, Any] = {
            "enterprises": enterprises,
            "committee": committee.id,
            "organizations": [committee.id],
            "projects": [],
            "quotas": [],
            "members": [(await add_member(session, registered_on=START)).id for _ in range(3)],
            "admissions": [],
        }
        applied = 0
        for change in history:
            step = await session.begin_nested()
            try:
                await _apply(session, change, context)
                await step.commit()
                applied += 1
            except IntegrityError:  # a rule of the schema: the change is not made
                await step.rollback()
                assert change[0] in REFUSABLE, change
        session.expire_all()
        committee_targets = list(
            await session.scalars(select(Target).where(Target.scope == TargetScope.COMMITTEE))
        )

        stepped: set[dt.date] = set()
        for row in await session.execute(
            select(Organization.established_on, Organization.dissolved_on)
        ):
            stepped |= {day + dt.timedelta(days=shift) for day in row if day for shift in (-1, 0)}
        for row in await session.execute(
            select(InvestmentProject.licensed_on, InvestmentProject.terminated_on)
        ):
            stepped |= {day + dt.timedelta(days=shift) for day in row if day for shift in (-1, 0)}
        stepped |= {day for period in PERIODS for day in period}
        for on in sorted({_day(offset) for offset in days} | stepped):
            since = on - dt.timedelta(days=period)
            ledger = OverviewReport(session, on, since, on)
            records = OverviewReport(session, on, since, on, from_records=True)
            assert await ledger.organizations(7) == await records.organizations(7), on
            assert await ledger.investment() == await records.investment(), (since, on)
            assert await measure(session, committee_targets, on) == await measure(
                session, committee_targets, on, from_records=True
            ), on

        checks = await rebuild(session, apply=False)
        assert {check.ledger: check.differences for check in checks} == {
            "member_states": 0,
            "metric_items": 0,
            "open_enterprises": 0,
            "organizations": 0,
            "investment_projects": 0,
            "quota_rollups": 0,
            "candidates_trained": 0,
            "completions": 0,
        }, applied
    finally:
        await savepoint.rollback()
