"""Reading the report files back as a spreadsheet program would: the heading lines, then the
table after the first empty row."""

import csv
import io
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook


@dataclass
class FileTable:
    heading: list[Any]  # the lines above the table
    header: list[Any]
    rows: list[list[Any]]


def _split(lines: list[list[Any]]) -> FileTable:
    blank = next(n for n, line in enumerate(lines) if not any(v not in (None, "") for v in line))
    heading = [line[0] for line in lines[:blank]]
    return FileTable(heading, lines[blank + 1], lines[blank + 2 :])


def csv_table(content: bytes, delimiter: str = ",") -> FileTable:
    text = content.decode("utf-8-sig")
    return _split(list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)))


def xlsx_tables(content: bytes) -> dict[str, FileTable]:
    """Every sheet, after checking that no cell of any sheet is a formula."""
    book = load_workbook(io.BytesIO(content))
    sheets = {}
    for sheet in book.worksheets:
        lines = []
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
            lines.append([cell.value for cell in row])
        sheets[sheet.title] = _split(lines)
    return sheets
