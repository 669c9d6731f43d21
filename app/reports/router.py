"""/reports: the overview as JSON, CSV or XLSX, and the attainment list as a download."""

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from app.core.dates import today
from app.core.db import SessionDep
from app.core.errors import RuleViolation
from app.core.idempotency import IdempotentRoute
from app.core.schemas import Date
from app.reports import export
from app.reports.export import ExportFormat, Language
from app.reports.overview import OverviewReport
from app.reports.schemas import Overview
from app.targets.service import TargetService

router = APIRouter(prefix="/reports", tags=["reports"], route_class=IdempotentRoute)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOWNLOADS: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            XLSX: {"schema": {"type": "string", "format": "binary"}},
        },
        "description": "JSON, or a CSV/XLSX download when format is csv or xlsx.",
    }
}
AsOf = Annotated[Date | None, Query(description="Figures as of this date; default today.")]
FormatParam = Annotated[ExportFormat, Query(description="json, csv or xlsx.")]
LangParam = Annotated[Language, Query(description="Labels of downloads: vi or en.")]


def _download(content: bytes, fmt: ExportFormat, name: str) -> Response:
    media = "text/csv; charset=utf-8" if fmt is ExportFormat.CSV else XLSX
    return Response(
        content,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt.value}"'},
    )


@router.get("/overview", response_model=Overview, responses=DOWNLOADS)
async def get_overview(
    session: SessionDep,
    as_of: AsOf = None,
    period_start: Annotated[Date | None, Query(description="Default: 1 January.")] = None,
    period_end: Annotated[Date | None, Query(description="Default: as_of.")] = None,
    format: FormatParam = ExportFormat.JSON,
    lang: LangParam = Language.VI,
) -> Overview | Response:
    """Every figure the committee reports: zones, enterprises, organizations, members,
    candidates, training, investment and the targets in force."""
    on = as_of or today()
    start = period_start or dt.date(on.year, 1, 1)
    end = period_end or on
    if start > end:
        raise RuleViolation("period_start is after period_end", field="period_start")
    overview = await OverviewReport(session, on, start, end).build()
    if format is ExportFormat.JSON:
        return overview
    name = f"overview-{on.isoformat()}"
    rows = export.overview_rows(overview, lang)
    targets = export.attainment_rows(overview.targets)
    if format is ExportFormat.CSV:
        return _download(export.to_csv(export.overview_header(lang), rows), format, name)
    sheets = [
        (export.label("overview", lang), export.overview_header(lang), rows),
        (export.label("attainment", lang), export.attainment_header(lang), targets),
    ]
    return _download(export.to_xlsx(sheets), format, name)


@router.get("/attainment", responses=DOWNLOADS)
async def download_attainment(
    session: SessionDep,
    as_of: AsOf = None,
    format: Annotated[Literal["csv", "xlsx"], Query(description="csv or xlsx.")] = "csv",
    lang: LangParam = Language.VI,
    include_quotas: Annotated[bool, Query(description="Also the organizations' quotas.")] = True,
) -> Response:
    """Attainment of all targets in force on `as_of` as a CSV or XLSX download."""
    on = as_of or today()
    download = ExportFormat(format)
    attainments = await TargetService(session).attainments_in_force(
        on, include_quotas=include_quotas
    )
    rows = export.attainment_rows(attainments)
    header = export.attainment_header(lang)
    name = f"attainment-{on.isoformat()}"
    if download is ExportFormat.CSV:
        return _download(export.to_csv(header, rows), download, name)
    return _download(
        export.to_xlsx([(export.label("attainment", lang), header, rows)]), download, name
    )
