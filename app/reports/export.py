"""CSV and XLSX renderings of the overview and the attainment list, in Vietnamese or English.

Every text cell goes through `neutralize_formula`, so a name a user typed never runs as a
spreadsheet formula (CSV injection).
"""

import csv
import io
import itertools
from collections.abc import Iterable, Sequence
from decimal import Decimal
from enum import StrEnum
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet

from app.reports.schemas import Overview
from app.targets.schemas import Attainment


class Language(StrEnum):
    VI = "vi"
    EN = "en"


class ExportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


# key -> (Vietnamese, English)
LABELS: dict[str, tuple[str, str]] = {
    "section": ("Nhóm", "Section"),
    "indicator": ("Chỉ số", "Indicator"),
    "value": ("Giá trị", "Value"),
    "zones": ("Khu công nghiệp", "Industrial zones"),
    "zones.operating": ("KCN đang hoạt động", "Operating zones"),
    "zones.established_in_period": ("KCN thành lập trong kỳ", "Zones established in period"),
    "enterprises": ("Doanh nghiệp", "Enterprises"),
    "enterprises.total": ("Tổng số doanh nghiệp", "Enterprises"),
    "enterprises.state": ("DN nhà nước", "State-owned"),
    "enterprises.domestic_private": ("DN tư nhân trong nước", "Domestic private"),
    "enterprises.fdi": ("DN có vốn đầu tư nước ngoài", "Foreign-invested (FDI)"),
    "enterprises.workers": ("Người lao động", "Workers"),
    "organizations": ("Tổ chức đảng", "Party organizations"),
    "organizations.grassroots": ("Tổ chức cơ sở đảng", "Grassroots organizations"),
    "organizations.grassroots_committees": ("Đảng bộ cơ sở", "Grassroots committees"),
    "organizations.grassroots_cells": ("Chi bộ cơ sở", "Grassroots cells"),
    "organizations.in_non_state_enterprises": ("Trong DN ngoài nhà nước", "In non-state"),
    "organizations.in_fdi_enterprises": ("Trong DN FDI", "In FDI enterprises"),
    "organizations.affiliated_cells": ("Chi bộ trực thuộc", "Affiliated cells"),
    "organizations.enterprises_covered": ("DN có tổ chức đảng", "Enterprises covered"),
    "organizations.enterprises_covered_percent": ("Tỷ lệ DN có tổ chức đảng (%)", "Covered (%)"),
    "organizations.established_in_period": ("TCCS đảng thành lập trong kỳ", "Established"),
    "members": ("Đảng viên", "Party members"),
    "members.total": ("Tổng số đảng viên", "Members"),
    "members.official": ("Đảng viên chính thức", "Official members"),
    "members.probationary": ("Đảng viên dự bị", "Probationary members"),
    "members.per_1000_workers": ("Đảng viên/1.000 lao động", "Members per 1,000 workers"),
    "members.admitted_in_period": ("Kết nạp trong kỳ", "Admitted in period"),
    "members.recognized_in_period": ("Công nhận chính thức trong kỳ", "Recognized in period"),
    "candidates": ("Quần chúng ưu tú", "Candidates"),
    "candidates.dossiers_in_progress": ("Hồ sơ đang xét", "Dossiers in progress"),
    "candidates.dossiers_stale": ("Hồ sơ quá 12 tháng", "Dossiers over 12 months"),
    "candidates.trained_in_period": ("Được bồi dưỡng nhận thức", "Trained in period"),
    "candidates.classes_in_period": ("Lớp bồi dưỡng", "Awareness classes"),
    "investment": ("Đầu tư", "Investment"),
    "investment.new_projects": ("Dự án mới", "New projects"),
    "investment.new_fdi_projects": ("Dự án FDI mới", "New FDI projects"),
    "investment.new_fdi_capital_usd": ("Vốn FDI đăng ký mới (USD)", "New FDI capital (USD)"),
    "investment.active_projects": ("Dự án còn hiệu lực", "Active projects"),
    "investment.active_capital_usd": ("Vốn đăng ký lũy kế (USD)", "Registered capital (USD)"),
    "overview": ("Tổng quan", "Overview"),
    "attainment": ("Chỉ tiêu", "Targets"),
    "name": ("Tên chỉ tiêu", "Target"),
    "metric": ("Chỉ số", "Metric"),
    "scope": ("Phạm vi", "Scope"),
    "period_start": ("Từ ngày", "Period start"),
    "period_end": ("Đến ngày", "Period end"),
    "due_on": ("Hạn hoàn thành", "Due on"),
    "actual": ("Thực hiện", "Actual"),
    "target": ("Chỉ tiêu", "Target"),
    "min_value": ("Tối thiểu", "Minimum"),
    "max_value": ("Tối đa", "Maximum"),
    "percent": ("Tỷ lệ (%)", "Percent"),
    "percent_of_max": ("Tỷ lệ so với tối đa (%)", "Percent of maximum"),
    "remaining": ("Còn lại", "Remaining"),
    "expected": ("Theo tiến độ", "Expected by now"),
    "forecast": ("Dự báo cuối kỳ", "Forecast"),
    "needed_per_month": ("Cần mỗi tháng", "Needed per month"),
    "status": ("Đánh giá", "Status"),
}

SECTIONS = ("zones", "enterprises", "organizations", "members", "candidates", "investment")
ATTAINMENT_COLUMNS = (
    "name", "metric", "scope", "period_start", "period_end", "due_on", "actual", "target",
    "min_value", "max_value", "percent", "percent_of_max", "remaining", "expected", "forecast",
    "needed_per_month", "status",
)  # fmt: skip


def label(key: str, lang: Language) -> str:
    vi, en = LABELS.get(key, (key, key))
    return vi if lang is Language.VI else en


def overview_rows(overview: Overview, lang: Language) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for section in SECTIONS:
        figures = getattr(overview, section).model_dump(exclude={"by_zone"})
        for key, value in figures.items():
            rows.append([label(section, lang), label(f"{section}.{key}", lang), value])
    for zone in overview.enterprises.by_zone:
        rows.append([label("enterprises", lang), zone.name, zone.enterprises])
    return rows


def attainment_rows(attainments: Iterable[Attainment]) -> list[list[Any]]:
    return [[_plain(getattr(a, column)) for column in ATTAINMENT_COLUMNS] for a in attainments]


def _plain(value: Any) -> Any:
    if isinstance(value, StrEnum):
        return value.value
    return value


# What makes Excel, LibreOffice or Google Sheets read a cell as a formula (OWASP, CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralize_formula(value: Any) -> Any:
    """Text starting like a formula gets a leading `'` so it stays text; numbers (a negative
    one included), dates and None pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    """Numbers stay numbers (Decimal becomes float); text loses characters XLSX cannot hold,
    then is neutralized (a dropped control character must not uncover a leading `=`)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return neutralize_formula(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in itertools.chain([header], rows):
        writer.writerow([neutralize_formula(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens it as UTF-8


def _append(sheet: Worksheet, row: Iterable[Any]) -> None:
    sheet.append([_cell(value) for value in row])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # text, never a formula (openpyxl's guess for a leading "=")


def to_xlsx(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        _append(sheet, header)
        for row in rows:
            _append(sheet, row)
        for column in sheet.columns:
            width = max(len(str(cell.value or "")) for cell in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def overview_header(lang: Language) -> list[str]:
    return [label("section", lang), label("indicator", lang), label("value", lang)]


def attainment_header(lang: Language) -> list[str]:
    return [label(column, lang) for column in ATTAINMENT_COLUMNS]
