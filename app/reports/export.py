"""The overview and the attainment list as files people open, print and file: CSV and XLSX (PDF
in app.reports.pdf), each headed by its title, the committee, the as-of date and the period.

Every text cell goes through `neutralize_formula`, so a name a user typed never runs as a
spreadsheet formula (CSV injection).
"""

import csv
import datetime as dt
import io
import urllib.parse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from app.reports.labels import (
    Language,
    as_of_line,
    code_label,
    committee,
    label,
    period_line,
    written_date,
)
from app.reports.schemas import Overview
from app.targets.schemas import Attainment

SECTIONS = (
    "zones", "enterprises", "organizations", "members", "candidates", "investment", "plans",
    "materials",
)  # fmt: skip
ATTAINMENT_COLUMNS = (
    "name", "metric", "scope", "period_start", "period_end", "due_on", "actual", "target",
    "min_value", "max_value", "percent", "percent_of_max", "remaining", "expected", "forecast",
    "needed_per_month", "status",
)  # fmt: skip

# `comma`: RFC 4180, decimal point (any program). `semicolon`: `;` between fields and a decimal
# comma, what a spreadsheet set to Vietnamese (or most European locales) reads as numbers.
Separator = Literal["comma", "semicolon"]


@dataclass(frozen=True)
class Table:
    name: str  # the sheet's name
    header: list[str]
    rows: list[list[Any]]


@dataclass(frozen=True)
class Bar:
    """One target in the attainment chart: its name, what is done, and the line to reach (the
    value, or a range's minimum)."""

    name: str
    actual: int
    target: int


@dataclass(frozen=True)
class ReportFile:
    """A report as a file: what it is (`overview`, `attainment`), in which language, as of
    when, for which period, its tables (the first is the CSV's), and the targets to chart."""

    kind: Literal["overview", "attainment"]
    lang: Language
    as_of: dt.date
    period: tuple[dt.date, dt.date] | None
    tables: list[Table]
    bars: list[Bar]

    @property
    def title(self) -> str:
        return label(f"{self.kind}.title", self.lang)

    def heading(self) -> list[str]:
        """The lines above the table: title, committee, as-of date, period."""
        lines = [self.title, committee(self.lang), as_of_line(self.as_of, self.lang)]
        if self.period is not None:
            lines.append(period_line(*self.period, self.lang))
        return lines

    def content_disposition(self, extension: str) -> str:
        """`attachment` with a language- and date-specific name: `bao-cao-tong-hop-2024-06-30
        .xlsx` in Vietnamese, `overview-2024-06-30.xlsx` in English (ASCII, RFC 6266)."""
        name = f"{label(f'{self.kind}.file', self.lang)}-{self.as_of.isoformat()}.{extension}"
        return f"attachment; filename=\"{name}\"; filename*=UTF-8''{urllib.parse.quote(name)}"


def overview_file(overview: Overview, lang: Language) -> ReportFile:
    rows: list[list[Any]] = []
    for section in SECTIONS:
        figures = getattr(overview, section).model_dump(exclude={"by_zone"})
        for key, value in figures.items():
            shown = ", ".join(value) if isinstance(value, list) else value  # languages
            rows.append([label(section, lang), label(f"{section}.{key}", lang), shown])
    for zone in overview.enterprises.by_zone:
        rows.append([label("enterprises", lang), zone.name, zone.enterprises])
    header = [label("section", lang), label("indicator", lang), label("value", lang)]
    return ReportFile(
        "overview",
        lang,
        overview.as_of,
        (overview.period_start, overview.period_end),
        [
            Table(label("overview", lang), header, rows),
            _attainment_table(overview.targets, lang),
        ],
        _bars(overview.targets),
    )


def attainment_file(
    attainments: Sequence[Attainment], as_of: dt.date, lang: Language
) -> ReportFile:
    table = _attainment_table(attainments, lang)
    return ReportFile("attainment", lang, as_of, None, [table], _bars(attainments))


def _bars(attainments: Iterable[Attainment]) -> list[Bar]:
    return [
        Bar(attainment.name, attainment.actual, line)
        for attainment in attainments
        if (line := attainment.target if attainment.target is not None else attainment.min_value)
    ]


def _attainment_table(attainments: Iterable[Attainment], lang: Language) -> Table:
    header = [label(column, lang) for column in ATTAINMENT_COLUMNS]
    rows = [
        [_readable(getattr(attainment, column), lang) for column in ATTAINMENT_COLUMNS]
        for attainment in attainments
    ]
    return Table(label("attainment", lang), header, rows)


def _readable(value: Any, lang: Language) -> Any:
    return code_label(value, lang) if isinstance(value, StrEnum) else value


# What makes Excel, LibreOffice or Google Sheets read a cell as a formula (OWASP, CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralize_formula(value: Any) -> Any:
    """Text starting like a formula gets a leading `'` so it stays text; numbers (a negative
    one included), dates and None pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _csv_value(value: Any, lang: Language, separator: Separator) -> Any:
    if isinstance(value, dt.date):
        return written_date(value, lang)
    if isinstance(value, Decimal) and separator == "semicolon":
        return str(value).replace(".", ",")
    return neutralize_formula(value)


def to_csv(report: ReportFile, separator: Separator = "comma") -> bytes:
    """The heading lines, a blank line, then the first table; UTF-8 with a BOM (Excel)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if separator == "semicolon" else ",")
    for line in report.heading():
        writer.writerow([neutralize_formula(line)])
    writer.writerow([])
    table = report.tables[0]
    writer.writerow([neutralize_formula(text) for text in table.header])
    for row in table.rows:
        writer.writerow([_csv_value(value, report.lang, separator) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _number_format(value: Any, lang: Language) -> str | None:
    """Whole numbers with thousands separators, one-decimal figures (percentages, paces) with
    their decimal, dates as the language writes them."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return "#,##0"
    if isinstance(value, Decimal):
        return "#,##0.0" if value.as_tuple().exponent == -1 else "#,##0"
    if isinstance(value, dt.date):
        return "dd/mm/yyyy" if lang is Language.VI else "yyyy-mm-dd"
    return None


def _cell(value: Any) -> Any:
    """Numbers stay numbers (Decimal becomes float); text loses characters XLSX cannot hold,
    then is neutralized (a dropped control character must not uncover a leading `=`)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return neutralize_formula(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def _append(sheet: Worksheet, row: Sequence[Any], lang: Language) -> None:
    sheet.append([_cell(value) for value in row])
    for cell, value in zip(sheet[sheet.max_row], row, strict=False):
        if isinstance(cell.value, str):
            cell.data_type = "s"  # text, never a formula (openpyxl's guess for a leading "=")
        elif (number_format := _number_format(value, lang)) is not None:
            cell.number_format = number_format


def _sheet(sheet: Worksheet, report: ReportFile, table: Table) -> None:
    heading = report.heading()
    for line in heading:
        _append(sheet, [line], report.lang)
    sheet["A1"].font = _TITLE
    sheet.append([])
    header_row = len(heading) + 2
    _append(sheet, table.header, report.lang)
    for cell in sheet[header_row]:
        cell.font, cell.fill, cell.alignment = _BOLD, _HEADER_FILL, _WRAP
    for row in table.rows:
        _append(sheet, row, report.lang)
    last_column = sheet.cell(header_row, len(table.header)).column_letter
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.auto_filter.ref = f"A{header_row}:{last_column}{max(sheet.max_row, header_row)}"
    for index, _title in enumerate(table.header, start=1):
        letter = sheet.cell(header_row, index).column_letter
        values = [sheet.cell(row, index).value for row in range(header_row, sheet.max_row + 1)]
        width = max(len(str(value)) if value is not None else 0 for value in values)
        sheet.column_dimensions[letter].width = min(max(width + 2, 10), 50)
    # A4 landscape, every column on one page wide, the header repeated on each printed page.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"


def to_xlsx(report: ReportFile) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = report.title
    workbook.properties.creator = committee(report.lang)
    for table in report.tables:
        _sheet(workbook.create_sheet(table.name[:31]), report, table)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
