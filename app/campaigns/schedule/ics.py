"""Planned visits as an iCalendar (RFC 5545) feed, built with `icalendar`: one all-day VEVENT per
visit with a stable UID (the visit's id), a SEQUENCE that moves with every change a calendar app
must show (it replaces an event whose sequence moved), the enterprise in the summary, its address
and zone as the location, STATUS CANCELLED for a cancelled visit."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from icalendar import Calendar, Event

from app.models import ContactRole, VisitStatus

PRODID = "-//Dang uy cac KCN va che xuat Ha Noi//kcn-party//VI"
MEDIA_TYPE = "text/calendar; charset=utf-8"
# UIDs stay the same whatever address the service is reached at.
UID_DOMAIN = "kcn-party.hanoi"
ROLE_WORDS = {
    ContactRole.OWNER: "chủ doanh nghiệp",
    ContactRole.GENERAL_DIRECTOR: "tổng giám đốc",
    ContactRole.HR_DIRECTOR: "giám đốc nhân sự",
    ContactRole.ADMIN_HEAD: "trưởng phòng hành chính",
    ContactRole.UNION_CHAIR: "chủ tịch công đoàn",
    ContactRole.YOUTH_SECRETARY: "bí thư đoàn thanh niên",
    ContactRole.OTHER: "khác",
}
STATUS_WORDS = {
    VisitStatus.PLANNED: "dự kiến",
    VisitStatus.DONE: "đã thực hiện",
    VisitStatus.CANCELLED: "đã hủy",
    VisitStatus.MISSED: "quá hạn, chưa thực hiện",
}


def calendar_of(name: str, rows: Sequence[Any]) -> bytes:
    """The feed of `rows` (VisitRepository.for_calendar) named `name`."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    for row in rows:
        calendar.add_component(_event(row))
    return bytes(calendar.to_ical())


def sequence_of(version: int, status: VisitStatus) -> int:
    """Twice the visit's version, plus one once it is missed: its day passing changes what the
    event says without a write, and the number still only grows (any later write moves the
    version past it)."""
    return 2 * version + (status == VisitStatus.MISSED)


def _event(row: Any) -> Event:
    visit = row.PlannedVisit
    status = VisitStatus(row.shown_status)
    event = Event()
    event.add("uid", f"visit-{visit.id}@{UID_DOMAIN}")
    event.add("dtstamp", visit.updated_at.astimezone(dt.UTC))
    event.add("last-modified", visit.updated_at.astimezone(dt.UTC))
    event.add("created", visit.created_at.astimezone(dt.UTC))
    event.add("sequence", sequence_of(visit.version, status))
    event.add("dtstart", visit.planned_on)
    event.add("dtend", visit.planned_on + dt.timedelta(days=1))
    event.add("summary", f"Thăm {row.enterprise_name} ({row.zone_name})")
    location = ", ".join(part for part in (row.enterprise_address, row.zone_name) if part)
    event.add("location", location)
    lines = [
        f"Đoàn công tác: {row.campaign_name}",
        f"Mục đích: {visit.purpose}",
        f"Tình trạng: {STATUS_WORDS[status]}",
    ]
    if visit.contact_roles:
        roles = ", ".join(ROLE_WORDS[ContactRole(role)] for role in visit.contact_roles)
        lines.append(f"Gặp: {roles}")
    if row.material_titles:
        lines.append(f"Tài liệu mang theo: {row.material_titles}")
    event.add("description", "\n".join(lines))
    event.add("status", "CANCELLED" if status == VisitStatus.CANCELLED else "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    event.add("categories", [STATUS_WORDS[status]])
    return event
