"""Downloads are reports for people (issue 13): each its own operation with its own media type,
a file name in the reader's language with the date, a heading (title, committee, as-of date,
period), every code in words, and a workbook that prints."""

import io
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from tests.reports.files import csv_table, xlsx_tables

AS_OF = {"as_of": "2023-12-31"}
PERIOD = AS_OF | {"period_start": "2023-01-01", "period_end": "2023-12-31"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
async def target(editor: httpx.AsyncClient) -> dict[str, Any]:
    """A committee target of 3 admissions in 2023, with one organization to admit into."""
    organization = await editor.post(
        "/api/v1/organizations",
        json={"name": "Chi bộ A", "kind": "grassroots_cell", "established_on": "2023-01-01"},
    )
    assert organization.status_code == 201, organization.text
    created = await editor.post(
        "/api/v1/targets",
        json={
            "name": "Thành lập chi bộ",
            "metric": "organizations_established",
            "period_start": "2023-01-01",
            "period_end": "2023-12-31",
            "value": 3,
        },
    )
    assert created.status_code == 201, created.text
    body: dict[str, Any] = created.json()
    return body


async def test_each_download_is_its_own_operation_with_its_one_media_type(
    anon: httpx.AsyncClient,
) -> None:
    paths = (await anon.get("/openapi.json")).json()["paths"]
    expected = {
        "/api/v1/reports/overview.csv": "text/csv",
        "/api/v1/reports/overview.xlsx": XLSX,
        "/api/v1/reports/overview.pdf": "application/pdf",
        "/api/v1/reports/attainment.csv": "text/csv",
        "/api/v1/reports/attainment.xlsx": XLSX,
        "/api/v1/reports/attainment.pdf": "application/pdf",
    }
    for path, media_type in expected.items():
        ok = paths[path]["get"]["responses"]["200"]
        assert list(ok["content"]) == [media_type], path
        assert "Content-Disposition" in ok["headers"], path
    overview = paths["/api/v1/reports/overview"]["get"]
    assert list(overview["responses"]["200"]["content"]) == ["application/json"]
    assert {p["name"] for p in overview["parameters"]} == {"as_of", "period_start", "period_end"}


@pytest.mark.parametrize(
    ("path", "lang", "name"),
    [
        ("overview.xlsx", "vi", "bao-cao-tong-hop-2023-12-31.xlsx"),
        ("overview.csv", "en", "overview-2023-12-31.csv"),
        ("attainment.csv", "vi", "ket-qua-thuc-hien-chi-tieu-2023-12-31.csv"),
        ("attainment.xlsx", "en", "attainment-2023-12-31.xlsx"),
    ],
)
async def test_file_names_carry_the_language_and_the_date(
    viewer: httpx.AsyncClient, path: str, lang: str, name: str
) -> None:
    response = await viewer.get(f"/api/v1/reports/{path}", params=AS_OF | {"lang": lang})

    assert response.status_code == 200, response.text
    assert f'filename="{name}"' in response.headers["Content-Disposition"]
    assert response.headers["Content-Disposition"].startswith("attachment;")


async def test_files_are_headed_by_title_committee_date_and_period(
    viewer: httpx.AsyncClient,
) -> None:
    csv_vi = await viewer.get("/api/v1/reports/overview.csv", params=PERIOD)
    assert csv_table(csv_vi.content).heading == [
        "Báo cáo tổng hợp",
        "Đảng ủy các khu công nghiệp và chế xuất Hà Nội",
        "Số liệu đến ngày 31/12/2023",
        "Kỳ báo cáo: từ 01/01/2023 đến 31/12/2023",
    ]
    xlsx_en = await viewer.get("/api/v1/reports/attainment.xlsx", params=AS_OF | {"lang": "en"})
    [sheet] = xlsx_tables(xlsx_en.content).values()
    assert sheet.heading == [
        "Attainment of targets",
        "Party Committee of Hanoi's industrial and export-processing zones",
        "As of 2023-12-31",
    ]


async def test_every_code_is_written_in_the_files_language(
    viewer: httpx.AsyncClient, target: dict[str, Any]
) -> None:
    vi = csv_table((await viewer.get("/api/v1/reports/attainment.csv", params=AS_OF)).content)
    [row] = vi.rows
    columns = {name: row[vi.header.index(name)] for name in ("Chỉ số", "Phạm vi", "Đánh giá")}
    assert columns == {
        "Chỉ số": "Thành lập tổ chức cơ sở đảng",
        "Phạm vi": "Toàn Đảng bộ",
        "Đánh giá": "Chậm tiến độ",
    }
    assert row[vi.header.index("Từ ngày")] == "01/01/2023"
    en = csv_table(
        (await viewer.get("/api/v1/reports/attainment.csv", params=AS_OF | {"lang": "en"})).content
    )
    [row] = en.rows
    assert [row[en.header.index(name)] for name in ("Metric", "Scope", "Status")] == [
        "Grassroots organizations established",
        "Whole committee",
        "Behind",
    ]
    assert row[en.header.index("Period start")] == "2023-01-01"


async def test_semicolon_files_write_decimal_commas(
    viewer: httpx.AsyncClient, target: dict[str, Any]
) -> None:
    response = await viewer.get(
        "/api/v1/reports/attainment.csv", params=AS_OF | {"separator": "semicolon"}
    )
    assert response.status_code == 200, response.text
    table = csv_table(response.content, delimiter=";")
    [row] = table.rows
    assert row[table.header.index("Tỷ lệ (%)")] == "33,3"  # 1 of 3
    assert row[table.header.index("Thực hiện")] == "1"


async def test_the_workbook_is_formatted_to_read_and_print(
    viewer: httpx.AsyncClient, target: dict[str, Any]
) -> None:
    response = await viewer.get("/api/v1/reports/attainment.xlsx", params=AS_OF)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    header_row = 5  # title, committee, as-of date, blank line
    header = [cell.value for cell in sheet[header_row]]
    assert header[0] == "Tên chỉ tiêu"
    assert all(cell.font.bold for cell in sheet[header_row])
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == f"A{header_row + 1}"
    assert sheet.auto_filter.ref is not None
    assert sheet.auto_filter.ref.startswith(f"A{header_row}:")
    row = sheet[header_row + 1]
    formats = {header[n]: row[n].number_format for n in range(len(header))}
    assert formats["Thực hiện"] == "#,##0"
    assert formats["Tỷ lệ (%)"] == "#,##0.0"
    assert formats["Từ ngày"] == "dd/mm/yyyy"
    assert row[header.index("Tỷ lệ (%)")].value == 33.3
    setup = sheet.page_setup
    assert (setup.orientation, setup.fitToWidth, setup.fitToHeight) == ("landscape", 1, 0)
    assert str(setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True


async def test_the_format_parameter_of_before_still_answers_files(
    viewer: httpx.AsyncClient,
) -> None:
    overview = await viewer.get("/api/v1/reports/overview", params=AS_OF | {"format": "xlsx"})
    assert overview.status_code == 200, overview.text
    assert overview.headers["content-type"] == XLSX
    attainment = await viewer.get("/api/v1/reports/attainment", params=AS_OF | {"lang": "en"})
    assert attainment.headers["content-type"].startswith("text/csv")
    assert csv_table(attainment.content).heading[0] == "Attainment of targets"
