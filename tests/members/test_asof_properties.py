"""Property: every as-of member figure equals a replay of the member events (issue 12's proof
harness). Hypothesis builds random histories through the member service itself (so the
Charter's rules hold: steps in order, ages, probation, active organizations), with steps
recorded late (backdated) and members transferred, removed and transferred out; then, for
random days, the SQL figures (the member states, the organizations' counts, the overview's
people) must equal what replaying each member's events up to that day gives."""

import datetime as dt
from collections import Counter
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.dates import add_months, today
from app.core.errors import DomainError
from app.members.schemas import (
    Admission,
    DossierStart,
    MemberCreate,
    Recognition,
    Removal,
    Transfer,
)
from app.members.service import MemberService
from app.models import (
    EventKind,
    LedgerMetricDay,
    Member,
    MemberEvent,
    MemberStatus,
    Metric,
    TargetScope,
)
from app.party.asof import member_states, organization_counts
from app.party.charter import DOSSIER_STALE_MONTHS, probation_ends_on
from app.party.ledger import rebuild
from app.reports.overview import OverviewReport
from app.targets.metrics import metric_source
from tests.factories import add_organization
from tests.fixtures.auth import UserFactory

START = dt.date(2012, 1, 1)

step_days = st.integers(min_value=1, max_value=900)
plans = st.fixed_dictionaries(
    {
        "registered": st.integers(min_value=0, max_value=4000),
        "dossier": st.none() | st.integers(min_value=0, max_value=900),
        "deleted": st.sampled_from([False, False, False, True]),
        "organization": st.integers(min_value=0, max_value=2),
        "admitted": st.none() | step_days,
        "recognized": st.none() | st.integers(min_value=0, max_value=300),
        "moved": st.none() | st.tuples(step_days, st.integers(min_value=0, max_value=2)),
        "left": st.none() | st.tuples(step_days, st.sampled_from(["removed", "transferred_out"])),
    }
)


def _day(offset: int) -> dt.date:
    return min(START + dt.timedelta(days=offset), today())


async def _live(service: MemberService, plan: dict[str, Any], organizations: list[int]) -> None:
    """One member's history, as far as the rules let it go (a refused step ends it)."""
    member = await service.create_candidate(
        MemberCreate(
            full_name="Nguyễn Văn Thử",
            gender="male",
            date_of_birth=dt.date(1990, 3, 15),
            source_group="worker",
            registered_on=_day(plan["registered"]),
        )
    )
    try:
        if plan["dossier"] is not None:
            started = _day(plan["registered"] + plan["dossier"])
            member = await service.start_dossier(member, DossierStart(started_on=started))
        if plan["admitted"] is None:
            if plan["deleted"]:
                await service.delete(member)
            return
        admitted = _day(plan["registered"] + plan["admitted"])
        organization = organizations[plan["organization"]]
        member = await service.admit(
            member, Admission(admitted_on=admitted, organization_id=organization)
        )
        last = admitted
        if plan["recognized"] is not None:
            last = min(probation_ends_on(admitted) + dt.timedelta(plan["recognized"]), today())
            member = await service.recognize(member, Recognition(recognized_on=last))
        if plan["moved"] is not None:
            days, to = plan["moved"]
            if organizations[to] != member.organization_id:
                last = min(last + dt.timedelta(days), today())
                member = await service.transfer(
                    member, Transfer(on=last, to_organization_id=organizations[to])
                )
        if plan["left"] is not None:
            days, how = plan["left"]
            last = min(last + dt.timedelta(days), today())
            if how == "removed":
                await service.remove(member, Removal(on=last, reason="expelled"))
            else:
                await service.transfer(member, Transfer(on=last, destination="Đảng bộ tỉnh"))
    except DomainError:
        return  # e.g. recognition refused while the probation runs past today


async def _counts(
    session: AsyncSession,
    metric: Metric,
    scope: TargetScope,
    key: int,
    start: dt.date,
    end: dt.date,
) -> tuple[int, int]:
    """Items of `metric` for (scope, key) dated in [start, end]: (the ledger's, the records')."""
    ledger = await session.scalar(
        select(func.coalesce(func.sum(LedgerMetricDay.delta), 0)).where(
            LedgerMetricDay.metric == metric,
            LedgerMetricDay.scope == scope,
            LedgerMetricDay.scope_key == key,
            LedgerMetricDay.day.between(start, end),
        )
    )
    source = metric_source(metric)
    records = await session.scalar(
        select(func.count()).where(
            source.c.scope == scope, source.c.scope_key == key, source.c.on.between(start, end)
        )
    )
    return int(ledger or 0), int(records or 0)


def _replay(events: list[Any], on: dt.date) -> dict[int, tuple[str, int | None]]:
    """Each member's (status, organization) on `on`: their latest event by then."""
    state: dict[int, tuple[str, int | None]] = {}
    for event in sorted(events, key=lambda e: (e.occurred_on, e.id)):
        if event.occurred_on <= on:
            state[event.member_id] = (event.status_after, event.organization_id)
    return state


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    people=st.lists(plans, min_size=1, max_size=8),
    days=st.lists(st.integers(min_value=-30, max_value=5500), min_size=1, max_size=5),
    period=st.integers(min_value=0, max_value=800),
)
async def test_as_of_member_figures_equal_a_replay_of_the_events(
    session: AsyncSession,
    make_user: UserFactory,
    people: list[dict[str, Any]],
    days: list[int],
    period: int,
) -> None:
    user = await make_user()
    savepoint = await session.begin_nested()
    try:
        committee = await add_organization(session, name="Đảng bộ thử", kind="grassroots_committee")
        organizations = [
            committee.id,
            (await add_organization(session, parent_id=committee.id, kind="affiliated_cell")).id,
            (await add_organization(session)).id,
        ]
        service = MemberService(session, user)
        for plan in people:
            await _live(service, plan, organizations)
        await session.flush()
        events = (await session.execute(select(MemberEvent))).scalars().all()
        started = await session.execute(select(Member.id, Member.dossier_started_on))
        dossier_of: dict[int, dt.date] = {m: d for m, d in started if d is not None}
        children = {organizations[1]: committee.id}
        scopes = [(TargetScope.COMMITTEE, 0)] + [
            (TargetScope.ORGANIZATION, organization) for organization in organizations
        ]
        # Random days, and the days of the steps themselves and the eves of them (where a
        # figure that counted a step a day early or late would show).
        stepped = {e.occurred_on + dt.timedelta(days=shift) for e in events for shift in (-1, 0)}
        # ... and the days a dossier becomes stale, and their eves.
        stepped |= {
            add_months(started, DOSSIER_STALE_MONTHS) + dt.timedelta(days=shift)
            for started in dossier_of.values()
            for shift in (0, 1)
        }
        for on in sorted({START + dt.timedelta(days=offset) for offset in days} | stepped):
            replayed = _replay(list(events), on)
            by_status = Counter(status for status, _ in replayed.values())

            state = member_states(on)
            sql: dict[str, int] = dict(
                (
                    await session.execute(
                        select(state.c.status, func.count()).group_by(state.c.status)
                    )
                ).all()
            )
            assert sql == dict(by_status), on

            counts = await organization_counts(session, organizations, on)
            for organization in organizations:
                inside = [
                    status
                    for status, where in replayed.values()
                    if where == organization or children.get(where or 0) == organization
                ]
                got = counts[organization]
                assert (got.official, got.probationary) == (
                    inside.count(MemberStatus.OFFICIAL),
                    inside.count(MemberStatus.PROBATIONARY),
                ), (on, organization)

            # The overview reads the as-of ledger: its people and period counts are held to the
            # replay too, over a period ending on the day.
            since = on - dt.timedelta(days=period)
            figures, candidates = await OverviewReport(session, on, since, on).people(0)
            assert (figures.official, figures.probationary) == (
                by_status[MemberStatus.OFFICIAL],
                by_status[MemberStatus.PROBATIONARY],
            ), on
            dossiers = [
                dossier_of[member]
                for member, (status, _) in replayed.items()
                if status == MemberStatus.CANDIDATE
                and member in dossier_of
                and dossier_of[member] <= on
            ]
            stale = [d for d in dossiers if add_months(d, DOSSIER_STALE_MONTHS) < on]
            assert (candidates.dossiers_in_progress, candidates.dossiers_stale) == (
                len(dossiers),
                len(stale),
            ), on
            in_period = Counter(e.kind for e in events if since <= e.occurred_on <= on)
            assert (figures.admitted_in_period, figures.recognized_in_period) == (
                in_period[EventKind.ADMITTED],
                in_period[EventKind.RECOGNIZED],
            ), (since, on)
            for metric in (Metric.MEMBERS_ADMITTED, Metric.MEMBERS_RECOGNIZED):
                for scope, key in scopes:
                    ledger, records = await _counts(session, metric, scope, key, since, on)
                    assert ledger == records, (metric, scope, key, since, on)

        # What the triggers kept equals the ledger recomputed from the records.
        assert [check.differences for check in await rebuild(session, apply=False)] == [0] * 8
    finally:
        await savepoint.rollback()
