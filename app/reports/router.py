"""/reports: the overview as JSON, and the overview and the attainment list as files (CSV, XLSX,
PDF), each its own operation with its own media type."""

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from app.core.dates import today
from app.core.db import ReplicaSessionDep, SessionDep
from app.core.errors import FieldError, RuleViolation
from app.core.idempotency import IdempotentRoute
from app.core.schemas import Date
from app.reports import export
from app.reports.export import ReportFile, Separator
from app.reports.labels import Language
from app.reports.overview import OverviewReport
from app.reports.pdf import to_pdf
from app.reports.schemas import Overview
from app.targets.service import TargetService

router = APIRouter(prefix="/reports", tags=["reports"], route_class=IdempotentRoute)

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
CONTENT_DISPOSITION = {
    "description": "attachment, with a file name in the chosen language and the as-of date: "
    "`bao-cao-tong-hop-2024-06-30.xlsx` (vi), `overview-2024-06-30.xlsx` (en).",
    "schema": {"type": "string"},
}

AsOf = Annotated[Date | None, Query(description="Figures as of this date; default today.")]
LangParam = Annotated[Language, Query(description="The file's language: vi or en.")]
SeparatorParam = Annotated[
    Separator,
    Query(
        description="`comma`: RFC 4180 with a decimal point. `semicolon`: `;` between fields "
        "and a decimal comma, for a spreadsheet set to Vietnamese."
    ),
]
IncludeQuotas = Annotated[bool, Query(description="Also the organizations' quotas.")]


def _file_responses(media_type: str) -> dict[int | str, dict[str, Any]]:
    """The 200 of a download: its one media type (without parameters: `text/csv`), and its
    Content-Disposition."""
    text = media_type.startswith("text/")
    schema = {"type": "string"} if text else {"type": "string", "format": "binary"}
    return {
        200: {
            "description": "The file.",
            "content": {media_type.split(";")[0]: {"schema": schema}},
            "headers": {"Content-Disposition": CONTENT_DISPOSITION},
        }
    }


def _file(report: ReportFile, content: bytes, media_type: str, extension: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": report.content_disposition(extension)},
    )


@dataclass(frozen=True)
class Period:
    as_of: dt.date
    start: dt.date
    end: dt.date


async def overview_period(
    as_of: AsOf = None,
    period_start: Annotated[Date | None, Query(description="Default: 1 January.")] = None,
    period_end: Annotated[Date | None, Query(description="Default: as_of.")] = None,
) -> Period:
    on = as_of or today()
    start = period_start or dt.date(on.year, 1, 1)
    end = period_end or on
    if start > end:
        detail = "period_start is after period_end"
        where = FieldError(loc=["query", "period_start"], message=detail, type="rule_violation")
        raise RuleViolation(detail, errors=[where])
    return Period(on, start, end)


PeriodDep = Annotated[Period, Depends(overview_period)]


async def _overview(session: SessionDep, period: Period) -> Overview:
    return await OverviewReport(session, period.as_of, period.start, period.end).build()


@router.get("/overview", name="get-overview", response_model=Overview)
async def get_overview(
    session: ReplicaSessionDep,
    period: PeriodDep,
    # Before the downloads were operations of their own (issue 13), `format=csv|xlsx` asked this
    # one for a file; still answered, no longer published.
    format: Annotated[Literal["json", "csv", "xlsx"], Query(include_in_schema=False)] = "json",
    lang: Annotated[Language, Query(include_in_schema=False)] = Language.VI,
) -> Overview | Response:
    """Every figure the committee reports: zones, enterprises, organizations, members,
    candidates, training, investment and the targets in force, as of `as_of` and for the
    period. The same figures as files: `/reports/overview.csv`, `.xlsx` and `.pdf`."""
    overview = await _overview(session, period)
    if format == "json":
        return overview
    report = export.overview_file(overview, lang)
    if format == "csv":
        return _file(report, export.to_csv(report), CSV, "csv")
    return _file(report, export.to_xlsx(report), XLSX, "xlsx")


@router.get(
    "/overview.csv",
    name="download-overview-csv",
    response_class=Response,
    responses=_file_responses(CSV),
)
async def download_overview_csv(
    session: SessionDep,
    period: PeriodDep,
    lang: LangParam = Language.VI,
    separator: SeparatorParam = "comma",
) -> Response:
    """The overview's figures as CSV (UTF-8 with a BOM): the title, the committee, the as-of
    date and the period, then one row per figure; codes and labels in the chosen language."""
    report = export.overview_file(await _overview(session, period), lang)
    return _file(report, export.to_csv(report, separator), CSV, "csv")


@router.get(
    "/overview.xlsx",
    name="download-overview-xlsx",
    response_class=Response,
    responses=_file_responses(XLSX),
)
async def download_overview_xlsx(
    session: SessionDep, period: PeriodDep, lang: LangParam = Language.VI
) -> Response:
    """The overview as a workbook: a sheet of figures and a sheet of targets, each headed by
    the title, the committee, the as-of date and the period, with a frozen, filtered header
    row, number formats, and A4 landscape printing one page wide."""
    report = export.overview_file(await _overview(session, period), lang)
    return _file(report, export.to_xlsx(report), XLSX, "xlsx")


@router.get(
    "/overview.pdf",
    name="download-overview-pdf",
    response_class=Response,
    responses=_file_responses(PDF),
)
async def download_overview_pdf(
    session: SessionDep, period: PeriodDep, lang: LangParam = Language.VI
) -> Response:
    """The overview as an A4 PDF: the figures, the targets, and a bar chart of each target's
    attainment against its target line."""
    report = export.overview_file(await _overview(session, period), lang)
    return _file(report, to_pdf(report), PDF, "pdf")


async def _attainment(
    session: ReplicaSessionDep,
    as_of: AsOf = None,
    lang: LangParam = Language.VI,
    include_quotas: IncludeQuotas = True,
) -> ReportFile:
    on = as_of or today()
    attainments = await TargetService(session).attainments_in_force(
        on, include_quotas=include_quotas
    )
    return export.attainment_file(attainments, on, lang)


AttainmentDep = Annotated[ReportFile, Depends(_attainment)]


@router.get(
    "/attainment.csv",
    name="download-attainment-csv",
    response_class=Response,
    responses=_file_responses(CSV),
)
async def download_attainment_csv(
    report: AttainmentDep, separator: SeparatorParam = "comma"
) -> Response:
    """Every target in force on `as_of` and how far it is met, as CSV (UTF-8 with a BOM): the
    title, the committee and the date, then one row per target, codes in the chosen language."""
    return _file(report, export.to_csv(report, separator), CSV, "csv")


@router.get(
    "/attainment.xlsx",
    name="download-attainment-xlsx",
    response_class=Response,
    responses=_file_responses(XLSX),
)
async def download_attainment_xlsx(report: AttainmentDep) -> Response:
    """Every target in force on `as_of` and how far it is met, as a workbook formatted like
    the overview's."""
    return _file(report, export.to_xlsx(report), XLSX, "xlsx")


@router.get(
    "/attainment.pdf",
    name="download-attainment-pdf",
    response_class=Response,
    responses=_file_responses(PDF),
)
async def download_attainment_pdf(report: AttainmentDep) -> Response:
    """Every target in force on `as_of` as an A4 PDF: the table, and a bar chart of each
    target's attainment against its target line."""
    return _file(report, to_pdf(report), PDF, "pdf")


@router.get("/attainment", include_in_schema=False)
async def download_attainment(
    session: ReplicaSessionDep,
    as_of: AsOf = None,
    format: Literal["csv", "xlsx"] = "csv",
    lang: LangParam = Language.VI,
    include_quotas: IncludeQuotas = True,
) -> Response:
    """Before `/reports/attainment.csv` and `.xlsx` (issue 13); still answered, unpublished."""
    report = await _attainment(session, as_of, lang, include_quotas)
    if format == "csv":
        return _file(report, export.to_csv(report), CSV, "csv")
    return _file(report, export.to_xlsx(report), XLSX, "xlsx")
