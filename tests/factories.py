"""The one place tests build records: factories that insert through the ORM and flush (the
fixtures in tests/fixtures/registry.py commit them; worlds in tests/<domain>/world.py compose
them into the situations a domain's tests share). Each record gets unique codes and names from
one counter, so worlds built in the same test never collide."""

import datetime as dt
from itertools import count
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import (
    Campaign,
    Enterprise,
    EnterpriseContact,
    EnterpriseEvent,
    EnterpriseEventKind,
    EventKind,
    IndustrialZone,
    Member,
    MemberEvent,
    MemberStatus,
    Organization,
    OrganizationKind,
    Ownership,
    User,
    campaign_zones,
)

_serial = count(1)


async def _added(session: AsyncSession, row: Any) -> Any:
    session.add(row)
    await session.flush()
    return row


async def add_zone(session: AsyncSession, **fields: Any) -> IndustrialZone:
    """An operating zone established in 2000."""
    n = next(_serial)
    values: dict[str, Any] = {
        "code": f"KCN-{n}",
        "name": f"KCN Số {n}",
        "status": "operating",
        "established_on": dt.date(2000, 1, 1),
    }
    zone: IndustrialZone = await _added(session, IndustrialZone(**(values | fields)))
    return zone


async def add_enterprise(
    session: AsyncSession, zone: IndustrialZone | None = None, **fields: Any
) -> Enterprise:
    """An operating domestic private enterprise with 100 workers, registered in 2000, unless
    told otherwise (a closed one needs `closed_on`); fdi ones get investor country KR. In `zone`
    (or `zone_id`), else in a new zone."""
    n = next(_serial)
    if "zone_id" not in fields:
        fields["zone_id"] = (zone or await add_zone(session)).id
    ownership = fields.get("ownership", Ownership.DOMESTIC_PRIVATE)
    values: dict[str, Any] = {
        "tax_code": f"{n:010d}",
        "name": f"Công ty {n}",
        "ownership": ownership,
        "investor_country": "KR" if ownership == Ownership.FDI else None,
        "workers_count": 100,
        "status": "operating",
        "registered_on": dt.date(2000, 1, 1),
    }
    enterprise: Enterprise = await _added(session, Enterprise(**(values | fields)))
    # Its history, as EnterpriseService writes it: registered (with its workers), closed.
    steps: list[tuple[EnterpriseEventKind, dt.date, int | None]] = [
        (EnterpriseEventKind.REGISTERED, enterprise.registered_on, enterprise.workers_count)
    ]
    if enterprise.closed_on is not None:
        steps.append((EnterpriseEventKind.CLOSED, enterprise.closed_on, None))
    for kind, day, workers in steps:
        session.add(
            EnterpriseEvent(
                enterprise_id=enterprise.id, kind=kind, occurred_on=day, workers_count=workers
            )
        )
    await session.flush()
    return enterprise


async def add_organization(session: AsyncSession, **fields: Any) -> Organization:
    """A grassroots cell established in 2010 unless told otherwise."""
    n = next(_serial)
    values: dict[str, Any] = {
        "name": f"Chi bộ {n}",
        "kind": OrganizationKind.GRASSROOTS_CELL,
        "established_on": dt.date(2010, 1, 1),
    }
    organization: Organization = await _added(session, Organization(**(values | fields)))
    return organization


async def add_member(
    session: AsyncSession,
    *,
    registered_on: dt.date = dt.date(2018, 1, 10),
    admitted_on: dt.date | None = None,
    recognized_on: dt.date | None = None,
    organization_id: int | None = None,
    **fields: Any,
) -> Member:
    """Flush (not commit) a member whose status and events agree: registered as a candidate,
    then admitted (needs organization_id) and recognized when those dates are given."""
    dates = [d for d in (registered_on, admitted_on, recognized_on) if d is not None]
    assert dates == sorted(dates), "registered_on <= admitted_on <= recognized_on"
    n = next(_serial)
    steps: list[tuple[EventKind, dt.date, MemberStatus, int | None]] = [
        (EventKind.REGISTERED, registered_on, MemberStatus.CANDIDATE, None)
    ]
    if admitted_on is not None:
        assert organization_id is not None, "an admitted member needs organization_id"
        steps.append((EventKind.ADMITTED, admitted_on, MemberStatus.PROBATIONARY, organization_id))
    if recognized_on is not None:
        steps.append((EventKind.RECOGNIZED, recognized_on, MemberStatus.OFFICIAL, organization_id))
    values: dict[str, Any] = {
        "full_name": f"Nguyễn Văn {n}",
        "gender": "male",
        "date_of_birth": dt.date(1995, 4, 12),
        "source_group": "worker",
        "status": steps[-1][2],
        "registered_on": registered_on,
        "admitted_on": admitted_on,
        "recognized_on": recognized_on,
        "organization_id": organization_id,
    }
    member: Member = await _added(session, Member(**(values | fields)))
    session.add_all(
        MemberEvent(
            member_id=member.id,
            kind=kind,
            occurred_on=on,
            status_after=status,
            organization_id=organization,
        )
        for kind, on, status, organization in steps
    )
    await session.flush()
    return member


async def add_contact(
    session: AsyncSession, enterprise: Enterprise, role: str, name: str
) -> EnterpriseContact:
    contact: EnterpriseContact = await _added(
        session, EnterpriseContact(enterprise_id=enterprise.id, full_name=name, role=role)
    )
    return contact


async def add_campaign(
    session: AsyncSession,
    leader: User,
    zones: list[IndustrialZone],
    *,
    name: str,
    starts_on: dt.date = dt.date(2024, 1, 1),
    ends_on: dt.date = dt.date(2025, 12, 31),
) -> Campaign:
    """An active campaign led by `leader` over `zones`."""
    campaign: Campaign = await _added(
        session,
        Campaign(
            name=name, leader_id=leader.id, starts_on=starts_on, ends_on=ends_on, status="active"
        ),
    )
    await session.execute(
        insert(campaign_zones), [{"campaign_id": campaign.id, "zone_id": z.id} for z in zones]
    )
    return campaign
