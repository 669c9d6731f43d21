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

from app.core.dates import today
from app.core.errors import DomainError
from app.members.schemas import Admission, MemberCreate, Recognition, Removal, Transfer
from app.members.service import MemberService
from app.models import MemberEvent, MemberStatus
from app.party.asof import member_states, organization_counts
from app.party.charter import probation_ends_on
from app.reports.overview import OverviewReport
from tests.factories import add_organization
from tests.fixtures.auth import UserFactory

START = dt.date(2012, 1, 1)

step_days = st.integers(min_value=1, max_value=900)
plans = st.fixed_dictionaries(
    {
        "registered": st.integers(min_value=0, max_value=4000),
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
        if plan["admitted"] is None:
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
)
async def test_as_of_member_figures_equal_a_replay_of_the_events(
    session: AsyncSession,
    make_user: UserFactory,
    people: list[dict[str, Any]],
    days: list[int],
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
        children = {organizations[1]: committee.id}
        # Random days, and the days of the steps themselves and the eves of them (where a
        # figure that counted a step a day early or late would show).
        stepped = {e.occurred_on + dt.timedelta(days=shift) for e in events for shift in (-1, 0)}
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

            figures, _candidates = await OverviewReport(session, on, on, on).people(0)
            assert (figures.official, figures.probationary) == (
                by_status[MemberStatus.OFFICIAL],
                by_status[MemberStatus.PROBATIONARY],
            ), on
    finally:
        await savepoint.rollback()
