"""The registers as spreadsheet columns: what each column holds and what it is called in Vietnamese
and English. Exports write these headers; imports read them back (issue 14)."""

from dataclasses import dataclass
from typing import Literal

from app.reports.labels import Language

Kind = Literal["text", "integer", "date", "boolean", "code"]


@dataclass(frozen=True)
class Column:
    key: str  # the row's field, and the code integrations use
    vi: str
    en: str
    kind: Kind = "text"
    personal: bool = False  # hidden from viewers (the members' personal-data rule)

    def header(self, lang: Language) -> str:
        return self.vi if lang is Language.VI else self.en


ENTERPRISES = (
    Column("tax_code", "Mã số thuế", "Tax code"),
    Column("name", "Tên doanh nghiệp", "Name"),
    Column("foreign_name", "Tên nước ngoài", "Foreign name"),
    Column("zone_code", "Mã KCN", "Zone code"),
    Column("ownership", "Loại hình sở hữu", "Ownership", "code"),
    Column("investor_country", "Quốc gia nhà đầu tư", "Investor country"),  # KR, JP…
    Column("industry", "Ngành nghề", "Industry"),
    Column("address", "Địa chỉ", "Address"),
    Column("workers_count", "Số lao động", "Workers", "integer"),
    Column("has_trade_union", "Có công đoàn", "Trade union", "boolean"),
    Column("has_youth_union", "Có đoàn thanh niên", "Youth union", "boolean"),
    Column("status", "Tình trạng", "Status", "code"),
    Column("registered_on", "Ngày đăng ký", "Registered on", "date"),
    Column("closed_on", "Ngày đóng cửa", "Closed on", "date"),
)

ORGANIZATIONS = (
    Column("name", "Tên tổ chức đảng", "Name"),
    Column("kind", "Loại tổ chức", "Kind", "code"),
    Column("parent_name", "Đảng bộ cấp trên", "Parent organization"),
    Column("enterprise_tax_code", "Mã số thuế doanh nghiệp", "Enterprise tax code"),
    Column("established_on", "Ngày thành lập", "Established on", "date"),
    Column("decision_no", "Số quyết định", "Decision number"),
    Column("dissolved_on", "Ngày giải thể", "Dissolved on", "date"),
    Column("notes", "Ghi chú", "Notes"),
)

MEMBERS = (
    Column("full_name", "Họ và tên", "Full name"),
    Column("party_card_no", "Số thẻ đảng viên", "Party card number", "text"),
    Column("gender", "Giới tính", "Gender", "code"),
    Column("date_of_birth", "Ngày sinh", "Date of birth", "date", personal=True),
    Column("enterprise_tax_code", "Mã số thuế doanh nghiệp", "Enterprise tax code"),
    Column("position", "Chức vụ", "Position"),
    Column("source_group", "Nguồn", "Source group", "code"),
    Column("phone", "Điện thoại", "Phone", personal=True),
    Column("email", "Thư điện tử", "E-mail", personal=True),
    Column("status", "Tình trạng", "Status", "code"),
    Column("organization_name", "Tổ chức đảng", "Party organization"),
    Column("registered_on", "Ngày vào danh sách", "Registered on", "date"),
    Column("dossier_started_on", "Ngày lập hồ sơ", "Dossier started on", "date"),
    Column("admitted_on", "Ngày kết nạp", "Admitted on", "date"),
    Column("admission_decision_no", "Số quyết định kết nạp", "Admission decision", "text"),
    Column("recognized_on", "Ngày công nhận chính thức", "Recognized on", "date"),
    Column("left_on", "Ngày ra khỏi danh sách", "Left on", "date"),
    Column("left_reason", "Lý do", "Reason for leaving", "code"),
    Column("notes", "Ghi chú", "Notes", personal=True),
)

BOOLEAN_WORDS = {Language.VI: ("có", "không"), Language.EN: ("yes", "no")}


def visible(columns: tuple[Column, ...], personal: bool) -> tuple[Column, ...]:
    """The columns a reader gets: without the personal ones for those who may not see them."""
    return columns if personal else tuple(c for c in columns if not c.personal)
