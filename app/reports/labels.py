"""What the downloads call things, in Vietnamese and English: figures, columns, and every code a
report shows (metrics, scopes, statuses), so a clerk never reads `members_admitted`."""

import datetime as dt
from enum import StrEnum

from app.models import Metric, TargetScope
from app.targets.schemas import AttainmentStatus


class Language(StrEnum):
    VI = "vi"
    EN = "en"


COMMITTEE = (
    "Đảng ủy các khu công nghiệp và chế xuất Hà Nội",
    "Party Committee of Hanoi's industrial and export-processing zones",
)

# key -> (Vietnamese, English)
LABELS: dict[str, tuple[str, str]] = {
    "overview.title": ("Báo cáo tổng hợp", "Overview report"),
    "overview.file": ("bao-cao-tong-hop", "overview"),
    "attainment.title": ("Kết quả thực hiện chỉ tiêu", "Attainment of targets"),
    "attainment.file": ("ket-qua-thuc-hien-chi-tieu", "attainment"),
    "section": ("Nhóm", "Section"),
    "indicator": ("Chỉ số", "Indicator"),
    "value": ("Giá trị", "Value"),
    "zones": ("Khu công nghiệp", "Industrial zones"),
    "zones.operating": ("KCN đang hoạt động", "Operating zones"),
    "zones.established_in_period": ("KCN thành lập trong kỳ", "Zones established in period"),
    "enterprises": ("Doanh nghiệp", "Enterprises"),
    "enterprises.total": ("Tổng số doanh nghiệp", "Enterprises"),
    "enterprises.state": ("DN nhà nước", "State-owned"),
    "enterprises.domestic_private": ("DN tư nhân trong nước", "Domestic private"),
    "enterprises.fdi": ("DN có vốn đầu tư nước ngoài", "Foreign-invested (FDI)"),
    "enterprises.workers": ("Người lao động", "Workers"),
    "organizations": ("Tổ chức đảng", "Party organizations"),
    "organizations.grassroots": ("Tổ chức cơ sở đảng", "Grassroots organizations"),
    "organizations.grassroots_committees": ("Đảng bộ cơ sở", "Grassroots committees"),
    "organizations.grassroots_cells": ("Chi bộ cơ sở", "Grassroots cells"),
    "organizations.in_non_state_enterprises": ("Trong DN ngoài nhà nước", "In non-state"),
    "organizations.in_fdi_enterprises": ("Trong DN FDI", "In FDI enterprises"),
    "organizations.affiliated_cells": ("Chi bộ trực thuộc", "Affiliated cells"),
    "organizations.enterprises_covered": ("DN có tổ chức đảng", "Enterprises covered"),
    "organizations.enterprises_covered_percent": ("Tỷ lệ DN có tổ chức đảng (%)", "Covered (%)"),
    "organizations.established_in_period": ("TCCS đảng thành lập trong kỳ", "Established"),
    "members": ("Đảng viên", "Party members"),
    "members.total": ("Tổng số đảng viên", "Members"),
    "members.official": ("Đảng viên chính thức", "Official members"),
    "members.probationary": ("Đảng viên dự bị", "Probationary members"),
    "members.per_1000_workers": ("Đảng viên/1.000 lao động", "Members per 1,000 workers"),
    "members.admitted_in_period": ("Kết nạp trong kỳ", "Admitted in period"),
    "members.recognized_in_period": ("Công nhận chính thức trong kỳ", "Recognized in period"),
    "candidates": ("Quần chúng ưu tú", "Candidates"),
    "candidates.dossiers_in_progress": ("Hồ sơ đang xét", "Dossiers in progress"),
    "candidates.dossiers_stale": ("Hồ sơ quá 12 tháng", "Dossiers over 12 months"),
    "candidates.trained_in_period": ("Được bồi dưỡng nhận thức", "Trained in period"),
    "candidates.classes_in_period": ("Lớp bồi dưỡng", "Awareness classes"),
    "investment": ("Đầu tư", "Investment"),
    "investment.new_projects": ("Dự án mới", "New projects"),
    "investment.new_fdi_projects": ("Dự án FDI mới", "New FDI projects"),
    "investment.new_fdi_capital_usd": ("Vốn FDI đăng ký mới (USD)", "New FDI capital (USD)"),
    "investment.active_projects": ("Dự án còn hiệu lực", "Active projects"),
    "investment.active_capital_usd": ("Vốn đăng ký lũy kế (USD)", "Registered capital (USD)"),
    "plans": ("Kế hoạch", "Plans"),
    "plans.plans": ("Kế hoạch trong kỳ", "Plans in the period"),
    "plans.tasks": ("Nhiệm vụ", "Tasks"),
    "plans.done": ("Nhiệm vụ đã hoàn thành", "Tasks done"),
    "plans.open": ("Nhiệm vụ đang thực hiện", "Tasks open"),
    "plans.overdue": ("Nhiệm vụ quá hạn", "Tasks overdue"),
    "plans.cancelled": ("Nhiệm vụ đã hủy", "Tasks cancelled"),
    "materials": ("Tài liệu tuyên truyền", "Outreach materials"),
    "materials.languages_needed": ("Ngôn ngữ cần", "Languages needed"),
    "materials.languages_covered": ("Ngôn ngữ đã có tài liệu", "Languages covered"),
    "materials.languages_missing": ("Ngôn ngữ còn thiếu", "Languages missing"),
    "overview": ("Tổng quan", "Overview"),
    "attainment": ("Chỉ tiêu", "Targets"),
    "name": ("Tên chỉ tiêu", "Target"),
    "metric": ("Chỉ số", "Metric"),
    "scope": ("Phạm vi", "Scope"),
    "period_start": ("Từ ngày", "Period start"),
    "period_end": ("Đến ngày", "Period end"),
    "due_on": ("Hạn hoàn thành", "Due on"),
    "actual": ("Thực hiện", "Actual"),
    "target": ("Chỉ tiêu", "Target"),
    "min_value": ("Tối thiểu", "Minimum"),
    "max_value": ("Tối đa", "Maximum"),
    "percent": ("Tỷ lệ (%)", "Percent"),
    "percent_of_max": ("Tỷ lệ so với tối đa (%)", "Percent of maximum"),
    "remaining": ("Còn lại", "Remaining"),
    "expected": ("Theo tiến độ", "Expected by now"),
    "forecast": ("Dự báo cuối kỳ", "Forecast"),
    "needed_per_month": ("Cần mỗi tháng", "Needed per month"),
    "status": ("Đánh giá", "Status"),
}

# Every code a report shows, by its enum: (Vietnamese, English).
CODES: dict[StrEnum, tuple[str, str]] = {
    Metric.ORGANIZATIONS_ESTABLISHED: (
        "Thành lập tổ chức cơ sở đảng",
        "Grassroots organizations established",
    ),
    Metric.MEMBERS_ADMITTED: ("Kết nạp đảng viên", "Members admitted"),
    Metric.MEMBERS_RECOGNIZED: ("Công nhận đảng viên chính thức", "Members recognized"),
    Metric.INDUSTRIAL_ZONES_ESTABLISHED: ("Thành lập khu công nghiệp", "Zones established"),
    Metric.CANDIDATES_TRAINED: ("Bồi dưỡng nhận thức về Đảng", "Candidates trained"),
    TargetScope.COMMITTEE: ("Toàn Đảng bộ", "Whole committee"),
    TargetScope.ORGANIZATION: ("Giao tổ chức đảng", "Organization quota"),
    TargetScope.CAMPAIGN: ("Tổ công tác", "Working group"),
    AttainmentStatus.ACHIEVED: ("Đã hoàn thành", "Achieved"),
    AttainmentStatus.ON_TRACK: ("Đúng tiến độ", "On track"),
    AttainmentStatus.AT_RISK: ("Có nguy cơ chậm", "At risk"),
    AttainmentStatus.BEHIND: ("Chậm tiến độ", "Behind"),
    AttainmentStatus.MISSED: ("Không hoàn thành", "Missed"),
}


def _pick(pair: tuple[str, str], lang: Language) -> str:
    return pair[0] if lang is Language.VI else pair[1]


def label(key: str, lang: Language) -> str:
    return _pick(LABELS.get(key, (key, key)), lang)


def code_label(code: StrEnum, lang: Language) -> str:
    """A code as people read it: `members_admitted` → "Kết nạp đảng viên"."""
    return _pick(CODES[code], lang)


def committee(lang: Language) -> str:
    return _pick(COMMITTEE, lang)


def written_date(day: dt.date, lang: Language) -> str:
    """30/06/2024 in Vietnamese, 2024-06-30 in English."""
    return day.strftime("%d/%m/%Y") if lang is Language.VI else day.isoformat()


def as_of_line(day: dt.date, lang: Language) -> str:
    if lang is Language.VI:
        return f"Số liệu đến ngày {written_date(day, lang)}"
    return f"As of {written_date(day, lang)}"


def period_line(start: dt.date, end: dt.date, lang: Language) -> str:
    if lang is Language.VI:
        return f"Kỳ báo cáo: từ {written_date(start, lang)} đến {written_date(end, lang)}"
    return f"Period: {written_date(start, lang)} to {written_date(end, lang)}"
