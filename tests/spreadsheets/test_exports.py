"""The registers as files (issue 14): the list's filters, headers in the chosen language, one row
per record, formula-looking text neutralized, personal columns only for those who may see them."""

import asyncio
import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.dates import today
from app.models import Enterprise, EnterpriseEvent, EnterpriseEventKind, Role
from app.spreadsheets.writers import file_chunks
from tests.conftest import client_for
from tests.fixtures.auth import UserFactory, token_for
from tests.fixtures.registry import EnterpriseFactory, MemberFactory, ZoneFactory
from tests.problems import assert_problem

EXPORTS = "/api/v1/exports"


def _csv(response: httpx.Response, delimiter: str = ",") -> list[list[str]]:
    assert response.status_code == 200, response.text
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


async def test_enterprises_export_with_the_lists_filters_and_vietnamese_headers(
    viewer: httpx.AsyncClient, make_zone: ZoneFactory, make_enterprise: EnterpriseFactory
) -> None:
    zone, other = await make_zone(code="KCN-A"), await make_zone(code="KCN-B")
    await make_enterprise(zone=zone, name="=HYPERLINK(1)", tax_code="0100000001")
    await make_enterprise(
        zone=zone, name="Công ty Hàn", tax_code="0100000002", ownership="fdi", has_trade_union=True
    )
    await make_enterprise(zone=other, name="Công ty khác", tax_code="0100000003")

    response = await viewer.get(f"{EXPORTS}/enterprises", params={"zone_id": zone.id})
    rows = _csv(response)

    assert rows[0][:4] == ["Mã số thuế", "Tên doanh nghiệp", "Tên nước ngoài", "Mã KCN"]
    by_tax_code = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert set(by_tax_code) == {"0100000001", "0100000002"}
    korean = by_tax_code["0100000002"]
    assert (korean["Mã KCN"], korean["Loại hình sở hữu"], korean["Quốc gia nhà đầu tư"]) == (
        "KCN-A",
        "fdi",
        "KR",
    )
    assert (korean["Có công đoàn"], korean["Số lao động"]) == ("có", "100")
    assert korean["Ngày đăng ký"] == "2000-01-01"
    assert by_tax_code["0100000001"]["Tên doanh nghiệp"] == "'=HYPERLINK(1)"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="enterprises-{today().isoformat()}.csv"'
    )


async def test_enterprises_as_of_a_date_are_those_open_then_with_their_workers_then(
    editor: httpx.AsyncClient,
    session: AsyncSession,
    make_zone: ZoneFactory,
    make_enterprise: EnterpriseFactory,
) -> None:
    zone = await make_zone()
    grown: Enterprise = await make_enterprise(zone=zone, tax_code="0100000001", workers_count=100)
    session.add(
        EnterpriseEvent(
            enterprise_id=grown.id,
            kind=EnterpriseEventKind.WORKFORCE_REPORTED,
            occurred_on=dt.date(2023, 1, 1),
            workers_count=250,
        )
    )
    await make_enterprise(zone=zone, tax_code="0100000002", registered_on=dt.date(2024, 1, 1))
    await session.commit()

    rows = _csv(
        await editor.get(f"{EXPORTS}/enterprises", params={"as_of": "2022-06-30", "lang": "en"})
    )
    assert rows[0][0] == "Tax code"
    workers = rows[0].index("Workers")
    assert [(row[0], row[workers]) for row in rows[1:]] == [("0100000001", "100")]
    later = _csv(await editor.get(f"{EXPORTS}/enterprises", params={"as_of": "2024-06-30"}))
    assert sorted(row[0] for row in later[1:]) == ["0100000001", "0100000002"]
    assert {row[0]: row[later[0].index("Số lao động")] for row in later[1:]}["0100000001"] == "250"


async def test_a_workbook_export_has_a_frozen_filtered_header_and_typed_cells(
    editor: httpx.AsyncClient, make_zone: ZoneFactory, make_enterprise: EnterpriseFactory
) -> None:
    zone = await make_zone()
    for n in range(3):
        await make_enterprise(zone=zone, tax_code=f"010000000{n}", workers_count=1000 + n)

    response = await editor.get(f"{EXPORTS}/enterprises", params={"format": "xlsx"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    header = [cell.value for cell in sheet[1]]
    assert header[0] == "Mã số thuế"
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}4"
    row = sheet[2]
    workers = row[header.index("Số lao động")]
    registered = row[header.index("Ngày đăng ký")]
    assert (workers.value, workers.number_format) == (1000, "#,##0")
    assert registered.value == dt.datetime(2000, 1, 1)
    assert registered.number_format == "dd/mm/yyyy"


async def test_members_export_leaves_personal_columns_to_those_who_may_see_them(
    editor: httpx.AsyncClient,
    viewer: httpx.AsyncClient,
    make_member: MemberFactory,
    make_enterprise: EnterpriseFactory,
) -> None:
    employer = await make_enterprise(tax_code="0100000009")
    await make_member(full_name="Nguyễn Văn An", enterprise_id=employer.id, phone="0912345678")

    full = _csv(await editor.get(f"{EXPORTS}/members", params={"lang": "en"}))
    [an] = [dict(zip(full[0], row, strict=True)) for row in full[1:]]
    assert (an["Full name"], an["Enterprise tax code"], an["Phone"]) == (
        "Nguyễn Văn An",
        "0100000009",
        "0912345678",
    )
    assert an["Date of birth"]
    assert an["Status"] == "candidate"

    shown = _csv(await viewer.get(f"{EXPORTS}/members", params={"lang": "en"}))
    assert "Phone" not in shown[0]
    assert "Date of birth" not in shown[0]
    assert "Notes" not in shown[0]
    assert [row[0] for row in shown[1:]] == ["Nguyễn Văn An"]


async def test_members_export_as_of_a_date_lists_who_was_in_the_records_then(
    editor: httpx.AsyncClient, make_member: MemberFactory, make_organization: Any
) -> None:
    """With the list's status then: the same rows as the list as of that date."""
    cell = await make_organization(kind="grassroots_cell", name="Chi bộ Công ty B")
    await make_member(
        full_name="Lê Văn Trước",
        registered_on=dt.date(2020, 1, 1),
        admitted_on=dt.date(2022, 3, 1),
        organization_id=cell.id,
    )
    await make_member(full_name="Lê Văn Sau", registered_on=dt.date(2023, 1, 1))
    as_of = {"as_of": "2021-06-30"}
    rows = _csv(await editor.get(f"{EXPORTS}/members", params=as_of | {"lang": "en"}))
    exported = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    listed = (await editor.get("/api/v1/members", params=as_of)).json()["items"]
    assert [(m["Full name"], m["Status"]) for m in exported] == [("Lê Văn Trước", "candidate")]
    assert [(m["full_name"], m["status"]) for m in listed] == [("Lê Văn Trước", "candidate")]


async def test_organizations_export_names_parents_and_enterprises(
    editor: httpx.AsyncClient, make_enterprise: EnterpriseFactory, make_organization: Any
) -> None:
    employer = await make_enterprise(tax_code="0100000007")
    committee = await make_organization(
        kind="grassroots_committee", name="Đảng bộ Công ty A", enterprise_id=employer.id
    )
    await make_organization(
        kind="affiliated_cell", name="Chi bộ Phân xưởng 1", parent_id=committee.id
    )

    rows = _csv(await editor.get(f"{EXPORTS}/organizations"))
    by_name = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert by_name["Chi bộ Phân xưởng 1"]["Đảng bộ cấp trên"] == "Đảng bộ Công ty A"
    assert by_name["Đảng bộ Công ty A"]["Mã số thuế doanh nghiệp"] == "0100000007"
    assert by_name["Đảng bộ Công ty A"]["Loại tổ chức"] == "grassroots_committee"


async def test_a_large_register_is_written_whole_in_order(
    viewer: httpx.AsyncClient, session: AsyncSession, make_zone: ZoneFactory
) -> None:
    zone = await make_zone()
    rows = [
        Enterprise(
            tax_code=f"02{n:08d}",
            name=f"Công ty {n:05d}",
            zone_id=zone.id,
            ownership="domestic_private",
            status="operating",
            workers_count=n,
            registered_on=dt.date(2001, 1, 1),
        )
        for n in range(2500)  # more than two batches
    ]
    session.add_all(rows)
    await session.flush()
    session.add_all(
        EnterpriseEvent(
            enterprise_id=e.id,
            kind=EnterpriseEventKind.REGISTERED,
            occurred_on=e.registered_on,
            workers_count=e.workers_count,
        )
        for e in rows
    )
    await session.commit()

    lines = _csv(await viewer.get(f"{EXPORTS}/enterprises", params={"as_of": "2024-01-01"}))

    assert [line[1] for line in lines[1:]] == [f"Công ty {n:05d}" for n in range(2500)]


async def test_an_unknown_format_or_filter_is_refused(viewer: httpx.AsyncClient) -> None:
    assert_problem(
        await viewer.get(f"{EXPORTS}/enterprises", params={"format": "pdf"}),
        422,
        "validation_error",
    )
    assert_problem(
        await viewer.get(f"{EXPORTS}/members", params={"as_of": "yesterday"}),
        422,
        "validation_error",
    )


async def test_exports_beyond_the_workers_share_of_connections_wait_their_turn(
    fresh_app: FastAPI, make_user: UserFactory
) -> None:
    """Each export holds a connection for its download: a worker writes at most half its pool
    at once, so slow downloads never take the connections other requests need."""
    fresh_app.state.export_slots = asyncio.Semaphore(1)
    async with client_for(fresh_app, token_for(await make_user(Role.VIEWER))) as viewer:
        await fresh_app.state.export_slots.acquire()  # an export being downloaded
        busy = await viewer.get(f"{EXPORTS}/enterprises")
        fresh_app.state.export_slots.release()
        free = await viewer.get(f"{EXPORTS}/enterprises")

    assert_problem(busy, 503, "exports_busy")
    assert busy.headers["Retry-After"] == "5"
    assert free.status_code == 200, free.text
    assert not fresh_app.state.export_slots.locked()  # the slot is given back when sent


def test_a_workbook_leaves_no_file_behind_read_or_not(tmp_path: Path) -> None:
    """The workbook's temporary file is gone once its download is set up: a client that
    leaves before the first byte (the chunks never read) leaves nothing on the disk."""
    written = [tmp_path / "read.xlsx", tmp_path / "abandoned.xlsx"]
    for path in written:
        path.write_bytes(b"x" * 100_000)

    read = b"".join(file_chunks(str(written[0]), size=4096))
    abandoned = file_chunks(str(written[1]))

    assert read == b"x" * 100_000
    assert list(tmp_path.iterdir()) == []
    del abandoned
