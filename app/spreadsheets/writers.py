"""Registers written as CSV or XLSX while their rows are read: a server-side cursor in one
read-only snapshot, rows written in batches, so memory stays flat for a million rows."""

import asyncio
import csv
import datetime as dt
import io
import os
import tempfile
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from fastapi import Depends, Request
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from sqlalchemy import Select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from app.core.db import Database
from app.core.errors import ServiceUnavailable
from app.core.problem_codes import ProblemCode
from app.reports.export import neutralize_formula
from app.reports.labels import Language
from app.spreadsheets.columns import BOOLEAN_WORDS, Column

BATCH = 1000


async def snapshot_connection(request: Request) -> AsyncIterator[AsyncConnection]:
    """A connection of its own in one read-only REPEATABLE READ transaction, open until the
    response is sent (a dependency of the default, request scope): every row of an export is
    read from the same moment, however long the writing takes. On the replica when there is one
    (an export tolerates its lag, as lists do)."""
    database: Database = request.app.state.database
    async with (database.replica_engine or database.engine).connect() as connection:
        connection = await connection.execution_options(isolation_level="REPEATABLE READ")
        async with connection.begin():
            await connection.execute(text("SET TRANSACTION READ ONLY"))
            yield connection


SnapshotDep = Annotated[AsyncConnection, Depends(snapshot_connection)]


async def export_slot(request: Request) -> AsyncIterator[None]:
    """One of the exports a worker writes at once (half its connection pool): each holds a
    connection for its whole download, and slow downloads must not take every connection the
    other requests need. Beyond that, 503 with Retry-After."""
    state = request.app.state
    if getattr(state, "export_slots", None) is None:
        state.export_slots = asyncio.Semaphore(max(1, state.settings.db_pool_size // 2))
    slots: asyncio.Semaphore = state.export_slots
    if slots.locked():
        raise ServiceUnavailable(
            "as many exports as this service writes at once are being written; retry in a moment",
            code=ProblemCode.EXPORTS_BUSY,
            headers={"Retry-After": "5"},
        )
    async with slots:
        yield


async def batches(connection: AsyncConnection, stmt: Select[Any]) -> AsyncIterator[list[Any]]:
    """The statement's rows, BATCH at a time, from a server-side cursor."""
    result = await connection.stream(stmt.execution_options(yield_per=BATCH))
    async for partition in result.partitions(BATCH):
        yield list(partition)


def _text(value: Any, lang: Language) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        yes, no = BOOLEAN_WORDS[lang]
        return yes if value else no
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    return str(value)


def csv_header(columns: Sequence[Column], lang: Language) -> bytes:
    """The header line, after a BOM (Excel then reads the file as UTF-8)."""
    return ("\ufeff" + csv_lines([[c.header(lang) for c in columns]])).encode("utf-8")


def csv_lines(rows: Iterable[Sequence[Any]], lang: Language = Language.VI) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        # Only text a person typed is neutralized: a negative number stays a number.
        writer.writerow(
            [neutralize_formula(v) if isinstance(v, str) else _text(v, lang) for v in row]
        )
    return buffer.getvalue()


async def csv_chunks(
    columns: Sequence[Column], rows: AsyncIterator[list[Any]], lang: Language
) -> AsyncIterator[bytes]:
    """The file as it is read: the header, then a chunk per batch of rows."""
    yield csv_header(columns, lang)
    async for batch in rows:
        yield csv_lines(batch, lang).encode("utf-8")


_BOLD = Font(bold=True)


def _cell(value: Any, column: Column, lang: Language) -> Any:
    """A cell's value; text is written as a text cell (never a formula), so it needs no quote
    and reads back as typed (a phone number +84…)."""
    if value is None:
        return None
    if column.kind == "boolean":
        return _text(value, lang)
    if column.kind in ("integer", "date") or isinstance(value, int | Decimal):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", _text(value, lang))


class XlsxRegister:
    """A one-sheet workbook written row by row to a temporary file (openpyxl's write-only
    mode): a bold, frozen, filtered header, dates as dates, whole numbers as #,##0."""

    def __init__(self, title: str, columns: Sequence[Column], lang: Language) -> None:
        self.columns, self.lang = columns, lang
        self.workbook = Workbook(write_only=True)
        self.sheet: WriteOnlyWorksheet = self.workbook.create_sheet(title[:31])
        self.sheet.freeze_panes = "A2"
        for index, column in enumerate(columns, start=1):
            width = max(len(column.header(lang)) + 2, 12 if column.kind == "date" else 10)
            self.sheet.column_dimensions[get_column_letter(index)].width = min(width, 40)
        self.date_format = "dd/mm/yyyy" if lang is Language.VI else "yyyy-mm-dd"
        self.rows = 0
        header = []
        for column in columns:
            cell = self._write_only_cell(column.header(lang))
            cell.font = _BOLD
            header.append(cell)
        self.sheet.append(header)

    def _write_only_cell(self, value: Any) -> Any:
        cell = WriteOnlyCell(self.sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # text, never a formula
        return cell

    def append(self, batch: Iterable[Sequence[Any]]) -> None:
        for row in batch:
            cells = []
            for value, column in zip(row, self.columns, strict=True):
                cell = self._write_only_cell(_cell(value, column, self.lang))
                if column.kind == "date" and value is not None:
                    cell.number_format = self.date_format
                elif column.kind == "integer" and value is not None:
                    cell.number_format = "#,##0"
                cells.append(cell)
            self.sheet.append(cells)
            self.rows += 1

    def save(self) -> str:
        """The workbook's temporary file (the caller deletes it)."""
        last = get_column_letter(len(self.columns))
        self.sheet.auto_filter.ref = f"A1:{last}{self.rows + 1}"
        handle, path = tempfile.mkstemp(prefix="kcn-export-", suffix=".xlsx")
        os.close(handle)
        self.workbook.save(path)
        return path


async def xlsx_file(
    title: str, columns: Sequence[Column], rows: AsyncIterator[list[Any]], lang: Language
) -> str:
    """The register as a workbook in a temporary file; the writing runs off the event loop."""
    register = await asyncio.to_thread(XlsxRegister, title, columns, lang)
    async for batch in rows:
        await asyncio.to_thread(register.append, batch)
    return await asyncio.to_thread(register.save)


def file_chunks(path: str, size: int = 1 << 16) -> Iterator[bytes]:
    """A temporary file's bytes. The file is opened and its name removed at once, so that it
    is gone from the disk when the reading ends, however it ends (a client gone before the
    first byte included: the handle is then closed when the response is dropped)."""
    handle = open(path, "rb")  # noqa: SIM115 (closed by the generator, or with it)
    os.unlink(path)

    def chunks() -> Iterator[bytes]:
        with handle:
            while chunk := handle.read(size):
                yield chunk

    return chunks()
