"""The registry benchmark's dataset, written through the same services the API uses: 9 zones,
10,000 enterprises, about 1,000 organizations (committees with affiliated cells, and cells),
20,000 members with their dated events (registered, dossier started, admitted, recognized) and
awareness classes with their attendees. Every rule the services check is checked here too."""

import datetime as dt
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.dates import add_months, today
from app.demo.names import domestic_company, foreign_company, person
from app.enterprises.schemas import EnterpriseCreate
from app.enterprises.service import EnterpriseService
from app.members.schemas import Admission, DossierStart, MemberCreate, Recognition
from app.members.service import MemberService
from app.models import MemberEvent, Organization, OrganizationKind, Ownership, SourceGroup
from app.organizations.schemas import Dissolution, OrganizationCreate
from app.organizations.service import OrganizationService
from app.training.attendees.schemas import AttendeeCreate
from app.training.attendees.service import AttendeeService
from app.training.schemas import TrainingClassCreate
from app.training.service import TrainingClassService
from app.zones.schemas import ZoneCreate
from app.zones.service import ZoneService

ZONES = ("Nội Bài", "Đài Tư", "Thăng Long", "Sài Đồng B", "Nam Thăng Long", "Quang Minh",
         "Thạch Thất – Quốc Oai", "Phú Nghĩa", "Bắc Thường Tín")  # fmt: skip
COUNTRIES = ("JP",) * 4 + ("KR",) * 4 + ("CN", "CN", "TW", "SG", "US", "DE", "TH", "MY", "FR")
SOURCES = tuple(SourceGroup)
COMMIT_EVERY = 1_000
LAST_OFFICIAL_ADMISSION = dt.date(2025, 9, 1)  # recognized 12 months later, before today


@dataclass(frozen=True)
class Scale:
    enterprises: int = 10_000
    members: int = 20_000
    committees: int = 50
    cells_per_committee: int = 4
    grassroots_cells: int = 730
    dissolved_cells: int = 20
    party_share: float = 0.6  # of the members; the others are candidates
    probationary_share: float = 0.1  # of the party members
    dossier_share: float = 0.4  # of the candidates
    classes: int = 30
    attendees_per_class: int = 50


@dataclass
class Loaded:
    zone_ids: list[int] = field(default_factory=list)
    enterprise_ids: list[int] = field(default_factory=list)
    committee_ids: list[int] = field(default_factory=list)
    homes: list[Organization] = field(default_factory=list)  # where members are admitted
    organizations: int = 0
    party_members: int = 0
    candidates: int = 0
    candidate_ids: list[int] = field(default_factory=list)
    attendees: int = 0
    events: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


class RegistryLoader:
    def __init__(self, session: AsyncSession, scale: Scale, seed: int = 20261127) -> None:
        self.session = session
        # Held so that the services' reference checks find them in the identity map.
        self.held: list[object] = []
        self.scale = scale
        self.rng = random.Random(seed)
        self.loaded = Loaded()
        self.members = MemberService(session)
        self.writes = 0

    async def _tick(self) -> None:
        """Commit now and then: one session throughout, bounded transactions."""
        self.writes += 1
        if self.writes % COMMIT_EVERY == 0:
            await self.session.commit()

    async def load(self) -> Loaded:
        steps = (
            self.zones,
            self.enterprises,
            self.organizations,
            self.party_members,
            self.candidates,
            self.classes,
        )
        for step in steps:
            started = time.perf_counter()
            await step()
            await self.session.commit()
            self.loaded.seconds[step.__name__] = time.perf_counter() - started
        count = select(func.count()).select_from(MemberEvent)
        self.loaded.events = await self.session.scalar(count) or 0
        return self.loaded

    async def zones(self) -> None:
        service = ZoneService(self.session)
        for n, name in enumerate(ZONES, start=1):
            zone = await service.create(
                ZoneCreate(
                    code=f"KCN-B{n}",
                    name=f"KCN {name}",
                    district="Hà Nội",
                    established_on=dt.date(1994 + n, 6, 1),
                    area_ha=Decimal(100 + 20 * n),
                )
            )
            self.loaded.zone_ids.append(zone.id)
            self.held.append(zone)

    async def enterprises(self) -> None:
        service, rng = EnterpriseService(self.session), self.rng
        for n in range(1, self.scale.enterprises + 1):
            draw = rng.random()
            ownership = Ownership.DOMESTIC_PRIVATE
            if draw < 0.4:
                ownership = Ownership.FDI
            elif draw > 0.97:
                ownership = Ownership.STATE
            country = rng.choice(COUNTRIES) if ownership == Ownership.FDI else None
            name, foreign = (
                foreign_company(rng, country, n)
                if country
                else (domestic_company(rng, n, ownership == Ownership.STATE), None)
            )
            enterprise = await service.create(
                EnterpriseCreate(
                    tax_code=f"01{n:08d}",
                    name=name,
                    foreign_name=foreign,
                    zone_id=rng.choice(self.loaded.zone_ids),
                    ownership=ownership,
                    investor_country=country,
                    workers_count=rng.randint(20, 3000),
                    has_trade_union=rng.random() < 0.7,
                )
            )
            self.loaded.enterprise_ids.append(enterprise.id)
            self.held.append(enterprise)
            await self._tick()

    async def _organization(self, **fields: object) -> Organization:
        organization = await OrganizationService(self.session).create(
            OrganizationCreate.model_validate(fields)
        )
        self.loaded.organizations += 1
        await self._tick()
        return organization

    async def organizations(self) -> None:
        """Committees with their affiliated cells, grassroots cells, and a few cells dissolved
        long ago (outside enterprises); members go into the affiliated and grassroots cells."""
        rng, scale = self.rng, self.scale
        hosts = iter(
            rng.sample(self.loaded.enterprise_ids, scale.committees + scale.grassroots_cells)
        )
        for n in range(1, scale.committees + 1):
            founded = _day(rng, dt.date(2000, 1, 1), dt.date(2012, 12, 31))
            enterprise_id = next(hosts)
            committee = await self._organization(
                name=f"Đảng bộ Công ty số {n}",
                kind=OrganizationKind.GRASSROOTS_COMMITTEE,
                enterprise_id=enterprise_id,
                established_on=founded,
                decision_no=f"{n}-QĐ/ĐU",
            )
            self.loaded.committee_ids.append(committee.id)
            for k in range(1, scale.cells_per_committee + 1):
                cell = await self._organization(
                    name=f"Chi bộ Phân xưởng {k} – Đảng bộ số {n}",
                    kind=OrganizationKind.AFFILIATED_CELL,
                    parent_id=committee.id,
                    enterprise_id=enterprise_id,
                    established_on=founded + dt.timedelta(days=rng.randint(10, 400)),
                )
                self.loaded.homes.append(cell)
        for n in range(1, scale.grassroots_cells + 1):
            cell = await self._organization(
                name=f"Chi bộ Công ty số {scale.committees + n}",
                kind=OrganizationKind.GRASSROOTS_CELL,
                enterprise_id=next(hosts),
                established_on=_day(rng, dt.date(2000, 1, 1), dt.date(2024, 6, 30)),
                decision_no=f"{scale.committees + n}-QĐ/ĐU",
            )
            self.loaded.homes.append(cell)
        for n in range(1, scale.dissolved_cells + 1):
            cell = await self._organization(
                name=f"Chi bộ đã giải thể số {n}",
                kind=OrganizationKind.GRASSROOTS_CELL,
                established_on=_day(rng, dt.date(1998, 1, 1), dt.date(2005, 12, 31)),
            )
            await OrganizationService(self.session).dissolve(
                cell, Dissolution(dissolved_on=dt.date(2008, 1, 1), reason="Doanh nghiệp giải thể")
            )

    def _person(self, enterprise_id: int | None, age_on: dt.date) -> dict[str, object]:
        name, gender = person(self.rng)
        return {
            "full_name": name,
            "gender": gender,
            "date_of_birth": age_on - dt.timedelta(days=self.rng.randint(20 * 366, 45 * 365)),
            "enterprise_id": enterprise_id,
            "source_group": self.rng.choice(SOURCES),
        }

    async def party_members(self) -> None:
        """Candidates registered, dossier started, admitted into a cell, and (most) recognized."""
        rng, count = self.rng, round(self.scale.members * self.scale.party_share)
        probationary = round(count * self.scale.probationary_share)
        for index in range(count):
            home = rng.choice(self.loaded.homes)
            if index < probationary:
                start = max(home.established_on, add_months(today(), -11))
                admitted = _day(rng, start, today() - dt.timedelta(days=1))
            else:
                start = max(home.established_on, dt.date(2005, 1, 1))
                admitted = _day(rng, start, LAST_OFFICIAL_ADMISSION)
            dossier = admitted - dt.timedelta(days=rng.randint(60, 200))
            member = await self.members.create_candidate(
                MemberCreate.model_validate(
                    self._person(home.enterprise_id, admitted)
                    | {"registered_on": dossier - dt.timedelta(days=rng.randint(30, 400))}
                )
            )
            await self.members.start_dossier(member, DossierStart(started_on=dossier))
            await self.members.admit(
                member,
                Admission(admitted_on=admitted, organization_id=home.id, decision_no="BENCH"),
            )
            if index >= probationary:
                recognized = add_months(admitted, 12) + dt.timedelta(days=rng.randint(0, 60))
                await self.members.recognize(
                    member, Recognition(recognized_on=min(recognized, today()))
                )
            self.loaded.party_members += 1
            await self._tick()

    async def candidates(self) -> None:
        """Candidates employed anywhere, some with a dossier started."""
        rng, scale = self.rng, self.scale
        count = scale.members - round(scale.members * scale.party_share)
        for _ in range(count):
            registered = _day(rng, dt.date(2021, 1, 1), today() - dt.timedelta(days=30))
            dossier = None
            if rng.random() < scale.dossier_share:
                dossier = _day(rng, registered + dt.timedelta(days=10), today())
            member = await self.members.create_candidate(
                MemberCreate.model_validate(
                    self._person(rng.choice(self.loaded.enterprise_ids), registered)
                    | {"registered_on": registered, "dossier_started_on": dossier}
                )
            )
            self.loaded.candidate_ids.append(member.id)
            self.loaded.candidates += 1
            await self._tick()

    async def classes(self) -> None:
        classes, attendees = TrainingClassService(self.session), AttendeeService(self.session)
        pool = list(self.loaded.candidate_ids)
        self.rng.shuffle(pool)
        size = self.scale.attendees_per_class
        for n in range(self.scale.classes):
            starts = _day(self.rng, dt.date(2021, 3, 1), dt.date(2026, 10, 1))
            training_class = await classes.create(
                TrainingClassCreate(
                    title=f"Lớp bồi dưỡng nhận thức về Đảng khóa {n + 1}",
                    starts_on=starts,
                    ends_on=starts + dt.timedelta(days=4),
                    organizer="Ban Tuyên giáo",
                )
            )
            for member_id in pool[n * size : (n + 1) * size]:
                await attendees.add(
                    training_class,
                    AttendeeCreate(member_id=member_id, completed=self.rng.random() < 0.95),
                )
                self.loaded.attendees += 1
                await self._tick()
