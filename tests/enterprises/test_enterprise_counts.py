"""The read-only figures of an enterprise: its active party organization and the members it
employs, counted from dated events, for a whole page in a bounded number of statements."""

import datetime as dt

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.dates import today
from app.models import Enterprise, EventKind, Member, MemberEvent, MemberStatus
from tests.enterprises.test_enterprises_api import ENTERPRISES
from tests.fixtures.db import StatementCounter
from tests.fixtures.registry import (
    EnterpriseFactory,
    MemberFactory,
    OrganizationFactory,
    ZoneFactory,
)

OLD = dt.date(2015, 1, 1)


async def test_members_employed_are_counted_by_their_status_on_today(
    viewer: httpx.AsyncClient,
    session: AsyncSession,
    make_enterprise: EnterpriseFactory,
    make_organization: OrganizationFactory,
    make_member: MemberFactory,
) -> None:
    enterprise = await make_enterprise()
    cell = await make_organization(enterprise_id=enterprise.id)
    for _ in range(2):
        await make_member(
            enterprise_id=enterprise.id,
            organization_id=cell.id,
            admitted_on=dt.date(2020, 3, 1),
            recognized_on=dt.date(2021, 3, 1),
        )
    await make_member(enterprise_id=enterprise.id, organization_id=cell.id, admitted_on=today())
    for _ in range(3):
        await make_member(enterprise_id=enterprise.id)
    # Registered with a date still to come: not yet employed as a candidate today.
    await make_member(enterprise_id=enterprise.id, registered_on=today() + dt.timedelta(days=1))
    # A status column out of step with its events (still a candidate): the events decide.
    drifted = await make_member(enterprise_id=enterprise.id)
    drifted.status, drifted.organization_id = MemberStatus.OFFICIAL, cell.id
    drifted.admitted_on, drifted.recognized_on = dt.date(2020, 1, 1), dt.date(2021, 1, 1)
    await session.commit()
    await make_member()  # employed elsewhere

    read = (await viewer.get(f"{ENTERPRISES}/{enterprise.id}")).json()
    figures = (read["official_members"], read["probationary_members"], read["candidates"])
    assert figures == (2, 1, 4)
    [listed] = (await viewer.get(ENTERPRISES, params={"q": enterprise.tax_code})).json()["items"]
    assert listed == read


async def test_member_who_left_is_no_longer_counted(
    viewer: httpx.AsyncClient,
    session: AsyncSession,
    make_enterprise: EnterpriseFactory,
    make_organization: OrganizationFactory,
    make_member: MemberFactory,
) -> None:
    enterprise = await make_enterprise()
    cell = await make_organization(enterprise_id=enterprise.id)
    member = await make_member(
        enterprise_id=enterprise.id, organization_id=cell.id, admitted_on=dt.date(2022, 5, 1)
    )
    url = f"{ENTERPRISES}/{enterprise.id}"
    assert (await viewer.get(url)).json()["probationary_members"] == 1
    session.add(
        MemberEvent(
            member_id=member.id,
            kind=EventKind.REMOVED,
            occurred_on=dt.date(2023, 1, 1),
            status_after=MemberStatus.LEFT,
            reason="struck_off",
        )
    )
    await session.commit()
    read = (await viewer.get(url)).json()
    assert (read["official_members"], read["probationary_members"], read["candidates"]) == (0, 0, 0)


async def test_party_organization_prefers_the_active_grassroots_one(
    viewer: httpx.AsyncClient,
    make_zone: ZoneFactory,
    make_enterprise: EnterpriseFactory,
    make_organization: OrganizationFactory,
) -> None:
    zone = await make_zone()
    host = await make_enterprise(zone_id=zone.id, name="A host")
    branch = await make_enterprise(zone_id=zone.id, name="B branch")
    closed = await make_enterprise(zone_id=zone.id, name="C closed")
    await make_enterprise(zone_id=zone.id, name="D none")
    await make_organization(
        enterprise_id=host.id, established_on=OLD, dissolved_on=dt.date(2016, 1, 1)
    )
    committee = await make_organization(
        enterprise_id=host.id, kind="grassroots_committee", established_on=dt.date(2016, 1, 2)
    )
    await make_organization(enterprise_id=host.id, kind="affiliated_cell", parent_id=committee.id)
    branch_cell = await make_organization(
        enterprise_id=branch.id, kind="affiliated_cell", parent_id=committee.id
    )
    await make_organization(
        enterprise_id=closed.id, established_on=OLD, dissolved_on=dt.date(2020, 1, 1)
    )

    items = (await viewer.get(ENTERPRISES, params={"zone_id": zone.id})).json()["items"]
    assert {e["name"]: e["party_organization_id"] for e in items} == {
        "A host": committee.id,
        "B branch": branch_cell.id,
        "C closed": None,
        "D none": None,
    }

    async def names(has_organization: str) -> list[str]:
        params: dict[str, str | int] = {"zone_id": zone.id, "has_organization": has_organization}
        return [e["name"] for e in (await viewer.get(ENTERPRISES, params=params)).json()["items"]]

    assert await names("true") == ["A host", "B branch"]
    assert await names("false") == ["C closed", "D none"]


async def test_enterprise_list_issues_a_bounded_number_of_statements(
    viewer: httpx.AsyncClient,
    session: AsyncSession,
    make_zone: ZoneFactory,
    make_organization: OrganizationFactory,
    statements: StatementCounter,
) -> None:
    zone = await make_zone()
    enterprises = [
        Enterprise(
            tax_code=f"02{n:08d}",
            name=f"Công ty {n:02d}",
            zone_id=zone.id,
            ownership="domestic_private",
            status="operating",
            workers_count=n,
            registered_on=OLD,
        )
        for n in range(60)
    ]
    session.add_all(enterprises)
    await session.flush()
    cell = await make_organization(enterprise_id=enterprises[0].id)
    members = [
        Member(
            full_name=f"Trần Thị {n}",
            gender="female",
            date_of_birth=dt.date(1990, 1, 1),
            source_group="worker",
            status=MemberStatus.OFFICIAL if n % 2 else MemberStatus.CANDIDATE,
            registered_on=OLD,
            enterprise_id=enterprise.id,
            organization_id=cell.id if n % 2 else None,
            admitted_on=dt.date(2016, 1, 1) if n % 2 else None,
            recognized_on=dt.date(2017, 1, 1) if n % 2 else None,
        )
        for enterprise in enterprises
        for n in range(2)
    ]
    session.add_all(members)
    await session.flush()
    session.add_all(
        MemberEvent(
            member_id=member.id, kind=kind, occurred_on=on, status_after=status, organization_id=org
        )
        for member in members
        for kind, on, status, org in [
            (EventKind.REGISTERED, OLD, MemberStatus.CANDIDATE, None),
            *(
                [(EventKind.RECOGNIZED, dt.date(2017, 1, 1), MemberStatus.OFFICIAL, cell.id)]
                if member.status == MemberStatus.OFFICIAL
                else []
            ),
        ]
    )
    await session.commit()

    counts = {}
    for limit in (5, 50):
        statements.reset()
        response = await viewer.get(ENTERPRISES, params={"limit": limit})
        assert response.status_code == 200, response.text
        items = response.json()["items"]
        assert len(items) == limit
        assert all((e["official_members"], e["candidates"]) == (1, 1) for e in items)
        counts[limit] = statements.count
    assert counts[5] == counts[50], statements.statements
    # The user behind the token, the page, the counts for the page.
    queries = [s for s in statements.statements if s.startswith("SELECT")]
    assert len(queries) == 3, queries
