"""Demo party members, candidates and awareness classes, written through the member services.

On the reference day: 1,461 members (920 on the books before the term, 24 of whom left since;
78 founders of the term's new cells; 493 admitted in the term, 79 of them in 2024, 6 struck off
during probation), 134 dossiers in progress (9 over 12 months old), 2 classes in 2024 where 197
candidates completed the course.
"""

import datetime as dt

from app.demo.context import REFERENCE_DAY, TERM_START, YEAR_START, DemoContext, day_between
from app.demo.names import person
from app.members.schemas import (
    Admission,
    MemberCreate,
    MemberTransferIn,
    Recognition,
    Removal,
    Transfer,
)
from app.members.service import MemberService
from app.models import Member, MemberStatus, Organization, SourceGroup
from app.party.charter import probation_ends_on
from app.training.attendees.schemas import AttendeeCreate
from app.training.attendees.service import AttendeeService
from app.training.schemas import TrainingClassCreate
from app.training.service import TrainingClassService

ADMITTED_BEFORE_2024 = 414
ADMITTED_IN_2024 = 79
IN_PROGRESS = 134
STALE = 9
REGISTERED_ONLY = 60
SOURCES = (
    [SourceGroup.WORKER] * 9 + [SourceGroup.UNION_COMMITTEE] * 5 + [SourceGroup.YOUTH_COMMITTEE] * 3
    + [SourceGroup.MANAGER] * 2 + [SourceGroup.OTHER]
)  # fmt: skip


def _person_fields(ctx: DemoContext, organization: Organization | None, age_on: dt.date) -> dict:  # type: ignore[type-arg]
    name, gender = person(ctx.rng)
    born = age_on - dt.timedelta(days=ctx.rng.randint(20 * 365, 38 * 365))
    enterprise_id = organization.enterprise_id if organization else None
    if enterprise_id is None:
        enterprise_id = ctx.rng.choice(ctx.enterprises).id
    return {
        "full_name": name,
        "gender": gender,
        "date_of_birth": born,
        "enterprise_id": enterprise_id,
        "source_group": ctx.rng.choice(SOURCES),
    }


async def _founders(
    ctx: DemoContext, organization: Organization, count: int, origin: str
) -> list[Member]:
    """Official members whose activity is on the books from the organization's founding."""
    service = MemberService(ctx.session)
    members = []
    for _ in range(count):
        arrived = organization.established_on
        admitted = arrived - dt.timedelta(days=ctx.rng.randint(420, 4000))
        members.append(
            await service.transfer_in(
                MemberTransferIn(
                    **_person_fields(ctx, organization, admitted),
                    status=MemberStatus.OFFICIAL,
                    admitted_on=admitted,
                    recognized_on=probation_ends_on(admitted)
                    + dt.timedelta(ctx.rng.randint(0, 50)),
                    organization_id=organization.id,
                    transferred_on=arrived,
                    origin=origin,
                )
            )
        )
    return members


async def seed_party_books(ctx: DemoContext) -> None:
    """The members on the books before the term, the founders of the term's new cells, and
    those who left during the term."""
    earlier = [p for p in ctx.organizations if p.organization.established_on < TERM_START]
    counts = [16 if p.weight == 4 else 7 for p in earlier]
    for index in range(len(counts) - 1, -1, -1):  # 920 in all: trim the smallest cells
        if sum(counts) <= 920:
            break
        if counts[index] == 7:
            counts[index] = 6
    books: list[Member] = []
    for plan, count in zip(earlier, counts, strict=True):
        books += await _founders(
            ctx, plan.organization, count, "Sổ đảng viên trước nhiệm kỳ 2020–2025"
        )
    for plan in ctx.organizations:
        if plan.organization.established_on >= TERM_START:
            await _founders(ctx, plan.organization, 3, "Đảng bộ phường nơi cư trú")
    service = MemberService(ctx.session)
    leaving = ctx.rng.sample(books, 24)
    for index, member in enumerate(leaving):
        on = day_between(ctx.rng, dt.date(2020, 9, 1), dt.date(2024, 6, 15))
        if index < 10:
            await service.transfer(
                member, Transfer(on=on, destination="Đảng bộ doanh nghiệp ngoài khu công nghiệp")
            )
        else:
            reason = ("deceased",) * 8 + ("struck_off",) * 4 + ("expelled",) * 2
            await service.remove(member, Removal(on=on, reason=reason[index - 10]))


def _admission_dates(ctx: DemoContext) -> list[dt.date]:
    dates = [
        day_between(ctx.rng, TERM_START, dt.date(2023, 12, 31)) for _ in range(ADMITTED_BEFORE_2024)
    ]
    dates += [day_between(ctx.rng, YEAR_START, REFERENCE_DAY) for _ in range(ADMITTED_IN_2024)]
    return sorted(dates)


async def _candidate(
    ctx: DemoContext, organization: Organization | None, dossier: dt.date | None, around: dt.date
) -> Member:
    registered = (dossier or around) - dt.timedelta(days=ctx.rng.randint(30, 150))
    return await MemberService(ctx.session).create_candidate(
        MemberCreate(
            **_person_fields(ctx, organization, around),
            registered_on=registered,
            dossier_started_on=dossier,
        )
    )


async def seed_pipeline(ctx: DemoContext) -> list[tuple[Member, Organization, dt.date]]:
    """Candidates: the term's future admissions (returned with their organization and date), the
    dossiers in progress on the reference day, and candidates not yet in a dossier."""
    planned = []
    for admitted in _admission_dates(ctx):
        options = [p for p in ctx.organizations if p.organization.established_on <= admitted]
        plan = ctx.rng.choices(options, weights=[p.weight for p in options])[0]
        dossier = admitted - dt.timedelta(days=ctx.rng.randint(60, 200))
        member = await _candidate(ctx, plan.organization, dossier, admitted)
        planned.append((member, plan.organization, admitted))
    for index in range(IN_PROGRESS):
        start, end = (
            (dt.date(2023, 3, 1), dt.date(2023, 6, 25))
            if index < STALE
            else (dt.date(2023, 7, 5), dt.date(2024, 6, 28))
        )
        plan = ctx.rng.choice(ctx.organizations)
        dossier = day_between(ctx.rng, start, end)
        ctx.candidates.append(await _candidate(ctx, plan.organization, dossier, dossier))
    for _ in range(REGISTERED_ONLY):
        around = day_between(ctx.rng, dt.date(2023, 9, 1), dt.date(2024, 4, 30))
        ctx.candidates.append(await _candidate(ctx, None, None, around))
    return planned


async def seed_classes(
    ctx: DemoContext, planned: list[tuple[Member, Organization, dt.date]]
) -> None:
    """Two awareness classes in 2024: 100 and 104 attendees, 96 and 101 completing."""
    classes = TrainingClassService(ctx.session)
    attendees = AttendeeService(ctx.session)
    spring, summer = [
        await classes.create(
            TrainingClassCreate(
                title=f"Lớp bồi dưỡng nhận thức về Đảng khóa {number}/2024",
                starts_on=starts_on,
                ends_on=starts_on + dt.timedelta(days=4),
                organizer="Ban Tuyên giáo Đảng ủy Khối",
                location=location,
            )
        )
        for number, starts_on, location in (
            ("I", dt.date(2024, 3, 4), "Trung tâm chính trị, KCN Thăng Long"),
            ("II", dt.date(2024, 5, 13), "Hội trường KCN Quang Minh"),
        )
    ]
    pool = list(ctx.candidates)
    ctx.rng.shuffle(pool)
    summer_group, rest = pool[:104], pool[104:]
    admitted_later = [m for m, _, day in planned if day > spring.ends_on][: 100 - len(rest)]
    spring_group = rest + admitted_later
    for training_class, group, completing in (
        (spring, spring_group, 96),
        (summer, summer_group, 101),
    ):
        for index, member in enumerate(group):
            await attendees.add(
                training_class, AttendeeCreate(member_id=member.id, completed=index < completing)
            )


async def seed_admissions(
    ctx: DemoContext, planned: list[tuple[Member, Organization, dt.date]]
) -> None:
    """Admit the term's candidates, recognize those whose probation ended by the reference day,
    and strike off six during probation."""
    service = MemberService(ctx.session)
    struck_off = set(
        ctx.rng.sample([i for i, (_, _, day) in enumerate(planned) if day < dt.date(2023, 6, 1)], 6)
    )
    for index, (member, organization, admitted) in enumerate(planned):
        await service.admit(
            member,
            Admission(
                admitted_on=admitted,
                organization_id=organization.id,
                decision_no=f"{ctx.next_serial()}-QĐ/ĐU",
            ),
        )
        if index in struck_off:
            on = admitted + dt.timedelta(days=ctx.rng.randint(90, 300))
            await service.remove(member, Removal(on=on, reason="struck_off"))
            continue
        recognized = probation_ends_on(admitted) + dt.timedelta(days=ctx.rng.randint(0, 45))
        if recognized <= REFERENCE_DAY:
            await service.recognize(member, Recognition(recognized_on=recognized))
