"""Reading a spreadsheet a clerk uploads: CSV (UTF-8 with or without a BOM, `,` or `;`) or XLSX,
its header matched to the register's columns in Vietnamese or English, each cell read as its
column's kind. Problems are reported with the spreadsheet's row number (the header is row 1)."""

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook
from pydantic import BaseModel

from app.core.errors import RuleViolation
from app.core.problem_codes import ProblemCode
from app.core.schemas import EARLIEST_DATE, LATEST_DATE
from app.reports.export import FORMULA_TRIGGERS
from app.spreadsheets.columns import Column

XLSX_MAGIC = b"PK\x03\x04"
MAX_COLUMNS = 64  # a header may have blank cells after the register's columns
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_DAY_FIRST = re.compile(r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$")
_TRUE = {"có", "co", "yes", "y", "true", "1", "x"}
_FALSE = {"không", "khong", "no", "n", "false", "0"}


class RowError(BaseModel):
    """What is wrong in one place of the file."""

    row: int  # the spreadsheet's row number; the header is row 1
    column: str | None  # the header as the file writes it
    code: str
    message: str


@dataclass
class Sheet:
    columns: list[Column]  # in the file's order
    headers: list[str]  # as the file writes them
    rows: list[tuple[int, dict[str, Any]]]  # (row number, column key -> value)
    errors: list[RowError] = field(default_factory=list)


def _unreadable(message: str) -> RuleViolation:
    return RuleViolation(message, code=ProblemCode.UNREADABLE_FILE, field="file")


def _norm(text: Any) -> str:
    return unicodedata.normalize("NFC", "" if text is None else str(text)).strip().casefold()


def _cells(content: bytes) -> list[list[Any]]:
    """The file's rows of cells, as written."""
    if content.startswith(XLSX_MAGIC):
        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            sheet = book.worksheets[0]
            sheet.reset_dimensions()  # the file's own <dimension> may lie; read what is there
            # Read-only mode pads each row to its widest column: a cell at XFD2000 in a 5 KB
            # file would be billions of cells. No register has more than MAX_COLUMNS columns.
            rows = [list(row) for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)]
            book.close()
        except Exception as exc:  # not a workbook: a .docx, broken XML, a damaged archive
            raise _unreadable(f"the file is not a readable XLSX workbook ({exc})") from exc
        return rows
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _unreadable(
            f"the file is not UTF-8 text (byte {exc.start}); save it as CSV UTF-8 or XLSX"
        ) from exc
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return [list(row) for row in reader]
    except csv.Error as exc:  # a field over the csv module's limit, a stray NUL
        raise _unreadable(f"the file is not readable CSV ({exc})") from exc


def _blank(row: list[Any]) -> bool:
    return all(value is None or str(value).strip() == "" for value in row)


def read_sheet(content: bytes, columns: tuple[Column, ...], required: tuple[str, ...]) -> Sheet:
    """The file's header matched to `columns` and its rows read; an unreadable or empty file,
    an unknown or repeated header, or a missing required column is a 422 at once."""
    lines = _cells(content)
    while lines and _blank(lines[-1]):
        lines.pop()
    if not lines or _blank(lines[0]):
        raise _unreadable("the file is empty: it needs a header row and rows under it")
    names = {}
    for column in columns:
        for name in (column.vi, column.en, column.key):
            names[_norm(name)] = column
    found: list[Column] = []
    positions: list[int] = []  # each found column's place in the file's rows
    headers: list[str] = []
    problems = []
    for index, value in enumerate(lines[0]):
        header = str(value if value is not None else "").strip()
        if not header:
            continue  # a formatted, empty cell beside the header
        known = names.get(_norm(header))
        if known is None:
            problems.append(f"unknown column {header!r}")
        elif known in found:
            problems.append(f"column {header!r} appears twice")
        else:
            found.append(known)
            positions.append(index)
            headers.append(header)
    missing = [c.vi for c in columns if c.key in required and c not in found]
    if missing:
        problems.append("missing column(s) " + ", ".join(repr(m) for m in missing))
    if problems:
        raise _unreadable("the header does not fit the register: " + "; ".join(problems))
    sheet = Sheet(found, headers, [])
    for number, line in enumerate(lines[1:], start=2):
        if _blank(line):
            continue
        values: dict[str, Any] = {}
        for index, column, position in zip(range(len(found)), found, positions, strict=True):
            raw = line[position] if position < len(line) else None
            try:
                values[column.key] = read_cell(raw, column)
            except ValueError as exc:
                sheet.errors.append(
                    RowError(row=number, column=headers[index], code="invalid_value",
                             message=str(exc))
                )  # fmt: skip
        sheet.rows.append((number, values))
    return sheet


def read_cell(raw: Any, column: Column) -> Any:
    """A cell as its column's kind; None when empty. ValueError says what is wrong."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    if column.kind == "date":
        return _date(raw)
    if column.kind == "integer":
        return _integer(raw)
    if column.kind == "boolean":
        if isinstance(raw, bool | int) and raw in (0, 1):  # a workbook's TRUE/FALSE, 1/0
            return bool(raw)
        word = _norm(raw)
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise ValueError(f"{raw!r} is not yes or no (có/không)")
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # a code a spreadsheet stored as a number
    text = unicodedata.normalize("NFC", str(raw)).strip()
    if _CONTROL.search(text):
        raise ValueError("text must not contain control characters")
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_TRIGGERS:
        text = text[1:]  # the quote an export put before text that looks like a formula
    return text.lower() if column.kind == "code" else text


def _date(raw: Any) -> dt.date:
    if isinstance(raw, dt.datetime):
        day = raw.date()
    elif isinstance(raw, dt.date):
        day = raw
    else:
        text = str(raw).strip()
        match = _DAY_FIRST.match(text)
        try:
            if match:
                day = dt.date(int(match[3]), int(match[2]), int(match[1]))
            else:
                day = dt.date.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(f"{text!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)") from exc
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValueError(f"{day} is outside {EARLIEST_DATE.year}–{LATEST_DATE.year}")
    return day


def _integer(raw: Any) -> int:
    if isinstance(raw, bool):
        raise ValueError(f"{raw!r} is not a whole number")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = str(raw).strip().replace(" ", "").replace("\u00a0", "")
    if re.fullmatch(r"[0-9]{1,3}([.,][0-9]{3})+", text):  # 1.200 or 1,200
        text = re.sub(r"[.,]", "", text)
    if not re.fullmatch(r"-?[0-9]+", text):
        raise ValueError(f"{raw!r} is not a whole number")
    return int(text)
