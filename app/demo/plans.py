"""Demo plan for the second half of 2024 (after the mid-term review), each working group's visit
calendar for it, and outreach materials in vi, en, ko, ja and zh. Everything is dated after the
reference day (2024-06-30) or, for the materials, before the year's activities: no published
figure changes."""

import datetime as dt
import io
import secrets

from fastapi import UploadFile
from reportlab.lib.pagesizes import A5
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select
from starlette.datastructures import Headers

from app.campaigns.activities.schemas import ActivityCreate
from app.campaigns.activities.service import ActivityService
from app.campaigns.results.pipeline import LANGUAGE_BY_COUNTRY
from app.campaigns.schedule.schemas import VisitCreate, VisitUpdate
from app.campaigns.schedule.service import VisitService
from app.core.dates import HANOI
from app.demo.context import DemoContext
from app.materials.schemas import MaterialForm
from app.materials.service import MaterialService
from app.models import (
    Material,
    Metric,
    OrganizationKind,
    Ownership,
    Plan,
    Role,
    Target,
    User,
    VisitStatus,
)
from app.plans.schemas import PlanCreate, ProgressNoteCreate, TaskCreate, TaskUpdate
from app.plans.service import PlanService, TaskService
from app.users.schemas import UserCreate
from app.users.service import UserService

H2_START, H2_END = dt.date(2024, 7, 1), dt.date(2024, 12, 31)
PLANNED_ON = dt.datetime(2024, 7, 5, 9, 0, tzinfo=HANOI)  # when the plan was recorded
LIBRARY_ON = dt.datetime(2024, 1, 8, 9, 0, tzinfo=HANOI)  # when the materials were added
MATERIALS = (
    ("vi", "Tờ gấp: Tổ chức đảng trong doanh nghiệp — vì sao và như thế nào"),
    ("en", "Leaflet: the Party organization in an enterprise — why and how"),
    ("ko", "Tờ gấp (bản tiếng Hàn): Tổ chức đảng trong doanh nghiệp"),
    ("ja", "Tờ gấp (bản tiếng Nhật): Tổ chức đảng trong doanh nghiệp"),
    ("zh", "Tờ gấp (bản tiếng Trung): Tổ chức đảng trong doanh nghiệp"),
)


def _leaflet(language: str, title: str, copy: int) -> bytes:
    """A one-page PDF standing for the printed leaflet (its text in ASCII: the core fonts)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A5, invariant=True)
    canvas.setTitle(title)
    canvas.drawString(40, 540, "Dang uy cac KCN va che xuat Ha Noi")
    canvas.drawString(40, 520, f"Resolution 09 outreach leaflet ({language}), copy {copy}")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


async def seed_materials(ctx: DemoContext, editor: User) -> dict[str, Material]:
    service = MaterialService(ctx.session, editor)
    library: dict[str, Material] = {}
    for language, title in MATERIALS:
        content = _leaflet(language, title, ctx.copy)
        upload = UploadFile(
            io.BytesIO(content),
            filename=f"to-gap-nq09-{language}.pdf",
            headers=Headers({"content-type": "application/pdf"}),
        )
        form = MaterialForm(
            title=title + ctx.suffix(),
            language=language,
            kind="leaflet",
            topic="Nghị quyết 09-NQ/TU",
            version="2024",
        )
        material = await service.create(form, upload, len(content))
        material.created_at = material.updated_at = LIBRARY_ON
        library[language] = material
    await ctx.session.flush()
    return library


async def _target(ctx: DemoContext, metric: Metric) -> Target:
    target = await ctx.session.scalar(
        select(Target)
        .where(Target.metric == metric, Target.period_start == dt.date(2024, 1, 1))
        .order_by(Target.id.desc())
    )
    assert target is not None
    return target


async def seed_plan(ctx: DemoContext, editor: User) -> Plan:
    """The plan after the mid-term review: one task per leader or two, some done, one
    cancelled, two still open (overdue today)."""
    plan = await PlanService(ctx.session, editor).create(
        PlanCreate(
            name=f"Kế hoạch thực hiện Nghị quyết 09 sau sơ kết giữa nhiệm kỳ, 6 tháng cuối "
            f"năm 2024{ctx.suffix()}",
            period_start=H2_START,
            period_end=H2_END,
            basis="Kết luận của Ban Thường vụ Đảng ủy tại hội nghị sơ kết giữa nhiệm kỳ",
            notes="Rõ người, rõ việc, rõ quy trình, rõ trách nhiệm, rõ hiệu quả.",
        )
    )
    plan.created_at = plan.updated_at = PLANNED_ON
    established = await _target(ctx, Metric.ORGANIZATIONS_ESTABLISHED)
    trained = await _target(ctx, Metric.CANDIDATES_TRAINED)
    first, second, third = ctx.leaders
    service = TaskService(ctx.session, plan, editor)
    # (assignee, title, due, expected, target and quantity, completion, progress notes)
    tasks = [
        (first, "Vận động thành lập chi bộ tại 2 doanh nghiệp FDI chưa có tổ chức đảng",
         dt.date(2024, 10, 31), "2 chi bộ được thành lập", (established, 2),
         (dt.date(2024, 10, 20), "Đã thành lập 2 chi bộ"),
         [(dt.date(2024, 8, 15), "Đã gặp chủ 2 doanh nghiệp, đồng ý về nguyên tắc")]),
        (second, "Tiếp xúc chủ doanh nghiệp Hàn Quốc với tài liệu tiếng Hàn",
         dt.date(2024, 9, 30), "10 doanh nghiệp được tiếp xúc", None, None,
         [(dt.date(2024, 9, 10), "Đã tiếp xúc 6/10 doanh nghiệp")]),
        (third, "Mở lớp bồi dưỡng nhận thức về Đảng cho quần chúng ưu tú",
         dt.date(2024, 11, 30), "80 quần chúng hoàn thành lớp", (trained, 80),
         (dt.date(2024, 11, 25), "85 quần chúng hoàn thành lớp"), []),
        (first, "Rà soát danh sách quần chúng ưu tú tại các chi bộ mới",
         dt.date(2024, 12, 15), "Danh sách được cập nhật", None, "cancelled", []),
        (second, "Báo cáo sơ kết 6 tháng cuối năm gửi Ban Thường vụ",
         dt.date(2024, 12, 31), "Báo cáo được thông qua", None, None, []),
    ]  # fmt: skip
    for assignee, title, due, expected, target, completion, notes in tasks:
        task = await service.create(
            TaskCreate(
                title=title,
                assignee_id=assignee.id,
                due_on=due,
                expected_result=expected,
                target_id=target[0].id if target else None,
                target_quantity=target[1] if target else None,
                status="in_progress" if notes else "planned",
            )
        )
        task.created_at = task.updated_at = PLANNED_ON
        await ctx.session.flush()
        for written_on, note in notes:
            await TaskService(ctx.session, plan, assignee).add_progress(
                task, ProgressNoteCreate(written_on=written_on, note=note)
            )
        if completion == "cancelled":
            await service.update(task, TaskUpdate(status="cancelled"))
            task.cancelled_on = dt.date(2024, 12, 2)  # when the office decided it
        elif isinstance(completion, tuple):
            completed_on, result = completion
            await TaskService(ctx.session, plan, assignee).update(
                task, TaskUpdate(status="done", completed_on=completed_on, result=result)
            )
    return plan


async def seed_calendars(ctx: DemoContext, library: dict[str, Material]) -> None:
    """Each working group's visits for July to September 2024 at enterprises without an
    organization: most carried out (an activity records each), one cancelled, one missed."""
    covered = {
        p.organization.enterprise_id
        for p in ctx.organizations
        if p.organization.kind != OrganizationKind.AFFILIATED_CELL
    }
    for index, (campaign, leader) in enumerate(zip(ctx.campaigns, ctx.leaders, strict=True)):
        zone_ids = {z.id for z in ctx.zones[index * 3 : index * 3 + 3]}
        audience = [e for e in ctx.enterprises if e.zone_id in zone_ids and e.id not in covered]
        visits = VisitService(ctx.session, campaign, leader)
        activities = ActivityService(ctx.session, campaign, leader)
        for number, enterprise in enumerate(audience[:5]):
            suggested = (
                "vi"
                if enterprise.ownership != Ownership.FDI
                else LANGUAGE_BY_COUNTRY.get(enterprise.investor_country or "", "en")
            )
            language = suggested if suggested in library else "en"
            planned_on = dt.date(2024, 7, 8) + dt.timedelta(days=14 * number + index)
            visit = await visits.create(
                VisitCreate(
                    enterprise_id=enterprise.id,
                    planned_on=planned_on,
                    purpose="Tuyên truyền Nghị quyết 09, đề nghị tạo điều kiện thành lập tổ "
                    "chức đảng",
                    contact_roles=["owner", "union_chair"],
                    material_ids=[library[language].id],
                )
            )
            if number == 3:
                await visits.update(visit, VisitUpdate(status=VisitStatus.CANCELLED))
            elif number < 3:
                await activities.create(
                    ActivityCreate(
                        enterprise_id=enterprise.id,
                        occurred_on=planned_on,
                        kind="visit",
                        contact_role="owner",
                        outcome="receptive" if number else "no_response",
                        material_ids=[library[language].id],
                        planned_visit_id=visit.id,
                        follow_up_on=planned_on + dt.timedelta(days=30),
                    )
                )
            # number 4 stays planned: missed once its day passed


async def seed_plans_calendars_materials(ctx: DemoContext) -> None:
    """The committee office's editor account (random password: an admin sets one), then the
    library, the plan and the calendars."""
    editor = await UserService(ctx.session).create(
        UserCreate(
            username=f"vanphong{ctx.suffix()}",
            full_name="Văn phòng Đảng ủy",
            role=Role.EDITOR,
            password=secrets.token_urlsafe(16),
        )
    )
    library = await seed_materials(ctx, editor)
    await seed_plan(ctx, editor)
    await seed_calendars(ctx, library)
    await ctx.session.flush()
