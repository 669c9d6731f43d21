"""Spreadsheets in (issue 14): rows created, updated or unchanged by natural key through the same
rules as the API, every problem named by row and column, nothing written unless all is well."""

import datetime as dt
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import AuditEvent, Enterprise, Member, MemberStatus
from app.spreadsheets.importing import EnterpriseImporter
from tests.fixtures.db import Fingerprint
from tests.fixtures.registry import (
    EnterpriseFactory,
    MemberFactory,
    OrganizationFactory,
    ZoneFactory,
)
from tests.problems import assert_problem

IMPORTS = "/api/v1/imports"
EXPORTS = "/api/v1/exports"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def _upload(
    client: httpx.AsyncClient, register: str, content: bytes, dry_run: bool = False
) -> httpx.Response:
    return await client.post(
        f"{IMPORTS}/{register}",
        params={"dry_run": str(dry_run).lower()},
        files={"file": ("register.csv", content, "text/csv")},
    )


def _csv(*lines: str, bom: bool = True) -> bytes:
    return (("\ufeff" if bom else "") + "\r\n".join(lines) + "\r\n").encode("utf-8")


ENTERPRISE_HEADER = "Mã số thuế,Tên doanh nghiệp,Mã KCN,Loại hình sở hữu,Số lao động,Ngày đăng ký"


@pytest.mark.parametrize(
    ("fmt", "lang"), [("csv", "vi"), ("xlsx", "vi"), ("xlsx", "en"), ("csv", "en")]
)
async def test_an_exported_register_imports_back_unchanged(
    editor: httpx.AsyncClient,
    make_zone: ZoneFactory,
    make_enterprise: EnterpriseFactory,
    make_organization: OrganizationFactory,
    make_member: MemberFactory,
    fingerprint: Fingerprint,
    fmt: str,
    lang: str,
) -> None:
    zone = await make_zone(code="KCN-A")
    employer = await make_enterprise(zone=zone, tax_code="0100000001", ownership="fdi")
    await make_enterprise(zone=zone, tax_code="0100000002", closed_on=dt.date(2020, 1, 1),
                          status="closed")  # fmt: skip
    cell = await make_organization(name="Chi bộ A", enterprise_id=employer.id)
    await make_member(full_name="Lê Thị Hoa", enterprise_id=employer.id,
                      registered_on=dt.date(2014, 1, 1), admitted_on=dt.date(2015, 3, 1),
                      organization_id=cell.id,
                      recognized_on=dt.date(2016, 3, 2))  # fmt: skip
    await make_member(full_name="Trần Văn Nam", enterprise_id=employer.id)
    before = await fingerprint()

    for register, rows in (("enterprises", 2), ("organizations", 1), ("members", 2)):
        exported = await editor.get(f"{EXPORTS}/{register}", params={"format": fmt, "lang": lang})
        assert exported.status_code == 200, exported.text
        answer = await editor.post(
            f"{IMPORTS}/{register}",
            files={"file": (f"x.{fmt}", exported.content, XLSX if fmt == "xlsx" else "text/csv")},
        )
        assert answer.status_code == 200, answer.text
        report = answer.json()
        assert report == {"rows": rows, "created": 0, "updated": 0, "unchanged": rows,
                          "errors": []}, register  # fmt: skip
    after = await fingerprint()
    changed = {table for table in before if before[table] != after[table]}
    assert changed <= {"audit_events"}  # only the imports' own entries


async def test_new_and_changed_rows_are_created_and_updated(
    editor: httpx.AsyncClient,
    session: AsyncSession,
    make_zone: ZoneFactory,
    make_enterprise: EnterpriseFactory,
) -> None:
    zone = await make_zone(code="KCN-A")
    await make_enterprise(zone=zone, tax_code="0100000001", name="Cũ", workers_count=100)
    await make_enterprise(zone=zone, tax_code="0100000002", name="Giữ nguyên", workers_count=7,
                          registered_on=dt.date(2001, 2, 3))  # fmt: skip
    content = _csv(
        ENTERPRISE_HEADER,
        "0100000001,Mới,KCN-A,domestic_private,100,2000-01-01",
        "0100000002,Giữ nguyên,kcn-a,domestic_private,7,03/02/2001",
        '0100000003,Công ty mới,KCN-A,state,"1.250",2019-05-01',
    )

    answer = await _upload(editor, "enterprises", content)

    assert answer.status_code == 200, answer.text
    assert answer.json() == {"rows": 3, "created": 1, "updated": 1, "unchanged": 1, "errors": []}
    stored = {
        e.tax_code: (e.name, e.workers_count, e.registered_on)
        for e in await session.scalars(select(Enterprise))
    }
    assert stored["0100000001"][0] == "Mới"
    assert stored["0100000003"] == ("Công ty mới", 1250, dt.date(2019, 5, 1))
    [entry] = await session.scalars(select(AuditEvent).where(AuditEvent.action == "import"))
    counts = {c["field"]: c["after"] for c in entry.changes}
    assert (counts["created"], counts["updated"], counts["unchanged"]) == (1, 1, 1)


async def test_a_file_with_one_bad_row_writes_nothing_and_names_row_and_column(
    editor: httpx.AsyncClient, make_zone: ZoneFactory, fingerprint: Fingerprint
) -> None:
    await make_zone(code="KCN-A")
    before = await fingerprint()
    content = _csv(
        ENTERPRISE_HEADER,
        "0100000001,Đúng,KCN-A,state,10,2010-01-01",
        "0100000002,Sai,KCN-ZZ,state,10,2010-01-01",
        "0100000003,Sai nữa,KCN-A,state,mười,2010-01-01",
        "0100000004,Tương lai,KCN-A,state,10,2999-01-01",
        "0100000001,Trùng,KCN-A,state,10,2010-01-01",
    )

    answer = await _upload(editor, "enterprises", content)

    problem = assert_problem(answer, 422, "import_refused")
    errors = [(e["row"], e["column"], e["code"]) for e in problem["report"]["errors"]]
    assert errors == [
        (3, "Mã KCN", "unknown_reference"),
        (4, "Số lao động", "invalid_value"),
        (5, "Ngày đăng ký", "invalid_value"),
        (6, None, "duplicate_in_file"),
    ]
    assert problem["report"]["created"] == 1  # counted, then rolled back
    assert await fingerprint() == before


async def test_a_dry_run_reports_and_writes_nothing(
    editor: httpx.AsyncClient, make_zone: ZoneFactory, fingerprint: Fingerprint
) -> None:
    await make_zone(code="KCN-A")
    before = await fingerprint()
    good = _csv(ENTERPRISE_HEADER, "0100000001,Đúng,KCN-A,state,10,2010-01-01")
    bad = _csv(ENTERPRISE_HEADER, "0100000001,Sai,KCN-A,fdi,10,2010-01-01")  # no investor

    checked = await _upload(editor, "enterprises", good, dry_run=True)
    refused = await _upload(editor, "enterprises", bad, dry_run=True)

    assert checked.status_code == 200
    assert checked.json()["created"] == 1
    assert refused.status_code == 200
    [error] = refused.json()["errors"]
    # the file has no investor country column: the field is named by its code
    assert (error["row"], error["column"], error["code"]) == (
        2,
        "investor_country",
        "rule_violation",
    )
    assert await fingerprint() == before


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"", "empty"),
        ("Mã số thuế,Tên\r\n".encode(), "missing column"),
        ("Mã số thuế,Tên doanh nghiệp,Mã KCN,Loại hình sở hữu,Màu\r\n".encode(), "unknown column"),
        (
            "Mã số thuế,Tên doanh nghiệp,Mã KCN,Loại hình sở hữu\r\nCông ty".encode("utf-16"),
            "UTF-8",
        ),
        (b"PK\x03\x04 not really a workbook", "XLSX"),
    ],
)
async def test_an_unreadable_file_is_refused_whole(
    editor: httpx.AsyncClient, content: bytes, why: str
) -> None:
    answer = await _upload(editor, "enterprises", content)

    problem = assert_problem(answer, 422, "unreadable_file")
    assert why in problem["detail"]


async def test_semicolons_and_no_bom_are_read(
    editor: httpx.AsyncClient, make_zone: ZoneFactory
) -> None:
    await make_zone(code="KCN-A")
    content = _csv(
        "Tax code;Name;Zone code;Ownership;Workers", "0100000001;A;KCN-A;state;5", bom=False
    )
    answer = await _upload(editor, "enterprises", content)
    assert answer.json()["created"] == 1, answer.text


async def test_members_come_in_with_their_history_through_the_charters_rules(
    editor: httpx.AsyncClient,
    session: AsyncSession,
    make_enterprise: EnterpriseFactory,
    make_organization: OrganizationFactory,
) -> None:
    employer = await make_enterprise(tax_code="0100000001")
    await make_organization(name="Chi bộ Công ty A", enterprise_id=employer.id)
    header = (
        "Họ và tên,Giới tính,Ngày sinh,Mã số thuế doanh nghiệp,Nguồn,Tổ chức đảng,"
        "Ngày vào danh sách,Ngày kết nạp,Ngày công nhận chính thức"
    )
    content = _csv(
        header,
        "Phạm Văn Đức,male,1990-04-01,0100000001,worker,Chi bộ Công ty A,2019-01-01,"
        "2020-03-01,2021-03-02",
        "Vũ Thị Lan,female,2010-01-01,0100000001,worker,Chi bộ Công ty A,2019-01-01,2020-03-01,",
    )

    refused = await _upload(editor, "members", content)

    problem = assert_problem(refused, 422, "import_refused")
    [error] = problem["report"]["errors"]
    assert (error["row"], error["code"]) == (3, "admission_age")
    good = content.decode("utf-8-sig").rsplit("\r\n", 2)[0] + "\r\n"
    accepted = await _upload(editor, "members", good.encode())
    assert accepted.json()["created"] == 1, accepted.text
    [member] = await session.scalars(select(Member).where(Member.full_name == "Phạm Văn Đức"))
    assert (member.status, member.recognized_on) == (MemberStatus.OFFICIAL, dt.date(2021, 3, 2))


MEMBER_HEADER = (
    "Họ và tên,Giới tính,Ngày sinh,Mã số thuế doanh nghiệp,Nguồn,Tổ chức đảng,"
    "Ngày vào danh sách,Ngày lập hồ sơ,Ngày kết nạp,Ngày công nhận chính thức,"
    "Ngày ra khỏi danh sách,Lý do"
)


async def test_new_members_get_the_same_events_as_through_the_api(
    editor: httpx.AsyncClient,
    make_enterprise: EnterpriseFactory,
    make_organization: OrganizationFactory,
    make_member: MemberFactory,
) -> None:
    """New members are checked and written a batch at a time: each gets the dated events the
    member actions would record, in order, with the organization of each step."""
    employer = await make_enterprise(tax_code="0100000001")
    cell = await make_organization(name="Chi bộ B", enterprise_id=employer.id)
    known = await make_member(full_name="Đỗ Văn Cũ", enterprise_id=employer.id,
                              date_of_birth=dt.date(1985, 5, 5))  # fmt: skip
    content = _csv(
        MEMBER_HEADER,
        "Đỗ Văn Cũ,male,1985-05-05,0100000001,worker,Chi bộ B,,,2019-06-01,,,",
        "Ngô Thị Một,female,1991-02-03,0100000001,worker,Chi bộ B,2018-01-01,2018-06-01,"
        "2019-01-15,2020-01-15,,",
        "Ngô Văn Hai,male,1992-02-03,0100000001,worker,Chi bộ B,2018-01-01,,2019-01-15,,"
        "2021-07-01,deceased",
        "Ngô Văn Ba,male,1993-02-03,0100000001,worker,,2018-01-01,,,,,",
    )

    answer = await _upload(editor, "members", content)

    assert answer.json() == {"rows": 4, "created": 3, "updated": 1, "unchanged": 0,
                             "errors": []}, answer.text  # fmt: skip
    members = (await editor.get("/api/v1/members", params={"q": "Ngô", "limit": 10})).json()
    by_name = {m["full_name"]: m for m in members["items"]}
    histories = {}
    for name, member in [*by_name.items(), ("Đỗ Văn Cũ", {"id": known.id})]:
        events = await editor.get(f"/api/v1/members/{member['id']}/events")
        histories[name] = [
            (e["kind"], e["occurred_on"], e["status_after"], e["organization_id"])
            for e in events.json()["items"]
        ]
    assert histories == {
        "Ngô Thị Một": [
            ("registered", "2018-01-01", "candidate", None),
            ("dossier_started", "2018-06-01", "candidate", None),
            ("admitted", "2019-01-15", "probationary", cell.id),
            ("recognized", "2020-01-15", "official", cell.id),
        ],
        "Ngô Văn Hai": [
            ("registered", "2018-01-01", "candidate", None),
            ("admitted", "2019-01-15", "probationary", cell.id),
            ("removed", "2021-07-01", "left", None),
        ],
        "Ngô Văn Ba": [("registered", "2018-01-01", "candidate", None)],
        "Đỗ Văn Cũ": [
            ("registered", "2018-01-10", "candidate", None),
            ("admitted", "2019-06-01", "probationary", cell.id),
        ],
    }
    listed = await editor.get("/api/v1/organizations", params={"as_of": "2020-06-30"})
    [counted] = [o for o in listed.json()["items"] if o["id"] == cell.id]
    assert (counted["official_members"], counted["probationary_members"]) == (1, 2)


async def test_new_members_are_held_to_the_charter_row_by_row(
    editor: httpx.AsyncClient,
    make_enterprise: EnterpriseFactory,
    make_organization: OrganizationFactory,
    fingerprint: Fingerprint,
) -> None:
    employer = await make_enterprise(tax_code="0100000001")
    await make_organization(name="Chi bộ Mới", enterprise_id=employer.id,
                            established_on=dt.date(2019, 6, 1))  # fmt: skip
    before = await fingerprint()
    content = _csv(
        MEMBER_HEADER,
        "Một,male,1990-01-01,0100000001,worker,Chi bộ Mới,2018-01-01,,2019-07-01,2020-07-01,,",
        "Hai,male,1990-01-01,0100000001,worker,Chi bộ Mới,2018-01-01,,2019-01-15,,,",
        "Ba,male,1990-01-01,0100000001,worker,Chi bộ Mới,2018-01-01,,2019-07-01,2020-01-01,,",
        "Bốn,male,1990-01-01,0100000001,worker,Chi bộ Mới,2018-01-01,2017-01-01,,,,",
        "Năm,male,1990-01-01,0100000001,worker,Chi bộ Khác,2018-01-01,,2019-07-01,,,",
        "Sáu,male,1990-01-01,0100000009,worker,,2018-01-01,,,,,",
        "Bảy,male,1990-01-01,0100000001,worker,,2018-01-01,,,,2019-01-01,moved_away",
        "Tám,male,1990-01-01,0100000001,worker,,2018-01-01,,,,2017-01-01,other",
    )

    answer = await _upload(editor, "members", content)

    problem = assert_problem(answer, 422, "import_refused")
    errors = [(e["row"], e["column"], e["code"]) for e in problem["report"]["errors"]]
    assert errors == [
        (3, "Tổ chức đảng", "organization_inactive"),
        (4, "Ngày công nhận chính thức", "probation_not_over"),
        (5, "Ngày lập hồ sơ", "date_before_history"),
        (6, "Tổ chức đảng", "unknown_reference"),
        (7, "Mã số thuế doanh nghiệp", "unknown_reference"),
        (8, "Lý do", "enum"),
        (9, "Ngày ra khỏi danh sách", "date_before_history"),
    ]
    assert problem["report"]["created"] == 1
    assert await fingerprint() == before


async def test_a_file_over_the_import_limit_is_refused_before_it_is_read(
    editor: httpx.AsyncClient,
) -> None:
    answer = await _upload(editor, "enterprises", b"x" * (50 * 1024 * 1024))
    assert_problem(answer, 413, "content_too_large")


async def test_viewers_cannot_import(viewer: httpx.AsyncClient) -> None:
    answer = await _upload(viewer, "enterprises", _csv(ENTERPRISE_HEADER))
    assert_problem(answer, 403, "forbidden_role")


async def test_the_sample_files_in_the_repository_import_in_order(
    editor: httpx.AsyncClient, session: AsyncSession, make_zone: ZoneFactory
) -> None:
    """docs/samples: the files the README points a committee's clerk to."""
    await make_zone(code="KCN-TL")
    await make_zone(code="KCN-NB")
    samples = Path(__file__).parents[2] / "docs" / "samples"

    counts = {}
    for register in ("enterprises", "organizations", "members"):
        answer = await _upload(editor, register, (samples / f"{register}.csv").read_bytes())
        assert answer.status_code == 200, answer.text
        counts[register] = answer.json()["created"]

    assert counts == {"enterprises": 3, "organizations": 1, "members": 2}
    [mai] = await session.scalars(select(Member).where(Member.full_name == "Nguyễn Thị Mai"))
    assert mai.status == MemberStatus.OFFICIAL
    [noi_bai] = await session.scalars(select(Enterprise).where(Enterprise.tax_code == "0105550002"))
    assert (noi_bai.workers_count, noi_bai.has_youth_union) == (1200, False)


async def test_an_import_sent_again_with_its_idempotency_key_is_not_applied_twice(
    editor: httpx.AsyncClient, make_zone: ZoneFactory, session: AsyncSession
) -> None:
    await make_zone(code="KCN-A")
    content = _csv(ENTERPRISE_HEADER, "0100000001,A,KCN-A,state,10,2010-01-01")
    key = {"Idempotency-Key": "7c1b3f5e-9f6a-4a51-9d43-0a1c2b3d4e5f"}

    first = await editor.post(f"{IMPORTS}/enterprises", headers=key,
                              files={"file": ("a.csv", content, "text/csv")})  # fmt: skip
    again = await editor.post(f"{IMPORTS}/enterprises", headers=key,
                              files={"file": ("a.csv", content, "text/csv")})  # fmt: skip

    assert first.status_code == again.status_code == 200, (first.text, again.text)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json() == {**first.json(), "created": 1}
    assert len((await session.scalars(select(Enterprise))).all()) == 1
    other = _csv(ENTERPRISE_HEADER, "0100000002,B,KCN-A,state,10,2010-01-01")
    reused = await editor.post(f"{IMPORTS}/enterprises", headers=key,
                               files={"file": ("a.csv", other, "text/csv")})  # fmt: skip
    assert_problem(reused, 422, "idempotency_key_reused")


async def test_a_batch_the_database_refuses_is_retried_row_by_row_to_name_the_row(
    editor: httpx.AsyncClient,
    make_zone: ZoneFactory,
    make_enterprise: EnterpriseFactory,
    monkeypatch: pytest.MonkeyPatch,
    fingerprint: Fingerprint,
) -> None:
    """A tax code registered by someone else after the file's keys were looked up: the batch
    insert fails on the unique key, and the rows are tried one by one."""
    zone = await make_zone(code="KCN-A")
    await make_enterprise(zone=zone, tax_code="0100000002")
    looked_up = EnterpriseImporter.prepare

    async def prepare_then_forget(importer: EnterpriseImporter, rows: Any) -> None:
        await looked_up(importer, rows)
        importer.existing.clear()  # as if 0100000002 arrived meanwhile

    monkeypatch.setattr(EnterpriseImporter, "prepare", prepare_then_forget)
    before = await fingerprint()
    content = _csv(
        ENTERPRISE_HEADER,
        "0100000001,A,KCN-A,state,10,2010-01-01",
        "0100000002,B,KCN-A,state,10,2010-01-01",
    )

    answer = await _upload(editor, "enterprises", content)

    problem = assert_problem(answer, 422, "import_refused")
    [error] = problem["report"]["errors"]
    assert (error["row"], error["column"], error["code"]) == (3, "Mã số thuế", "conflict")
    assert problem["report"]["created"] == 1
    assert await fingerprint() == before


async def test_members_are_matched_by_party_card_number_first(
    editor: httpx.AsyncClient,
    make_enterprise: EnterpriseFactory,
    make_member: MemberFactory,
) -> None:
    employer = await make_enterprise(tax_code="0100000001")
    carded = await make_member(full_name="Nguyễn Van An", party_card_no="01234567",
                               enterprise_id=employer.id)  # fmt: skip
    uncarded = await make_member(full_name="Trần Thị Bình", date_of_birth=dt.date(1990, 1, 2),
                                 enterprise_id=employer.id)  # fmt: skip
    header = "Số thẻ đảng viên,Họ và tên,Giới tính,Ngày sinh,Mã số thuế doanh nghiệp,Nguồn"
    content = _csv(
        header,
        # the same card: the name's spelling corrected, not a second person
        "01234567,Nguyễn Văn An,male,1995-04-12,0100000001,worker",
        # no card recorded yet: found by name, birth date and employer, and given the card
        "ab-7654321,Trần Thị Bình,female,1990-01-02,0100000001,worker",
        # the same name and birth date as a carded member, another card: another person
        "09999999,Nguyễn Văn An,male,1995-04-12,0100000001,worker",
    )

    answer = await _upload(editor, "members", content)

    assert answer.json() == {"rows": 3, "created": 1, "updated": 2, "unchanged": 0,
                             "errors": []}, answer.text  # fmt: skip
    first = (await editor.get(f"/api/v1/members/{carded.id}")).json()
    second = (await editor.get(f"/api/v1/members/{uncarded.id}")).json()
    assert (first["full_name"], first["party_card_no"]) == ("Nguyễn Văn An", "01234567")
    assert second["party_card_no"] == "AB-7654321"
    again = await _upload(editor, "members", content)
    assert again.json()["unchanged"] == 3, again.text


async def test_a_party_card_number_belongs_to_one_member(
    editor: httpx.AsyncClient, make_member: MemberFactory, fingerprint: Fingerprint
) -> None:
    await make_member(party_card_no="01234567")
    before = await fingerprint()
    body = {"full_name": "Lê Văn C", "gender": "male", "date_of_birth": "1990-01-01"}

    taken = await editor.post("/api/v1/members", json=body | {"party_card_no": "01234567"})
    malformed = await editor.post("/api/v1/members", json=body | {"party_card_no": "số 1"})
    header = "Số thẻ đảng viên,Họ và tên,Giới tính,Ngày sinh,Nguồn"
    twice = _csv(header, "07654321,Lê Văn C,male,1990-01-01,worker",
                 "07654321,Lê Văn D,male,1991-01-01,worker")  # fmt: skip
    in_file = await _upload(editor, "members", twice)

    problem = assert_problem(taken, 409, "conflict")
    assert problem["errors"][0]["loc"][-1] == "party_card_no"
    assert_problem(malformed, 422)
    errors = assert_problem(in_file, 422, "import_refused")["report"]["errors"]
    assert [(e["row"], e["code"]) for e in errors] == [(3, "duplicate_in_file")]
    assert await fingerprint() == before


async def test_a_row_whose_status_or_organization_its_dates_contradict_is_refused(
    editor: httpx.AsyncClient,
    make_enterprise: EnterpriseFactory,
    make_organization: OrganizationFactory,
    make_member: MemberFactory,
    fingerprint: Fingerprint,
) -> None:
    """Status and organization are derived from the dated steps: a file cannot set them."""
    employer = await make_enterprise(tax_code="0100000001")
    first = await make_organization(name="Chi bộ Một", enterprise_id=employer.id)
    await make_organization(name="Chi bộ Hai")
    await make_member(full_name="Đã Vào", enterprise_id=employer.id, organization_id=first.id,
                      admitted_on=dt.date(2019, 1, 1))  # fmt: skip
    before = await fingerprint()
    header = "Họ và tên,Giới tính,Ngày sinh,Mã số thuế doanh nghiệp,Nguồn,Tình trạng,Tổ chức đảng"
    content = _csv(
        header,
        "Đã Vào,male,1995-04-12,0100000001,worker,probationary,Chi bộ Hai",
        "Mới Vào,male,1995-04-12,0100000001,worker,official,",
        "Mới Nữa,male,1995-04-12,0100000001,worker,candidate,Chi bộ Một",
        "Đúng,male,1995-04-12,0100000001,worker,candidate,",
    )

    answer = await _upload(editor, "members", content)

    errors = assert_problem(answer, 422, "import_refused")["report"]["errors"]
    assert [(e["row"], e["column"], e["code"]) for e in errors] == [
        (2, "Tổ chức đảng", "differs_from_record"),
        (3, "Tình trạng", "differs_from_record"),
        (4, "Tổ chức đảng", "differs_from_record"),
    ]
    assert await fingerprint() == before
