"""Demo zones, enterprises, investment projects and party organizations."""

import datetime as dt
from decimal import Decimal

from app.demo.context import (
    REFERENCE_DAY,
    TERM_START,
    YEAR_START,
    DemoContext,
    OrgPlan,
    day_between,
)
from app.demo.names import domestic_company, foreign_company
from app.enterprises.schemas import Closure, EnterpriseCreate
from app.enterprises.service import EnterpriseService
from app.investment_projects.schemas import ProjectCreate
from app.investment_projects.service import ProjectService
from app.models import Enterprise, Organization, OrganizationKind, Ownership
from app.organizations.schemas import Dissolution, OrganizationCreate
from app.organizations.service import OrganizationService
from app.zones.schemas import ZoneCreate
from app.zones.service import ZoneService

OPERATING_ZONES = (
    ("KCN-NB", "KCN Nội Bài", "Sóc Sơn", "1994-06-18", "114"),
    ("KCN-DT", "KCN Hà Nội – Đài Tư", "Long Biên", "1995-11-21", "40"),
    ("KCN-TL", "KCN Thăng Long", "Đông Anh", "1997-11-26", "274"),
    ("KCN-SDB", "KCN Sài Đồng B", "Long Biên", "1997-12-01", "47"),
    ("KCN-NTL", "KCN Nam Thăng Long", "Bắc Từ Liêm", "2000-03-15", "31"),
    ("KCN-QM", "KCN Quang Minh", "Mê Linh", "2003-10-20", "344"),
    ("KCN-TTQO", "KCN Thạch Thất – Quốc Oai", "Thạch Thất", "2007-05-22", "155"),
    ("KCN-PN", "KCN Phú Nghĩa", "Chương Mỹ", "2007-08-08", "170"),
    ("KCN-BTT", "KCN Bắc Thường Tín", "Thường Tín", "2008-04-01", "310"),
)
# Established during the 2020–2025 term, still being built: "3 new zones, target 2 to 5".
NEW_ZONES = (
    ("KCN-HTNHN2", "KCN Hỗ trợ Nam Hà Nội giai đoạn II", "Phú Xuyên", "2021-06-15", "210"),
    ("KCN-SS", "KCN Sóc Sơn", "Sóc Sơn", "2022-10-20", "297"),
    ("KCN-PX", "KCN Phú Xuyên", "Phú Xuyên", "2023-08-10", "175"),
)
COUNTRIES = (
    ("JP",) * 8
    + ("KR",) * 8
    + ("CN",) * 4
    + ("TW",) * 3
    + ("SG", "SG", "US", "DE", "TH", "MY", "FR")
)
OWNERSHIP_COUNTS = {Ownership.STATE: 12, Ownership.DOMESTIC_PRIVATE: 300, Ownership.FDI: 388}
WORKERS_TOTAL = 160_000
# Investment: 720 projects before 2024 worth 9.0 billion USD, then the first half of 2024:
# 6 new projects, 5 of them FDI with 96.2 million USD, one domestic with 3.8 million.
H1_FDI_CAPITAL = (Decimal("30500000"), Decimal("22000000"), Decimal("18700000"),
                  Decimal("15000000"), Decimal("10000000"))  # fmt: skip
H1_DOMESTIC_CAPITAL = Decimal("3800000")
EARLIER_CAPITAL = Decimal("9000000000")


async def seed_zones(ctx: DemoContext) -> None:
    service = ZoneService(ctx.session)
    for zones, status in ((OPERATING_ZONES, "operating"), (NEW_ZONES, "planned")):
        for code, name, district, established, area in zones:
            zone = await service.create(
                ZoneCreate(
                    code=code + ctx.suffix(),
                    name=name,
                    district=district,
                    status=status,
                    established_on=dt.date.fromisoformat(established),
                    area_ha=Decimal(area),
                )
            )
            if status == "operating":  # the enterprises are in the operating zones
                ctx.zones.append(zone)


def _workers(ctx: DemoContext, plan: list[Ownership]) -> list[int]:
    ranges = {
        Ownership.STATE: (300, 1500),
        Ownership.DOMESTIC_PRIVATE: (30, 300),
        Ownership.FDI: (80, 700),
    }
    raw = [ctx.rng.randint(*ranges[o]) for o in plan]
    scale = WORKERS_TOTAL / sum(raw)
    workers = [max(10, round(w * scale)) for w in raw]
    workers[workers.index(max(workers))] += WORKERS_TOTAL - sum(workers)
    return workers


async def seed_enterprises(ctx: DemoContext) -> None:
    plan = [o for o, count in OWNERSHIP_COUNTS.items() for _ in range(count)]
    ctx.rng.shuffle(plan)
    service = EnterpriseService(ctx.session)
    for index, (ownership, workers) in enumerate(zip(plan, _workers(ctx, plan), strict=True)):
        n = index + 1
        zone = ctx.zones[ctx.rng.randrange(len(ctx.zones))]
        country = ctx.rng.choice(COUNTRIES) if ownership is Ownership.FDI else None
        if country:
            name, foreign = foreign_company(ctx.rng, country, n)
        else:
            name, foreign = domestic_company(ctx.rng, n, ownership is Ownership.STATE), None
        ctx.enterprises.append(
            await service.create(
                EnterpriseCreate(
                    tax_code=f"01{9 - ctx.copy:02d}{n:06d}",  # fictional
                    name=name,
                    foreign_name=foreign,
                    zone_id=zone.id,
                    ownership=ownership,
                    investor_country=country,
                    workers_count=workers,
                    has_trade_union=workers >= 50 or ctx.rng.random() < 0.5,
                    has_youth_union=ctx.rng.random() < 0.6,
                    # registered when its zone opened, long before the reference day
                    registered_on=zone.established_on,
                )
            )
        )

    for n in (701, 702):  # closed since (_dissolved_cells): their cells keep their history
        ctx.closed_enterprises.append(
            await service.create(
                EnterpriseCreate(
                    tax_code=f"01{9 - ctx.copy:02d}{n:06d}",
                    name=domestic_company(ctx.rng, n, state=False),
                    zone_id=ctx.zones[n % len(ctx.zones)].id,
                    ownership=Ownership.DOMESTIC_PRIVATE,
                    registered_on=dt.date(2008, 3, 1),
                )
            )
        )


async def seed_projects(ctx: DemoContext) -> None:
    service = ProjectService(ctx.session)
    open_ = list(ctx.enterprises)
    owners = open_ + ctx.rng.sample(open_, 20)
    weights = [3 if e.ownership == Ownership.FDI else 1 for e in owners]
    weights = [w * ctx.rng.randint(5, 30) for w in weights]
    capital = [(EARLIER_CAPITAL * w / sum(weights)).quantize(Decimal("1")) for w in weights]
    capital[-1] += EARLIER_CAPITAL - sum(capital)
    for enterprise, amount in zip(owners, capital, strict=True):
        licensed = day_between(ctx.rng, dt.date(1995, 1, 1), dt.date(2023, 12, 20))
        await _project(service, enterprise, licensed, amount)
    fdi = [e for e in open_ if e.ownership == Ownership.FDI]
    for offset, amount in enumerate(H1_FDI_CAPITAL):
        licensed = dt.date(2024, 1 + offset, 10 + offset)
        await _project(service, ctx.rng.choice(fdi), licensed, amount)
    domestic = [e for e in open_ if e.ownership == Ownership.DOMESTIC_PRIVATE]
    await _project(service, ctx.rng.choice(domestic), dt.date(2024, 6, 12), H1_DOMESTIC_CAPITAL)
    for _ in range(10):  # ended before the reference day: not active
        licensed = day_between(ctx.rng, dt.date(2005, 1, 1), dt.date(2012, 12, 31))
        await service.create(
            ProjectCreate(
                enterprise_id=ctx.rng.choice(open_).id,
                name="Dự án đã chấm dứt",
                licensed_on=licensed,
                registered_capital_usd=Decimal(ctx.rng.randint(1, 20) * 500_000),
                status="terminated",
                terminated_on=licensed + dt.timedelta(days=ctx.rng.randint(2000, 3000)),
            )
        )


async def _project(
    service: ProjectService, enterprise: Enterprise, licensed: dt.date, amount: Decimal
) -> None:
    await service.create(
        ProjectCreate(
            enterprise_id=enterprise.id,
            name=f"Dự án sản xuất của {enterprise.name}",
            licensed_on=licensed,
            registered_capital_usd=amount,
        )
    )


async def _organization(
    ctx: DemoContext,
    kind: OrganizationKind,
    name: str,
    established: dt.date,
    enterprise: Enterprise | None,
    parent: Organization | None = None,
    campaign_id: int | None = None,
) -> Organization:
    return await OrganizationService(ctx.session).create(
        OrganizationCreate(
            name=name,
            kind=kind,
            parent_id=parent.id if parent else None,
            enterprise_id=enterprise.id if enterprise else None,
            established_on=established,
            decision_no=f"{ctx.next_serial()}-QĐ/ĐU",
            campaign_id=campaign_id,
        )
    )


def _pick(enterprises: list[Enterprise], ownership: Ownership, count: int) -> list[Enterprise]:
    chosen = [e for e in enterprises if e.ownership == ownership][:count]
    for enterprise in chosen:
        enterprises.remove(enterprise)
    return chosen


async def seed_organizations(ctx: DemoContext) -> None:
    """100 grassroots organizations on the reference day (10 committees with 3 affiliated cells
    each, 90 cells; 52 in FDI, 46 in domestic private, 2 in state enterprises); 26 of them
    established in the term, 5 in the first half of 2024; and 2 dissolved before the term."""
    by_size = sorted(ctx.enterprises, key=lambda e: (-e.workers_count, e.id))
    committees = [
        *_pick(by_size, Ownership.FDI, 6),
        *_pick(by_size, Ownership.DOMESTIC_PRIVATE, 3),
        *_pick(by_size, Ownership.STATE, 1),
    ]
    for enterprise in committees:
        founded = day_between(ctx.rng, dt.date(1999, 1, 1), dt.date(2012, 12, 31))
        committee = await _organization(
            ctx,
            OrganizationKind.GRASSROOTS_COMMITTEE,
            f"Đảng bộ {enterprise.name}",
            founded,
            enterprise,
        )
        for number, unit in enumerate(("Khối Văn phòng", "Phân xưởng 1", "Phân xưởng 2")):
            cell = await _organization(
                ctx,
                OrganizationKind.AFFILIATED_CELL,
                f"Chi bộ {unit}",
                founded + dt.timedelta(days=30 * (number + 1)),
                enterprise,
                parent=committee,
            )
            ctx.organizations.append(OrgPlan(cell, weight=4))
    earlier_fdi = _pick(by_size, Ownership.FDI, 31)
    earlier_domestic = _pick(by_size, Ownership.DOMESTIC_PRIVATE, 32)
    earlier_state = _pick(by_size, Ownership.STATE, 1)
    for enterprise in [*earlier_fdi, *earlier_domestic, *earlier_state]:
        founded = day_between(ctx.rng, dt.date(1998, 1, 1), dt.date(2020, 7, 15))
        cell = await _organization(
            ctx, OrganizationKind.GRASSROOTS_CELL, f"Chi bộ {enterprise.name}", founded, enterprise
        )
        ctx.organizations.append(OrgPlan(cell, weight=2))
    # Established in the term: 21 before 2024, 5 in its first half (credited to the groups).
    term_fdi = _pick(by_size, Ownership.FDI, 15)
    term_domestic = _pick(by_size, Ownership.DOMESTIC_PRIVATE, 11)
    in_term = [*term_fdi[:11], *term_domestic[:10]]
    for enterprise in in_term:
        founded = day_between(ctx.rng, TERM_START, dt.date(2023, 12, 31))
        cell = await _organization(
            ctx, OrganizationKind.GRASSROOTS_CELL, f"Chi bộ {enterprise.name}", founded, enterprise
        )
        ctx.organizations.append(OrgPlan(cell, weight=1))
    this_year = [*term_fdi[11:], term_domestic[10]]
    days = ("2024-02-20", "2024-03-15", "2024-04-10", "2024-05-08", "2024-06-05")
    for enterprise, day in zip(this_year, days, strict=True):
        campaign = next(c for c in ctx.campaigns if enterprise.zone_id in _zone_ids(ctx, c.id))
        credited = campaign.id if day != "2024-06-05" else None
        cell = await _organization(
            ctx,
            OrganizationKind.GRASSROOTS_CELL,
            f"Chi bộ {enterprise.name}",
            dt.date.fromisoformat(day),
            enterprise,
            campaign_id=credited,
        )
        ctx.organizations.append(OrgPlan(cell, weight=1))
        ctx.new_this_year.append(cell)
    await _dissolved_cells(ctx)


def _zone_ids(ctx: DemoContext, campaign_id: int) -> set[int]:
    index = [c.id for c in ctx.campaigns].index(campaign_id)
    return {zone.id for zone in ctx.zones[index * 3 : index * 3 + 3]}


async def _dissolved_cells(ctx: DemoContext) -> None:
    """Two cells of enterprises that later closed, dissolved before the term: history kept."""
    service = OrganizationService(ctx.session)
    enterprises = EnterpriseService(ctx.session)
    spans = (("2009-05-10", "2018-12-20"), ("2011-09-01", "2019-06-30"))
    for enterprise, (founded, ended) in zip(ctx.closed_enterprises, spans, strict=True):
        cell = await _organization(
            ctx,
            OrganizationKind.GRASSROOTS_CELL,
            f"Chi bộ {enterprise.name}",
            dt.date.fromisoformat(founded),
            enterprise,
        )
        await service.dissolve(
            cell,
            Dissolution(
                dissolved_on=dt.date.fromisoformat(ended),
                reason="Doanh nghiệp giải thể, đảng viên chuyển sinh hoạt",
            ),
        )
        closed_on = dt.date.fromisoformat(ended) + dt.timedelta(days=45)
        await enterprises.close(enterprise, Closure(closed_on=closed_on, reason="giải thể"))


__all__ = [
    "REFERENCE_DAY",
    "YEAR_START",
    "seed_enterprises",
    "seed_organizations",
    "seed_projects",
    "seed_zones",
]
