"""Files as clerks really send them (found in review): what an export quoted reads back as
typed, workbooks' own booleans, blank header cells, control characters, files that are no
spreadsheet, and a refused row that leaves nothing a later row could trip on."""

import datetime as dt
import io
import zipfile

import httpx
import pytest
from openpyxl import Workbook

from tests.fixtures.registry import (
    EnterpriseFactory,
    MemberFactory,
    OrganizationFactory,
    ZoneFactory,
)
from tests.problems import assert_problem

IMPORTS = "/api/v1/imports"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _workbook(*rows: list[object]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def _post(
    client: httpx.AsyncClient, register: str, content: bytes, **params: str
) -> httpx.Response:
    media = XLSX if content.startswith(b"PK") else "text/csv"
    return await client.post(
        f"{IMPORTS}/{register}", params=params, files={"file": ("f", content, media)}
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
async def test_text_an_export_quoted_imports_back_as_typed(
    editor: httpx.AsyncClient,
    make_enterprise: EnterpriseFactory,
    make_member: MemberFactory,
    fmt: str,
) -> None:
    employer = await make_enterprise(tax_code="0100000001")
    await make_member(full_name="An", enterprise_id=employer.id, phone="+84 912 345 678",
                      notes="- ghi chú")  # fmt: skip
    exported = await editor.get("/api/v1/exports/members", params={"format": fmt})

    answer = await _post(editor, "members", exported.content)

    assert answer.status_code == 200, answer.text
    assert answer.json()["unchanged"] == 1


async def test_a_workbooks_own_booleans_and_blank_header_cells_are_read(
    editor: httpx.AsyncClient, make_zone: ZoneFactory
) -> None:
    await make_zone(code="KCN-A")
    content = _workbook(
        ["Mã số thuế", "Tên doanh nghiệp", "Mã KCN", "Loại hình sở hữu", "Có công đoàn", None],
        ["0100000001", "A", "KCN-A", "state", False, None],
        ["0100000002", "B", "KCN-A", "state", True, None],
    )
    answer = await _post(editor, "enterprises", content, dry_run="true")
    assert answer.status_code == 200, answer.text
    assert answer.json()["created"] == 2


async def test_a_control_character_in_a_cell_is_that_cells_problem(
    editor: httpx.AsyncClient, make_zone: ZoneFactory
) -> None:
    await make_zone(code="KCN-A")
    content = (
        "Mã số thuế,Tên doanh nghiệp,Mã KCN,Loại hình sở hữu\r\n0100000001,A\x00B,KCN-A,state\r\n"
    )

    answer = await _post(editor, "enterprises", content.encode())

    problem = assert_problem(answer, 422, "import_refused")
    [error] = problem["report"]["errors"]
    assert (error["row"], error["column"], error["code"]) == (
        2,
        "Tên doanh nghiệp",
        "invalid_value",
    )


async def test_an_office_file_that_is_no_workbook_is_unreadable(editor: httpx.AsyncClient) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")

    answer = await _post(editor, "enterprises", buffer.getvalue())

    assert_problem(answer, 422, "unreadable_file")


async def test_a_far_away_cell_does_not_blow_up_the_import(
    editor: httpx.AsyncClient, make_zone: ZoneFactory
) -> None:
    await make_zone(code="KCN-A")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Mã số thuế", "Tên doanh nghiệp", "Mã KCN", "Loại hình sở hữu"])
    sheet.append(["0100000001", "A", "KCN-A", "state"])
    sheet["XFD3"] = "x"  # column 16,384
    buffer = io.BytesIO()
    book.save(buffer)

    answer = await _post(editor, "enterprises", buffer.getvalue(), dry_run="true")

    assert answer.status_code == 200, answer.text
    assert answer.json()["created"] == 1


async def test_a_refused_organization_row_leaves_nothing_a_later_row_trips_on(
    editor: httpx.AsyncClient,
    make_enterprise: EnterpriseFactory,
    make_organization: OrganizationFactory,
    make_member: MemberFactory,
) -> None:
    employer = await make_enterprise(tax_code="0100000001")
    committee = await make_organization(
        kind="grassroots_committee", name="Đảng bộ X", enterprise_id=employer.id
    )
    await make_member(full_name="B", registered_on=dt.date(2014, 1, 1),
                      admitted_on=dt.date(2015, 1, 1), organization_id=committee.id)  # fmt: skip
    header = (
        "Tên tổ chức đảng,Loại tổ chức,Đảng bộ cấp trên,Mã số thuế doanh nghiệp,Ngày thành lập,"
        "Số quyết định,Ngày giải thể"
    )
    content = (
        f"{header}\r\n"
        "Đảng bộ X,grassroots_committee,,0100000001,2010-01-01,MỚI,2024-01-01\r\n"
        "Chi bộ Y,affiliated_cell,Đảng bộ X,,2012-01-01,,\r\n"
    ).encode()

    answer = await _post(editor, "organizations", content, dry_run="true")

    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert [(e["row"], e["code"]) for e in report["errors"]] == [(2, "has_active_members")]
    assert report["created"] == 1


async def test_a_multipart_content_type_in_capitals_is_fingerprinted(
    editor: httpx.AsyncClient, make_zone: ZoneFactory
) -> None:
    await make_zone(code="KCN-A")
    boundary = "kcnboundary"
    csv = "Mã số thuế,Tên doanh nghiệp,Mã KCN,Loại hình sở hữu\r\n0100000001,A,KCN-A,state\r\n"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n'
        f"Content-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n"
    ).encode()
    headers = {
        "Content-Type": f"Multipart/Form-Data; boundary={boundary}",
        "Idempotency-Key": "0b6f3c1e-2d4a-4b8e-9c7d-1e2f3a4b5c6d",
    }

    answer = await editor.post(f"{IMPORTS}/enterprises", content=body, headers=headers)

    assert answer.status_code == 200, answer.text
