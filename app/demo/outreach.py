"""Demo working groups (their leaders, campaigns, contacts and visits) and the targets."""

import datetime as dt
import secrets

from sqlalchemy import select

from app.campaigns.activities.schemas import ActivityCreate
from app.campaigns.activities.service import ActivityService
from app.campaigns.results.pipeline import LANGUAGE_BY_COUNTRY
from app.campaigns.schemas import CampaignCreate, CampaignMemberIn
from app.campaigns.service import CampaignService
from app.demo.context import (
    REFERENCE_DAY,
    TERM_DUE,
    TERM_END,
    TERM_START,
    YEAR_START,
    DemoContext,
    day_between,
)
from app.demo.names import person
from app.enterprises.contacts.schemas import ContactCreate
from app.enterprises.contacts.service import ContactService
from app.models import (
    Enterprise,
    EnterpriseContact,
    Metric,
    Organization,
    OrganizationKind,
    Ownership,
    Role,
    TargetScope,
)
from app.targets.schemas import TargetCreate
from app.targets.service import TargetService
from app.users.schemas import UserCreate
from app.users.service import UserService

RESOLUTION_09 = "Ban Chỉ đạo thực hiện Nghị quyết 09-NQ/TU ngày 27/02/2012 của Thành ủy Hà Nội"
CONGRESS = "Nghị quyết Đại hội Đảng bộ nhiệm kỳ 2020–2025"
LEADERS = ("Nguyễn Văn Hòa", "Trần Thị Thu Hằng", "Lê Quang Minh")


async def seed_campaigns(ctx: DemoContext) -> None:
    """Three working groups for 2024, each led by a Standing Committee member, 3 zones each.

    The leaders get accounts with random passwords: an admin sets one to let them log in."""
    users = UserService(ctx.session)
    for number, leader_name in enumerate(LEADERS, start=1):
        leader = await users.create(
            UserCreate(
                username=f"doan{number}{ctx.suffix()}",
                full_name=leader_name,
                role=Role.GROUP_LEADER,
                password=secrets.token_urlsafe(16),
            )
        )
        ctx.leaders.append(leader)
        zones = ctx.zones[(number - 1) * 3 : number * 3]
        ctx.campaigns.append(
            await CampaignService(ctx.session).create(
                CampaignCreate(
                    name=f"Đoàn công tác số {number}{ctx.suffix()}",
                    description="Tuyên truyền, vận động chủ doanh nghiệp tạo điều kiện thành lập "
                    "tổ chức Đảng tại " + ", ".join(z.name for z in zones),
                    leader_id=leader.id,
                    members=[
                        CampaignMemberIn(
                            full_name=leader_name, role="Trưởng đoàn", user_id=leader.id
                        ),
                        CampaignMemberIn(full_name=person(ctx.rng)[0], role="Thành viên"),
                        CampaignMemberIn(full_name=person(ctx.rng)[0], role="Thành viên"),
                    ],
                    zone_ids=[z.id for z in zones],
                    starts_on=YEAR_START,
                    ends_on=dt.date(2024, 12, 31),
                    status="active",
                )
            )
        )


async def _contacts(ctx: DemoContext, enterprise: Enterprise) -> list[EnterpriseContact]:
    contacts = ContactService(ctx.session)
    country = enterprise.investor_country
    language = LANGUAGE_BY_COUNTRY.get(country or "", "en") if country else "vi"
    owner_name = "Kim Min-jun" if country == "KR" else person(ctx.rng)[0]
    plan = [
        ("owner", owner_name, country or "VN", language),
        ("hr_director", person(ctx.rng)[0], "VN", "vi"),
        ("union_chair", person(ctx.rng)[0], "VN", "vi"),
    ]
    return [
        await contacts.create(
            enterprise,
            ContactCreate(
                full_name=name, role=role, nationality=nationality, preferred_language=lang
            ),
        )
        for role, name, nationality, lang in plan
    ]


async def seed_activities(ctx: DemoContext) -> None:
    """Visits to enterprises without an organization; the enterprises that established one this
    year went contacted → receptive → agreed first."""
    covered = {
        p.organization.enterprise_id
        for p in ctx.organizations
        if p.organization.kind != OrganizationKind.AFFILIATED_CELL
    }
    credited: dict[int, Organization] = {
        o.enterprise_id: o for o in ctx.new_this_year if o.campaign_id and o.enterprise_id
    }
    for campaign, leader in zip(ctx.campaigns, ctx.leaders, strict=True):
        service = ActivityService(ctx.session, campaign, leader)
        zone_ids = {z.id for z in ctx.zones[ctx.campaigns.index(campaign) * 3 :][:3]}
        in_zones = [e for e in ctx.enterprises if e.zone_id in zone_ids]
        targets = [e for e in in_zones if e.id not in covered][:18]
        targets += [e for e in in_zones if e.id in credited]
        for enterprise in targets:
            contacts = await _contacts(ctx, enterprise)
            language = contacts[0].preferred_language
            organization = credited.get(enterprise.id)
            if organization is not None:
                steps = [
                    (organization.established_on - dt.timedelta(days=40), 1, "receptive"),
                    (organization.established_on - dt.timedelta(days=20), 0, "agreed"),
                ]
                first = organization.established_on - dt.timedelta(days=60)
                steps.insert(0, (max(first, YEAR_START), 0, "no_response"))
            else:
                count = ctx.rng.randint(1, 4)
                days = sorted(day_between(ctx.rng, YEAR_START, REFERENCE_DAY) for _ in range(count))
                outcomes = ("no_response", "receptive", "receptive", "declined", "agreed")
                steps = [(d, ctx.rng.randrange(3), ctx.rng.choice(outcomes)) for d in days]
            for day, who, outcome in steps:
                day = max(day, YEAR_START)
                follow = day + dt.timedelta(days=30) if outcome != "agreed" else None
                await service.create(
                    ActivityCreate(
                        enterprise_id=enterprise.id,
                        occurred_on=day,
                        kind="visit" if who == 0 else "meeting",
                        contact_id=contacts[who].id,
                        material_language=language if who == 0 else "vi",
                        outcome=outcome,
                        follow_up_on=follow,
                    )
                )


async def seed_targets(ctx: DemoContext) -> None:
    service = TargetService(ctx.session)

    async def target(**fields: object) -> None:
        await service.create(TargetCreate.model_validate(fields))

    year = {"period_start": YEAR_START, "period_end": dt.date(2024, 12, 31)}
    term = {"period_start": TERM_START, "period_end": TERM_END, "due_on": TERM_DUE}
    await target(
        name="Thành lập tổ chức cơ sở đảng năm 2024",
        metric=Metric.ORGANIZATIONS_ESTABLISHED,
        value=5,
        basis=RESOLUTION_09,
        **year,
    )
    await target(
        name="Kết nạp đảng viên năm 2024",
        metric=Metric.MEMBERS_ADMITTED,
        value=140,
        basis="Chỉ tiêu Thành ủy giao năm 2024",
        **year,
    )
    await target(
        name="Bồi dưỡng nhận thức về Đảng năm 2024",
        metric=Metric.CANDIDATES_TRAINED,
        value=250,
        basis="Kế hoạch công tác năm 2024",
        **year,
    )
    await target(
        name="Kết nạp đảng viên nhiệm kỳ 2020–2025",
        metric=Metric.MEMBERS_ADMITTED,
        value=500,
        basis=CONGRESS,
        **term,
    )
    await target(
        name="Thành lập TCCS đảng nhiệm kỳ 2020–2025",
        metric=Metric.ORGANIZATIONS_ESTABLISHED,
        value=30,
        basis=CONGRESS,
        **term,
    )
    await target(
        name="Thành lập khu công nghiệp mới nhiệm kỳ 2020–2025",
        metric=Metric.INDUSTRIAL_ZONES_ESTABLISHED,
        min_value=2,
        max_value=5,
        basis=CONGRESS,
        period_start=TERM_START,
        period_end=TERM_END,
    )
    for campaign, value in zip(ctx.campaigns, (2, 2, 1), strict=True):
        await target(
            name=f"Thành lập tổ chức đảng – {campaign.name}",
            scope=TargetScope.CAMPAIGN,
            campaign_id=campaign.id,
            metric=Metric.ORGANIZATIONS_ESTABLISHED,
            value=value,
            basis=RESOLUTION_09,
            **year,
        )
    # Quotas assigned at the start of the year to the organizations existing then: 142 in all.
    grassroots = [
        p.organization
        for p in ctx.organizations
        if p.organization.established_on < YEAR_START
        and p.organization.kind != OrganizationKind.AFFILIATED_CELL
    ]
    committees = {p.organization.parent_id for p in ctx.organizations}
    quota_holders = sorted(grassroots, key=lambda o: o.id) + await _committees(ctx, committees)
    doubles = 17
    for organization in quota_holders:
        if organization.kind == OrganizationKind.GRASSROOTS_COMMITTEE:
            value = 4
        else:
            value, doubles = (2, doubles - 1) if doubles > 0 else (1, doubles)
        await target(
            name=f"Chỉ tiêu kết nạp 2024 – {organization.name}",
            scope=TargetScope.ORGANIZATION,
            organization_id=organization.id,
            metric=Metric.MEMBERS_ADMITTED,
            value=value,
            basis="Giao chỉ tiêu đầu năm 2024",
            **year,
        )


async def _committees(ctx: DemoContext, ids: set[int | None]) -> list[Organization]:

    rows = await ctx.session.scalars(
        select(Organization)
        .where(Organization.id.in_([i for i in ids if i]))
        .order_by(Organization.id)
    )
    return list(rows.all())


__all__ = ["Ownership", "seed_activities", "seed_campaigns", "seed_targets"]
