"""The PDF download reads as the report a clerk prints: A4, Vietnamese letters intact, numbers
written the language's way, the wide attainment table whole, and the attainment chart."""

import datetime as dt
import re
import shutil
import subprocess
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from matplotlib import get_data_path
from matplotlib.image import imread
from reportlab.pdfbase.ttfonts import TTFont

from app.models import Metric, TargetScope
from app.reports.export import ATTAINMENT_COLUMNS, Bar, ReportFile, Table
from app.reports.labels import Language, code_label, label
from app.reports.pdf import MARGIN, to_pdf
from app.targets.schemas import AttainmentStatus

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"
)

AS_OF = dt.date(2024, 6, 30)
YEAR = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
TERM = (dt.date(2020, 10, 1), dt.date(2025, 9, 30))
FIGURES: list[tuple[str, Any]] = [
    ("zones.operating", 9),
    ("zones.established_in_period", 0),
    ("enterprises.total", 700),
    ("enterprises.fdi", 412),
    ("enterprises.workers", 160_000),
    ("organizations.grassroots", 100),
    ("organizations.grassroots_committees", 10),
    ("organizations.grassroots_cells", 90),
    ("organizations.in_non_state_enterprises", 98),
    ("organizations.in_fdi_enterprises", 52),
    ("organizations.enterprises_covered_percent", Decimal("14.3")),
    ("organizations.established_in_period", 5),
    ("members.total", 1461),
    ("members.official", 1302),
    ("members.probationary", 159),
    ("members.per_1000_workers", Decimal("9.1")),
    ("members.admitted_in_period", 79),
    ("candidates.dossiers_in_progress", 131),
    ("candidates.trained_in_period", 198),
    ("investment.new_fdi_capital_usd", Decimal("96200000")),
    ("investment.active_projects", 726),
]
BEHIND, ACHIEVED, ON_TRACK, AT_RISK = (
    AttainmentStatus.BEHIND,
    AttainmentStatus.ACHIEVED,
    AttainmentStatus.ON_TRACK,
    AttainmentStatus.AT_RISK,
)
ADMITTED, ESTABLISHED = Metric.MEMBERS_ADMITTED, Metric.ORGANIZATIONS_ESTABLISHED
# name, metric, actual, target, period, percent, status
TARGETS: list[tuple[str, Metric, int, int, tuple[dt.date, dt.date], Decimal, AttainmentStatus]] = [
    ("Kết nạp đảng viên năm 2024", ADMITTED, 79, 140, YEAR, Decimal("56.4"), BEHIND),
    ("Thành lập tổ chức cơ sở đảng năm 2024", ESTABLISHED, 5, 5, YEAR, Decimal("100.0"), ACHIEVED),
    (
        "Kết nạp đảng viên nhiệm kỳ 2020–2025 theo Nghị quyết Đại hội Đảng bộ",
        ADMITTED, 493, 500, TERM, Decimal("98.6"), ON_TRACK,
    ),
    ("Thành lập TCCS đảng nhiệm kỳ 2020–2025", ESTABLISHED, 26, 30, TERM, Decimal("86.7"), AT_RISK),
]  # fmt: skip


def _attainment_row(target: tuple[Any, ...], lang: Language) -> list[Any]:
    name, metric, actual, value, (start, end), percent, status = target
    values = {
        "name": name,
        "metric": code_label(metric, lang),
        "scope": code_label(TargetScope.COMMITTEE, lang),
        "period_start": start,
        "period_end": end,
        "due_on": dt.date(2024, 9, 30) if end == TERM[1] else None,
        "actual": actual,
        "target": value,
        "percent": percent,
        "remaining": max(value - actual, 0),
        "expected": Decimal("69.4"),
        "forecast": Decimal("158.9"),
        "needed_per_month": Decimal("10.2"),
        "status": code_label(status, lang),
    }
    return [values.get(column) for column in ATTAINMENT_COLUMNS]


def overview_report(lang: Language, *, bars: bool = True) -> ReportFile:
    """The overview of the reference figures (June 2024), built by hand."""
    rows = [[label(key.split(".")[0], lang), label(key, lang), v] for key, v in FIGURES]
    header = [label(column, lang) for column in ("section", "indicator", "value")]
    attainment_header = [label(column, lang) for column in ATTAINMENT_COLUMNS]
    return ReportFile(
        "overview",
        lang,
        AS_OF,
        (YEAR[0], AS_OF),
        [
            Table(label("overview", lang), header, rows),
            Table(
                label("attainment", lang),
                attainment_header,
                [_attainment_row(target, lang) for target in TARGETS],
            ),
        ],
        [Bar(target[0], target[2], target[3]) for target in TARGETS] if bars else [],
    )


def _pdf_file(tmp_path: Path, report: ReportFile) -> Path:
    path = tmp_path / "report.pdf"
    path.write_bytes(to_pdf(report))
    return path


def _text(path: Path, mode: str = "-layout") -> str:
    """The PDF's text, NFC: `-layout` keeps the page's columns; `-raw` keeps the drawing order,
    so a phrase wrapped inside one table cell reads as one (after `_one_line`)."""
    done = subprocess.run(
        ["pdftotext", mode, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    return unicodedata.normalize("NFC", done.stdout.decode("utf-8"))


def _one_line(text: str) -> str:
    """The text with line breaks and layout spaces collapsed."""
    return re.sub(r"\s+", " ", text)


def _words_beyond_the_margins(path: Path) -> list[str]:
    """Words reaching into a page's left or right margin (a table too wide for its page); a
    word drawn off the page entirely is not extracted, so the margins are what is checked."""
    done = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True, text=True
    )
    beyond = []
    for page in re.findall(r"<page (.*?)</page>", done.stdout, flags=re.DOTALL):
        width = float(re.findall(r'width="([\d.]+)"', page)[0])
        for box, word in re.findall(r"<word (.*?)>(.*?)</word>", page):
            x_min, _, x_max, _ = map(float, re.findall(r'"([\d.-]+)"', box))
            if x_min < MARGIN - 1 or x_max > width - MARGIN + 1:
                beyond.append(word)
    return beyond


def test_vietnamese_report_keeps_its_letters_and_writes_numbers_the_vietnamese_way(
    tmp_path: Path,
) -> None:
    text = _text(_pdf_file(tmp_path, overview_report(Language.VI)))

    for phrase in (
        "Báo cáo tổng hợp",
        "Đảng ủy các khu công nghiệp và chế xuất Hà Nội",
        "Số liệu đến ngày 30/06/2024",
        "Kỳ báo cáo: từ 01/01/2024 đến 30/06/2024",
        "Tổng số đảng viên",
        "Đảng viên dự bị",
        "Quần chúng ưu tú",
    ):
        assert unicodedata.normalize("NFC", phrase) in text, phrase
    assert re.search(r"Tổng số đảng viên\s+1\.461\b", text)
    assert "160.000" in text
    assert "96.200.000" in text
    assert re.search(r"\b56,4\b", text)
    assert "1,461" not in text
    assert "56.4" not in text
    assert "30/09/2024" in text
    assert "Chậm tiến độ" in _one_line(text)


def test_every_letter_is_drawn_with_the_embedded_dejavu_font(tmp_path: Path) -> None:
    pdf = _pdf_file(tmp_path, overview_report(Language.VI))

    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, check=True, text=True)

    fonts = [line.split() for line in listing.stdout.splitlines()[2:]]
    # A font that is not embedded (Helvetica) is drawn with whatever the reader has: tofu boxes.
    assert {font[0].split("+")[-1] for font in fonts} == {"DejaVuSans", "DejaVuSans-Bold"}
    assert all(font[-5] == "yes" for font in fonts), listing.stdout  # the `emb` column
    dejavu = TTFont("DejaVuSans", str(Path(get_data_path()) / "fonts/ttf/DejaVuSans.ttf"))
    missing = {c for c in _text(pdf) if c.strip() and ord(c) not in dejavu.face.charToGlyph}
    assert not missing


def test_first_page_renders_to_a_png_that_is_not_blank(tmp_path: Path) -> None:
    pdf = _pdf_file(tmp_path, overview_report(Language.VI))

    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
        check=True,
    )

    (png,) = tmp_path.glob("page*.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pixels = np.asarray(imread(png))[..., :3].mean(axis=-1)  # grey levels, 0 to 1
    dark = (pixels < 0.5).mean()
    white = (pixels > 0.95).mean()
    assert dark > 0.005, "page 1 is blank"
    assert white > 0.6, "page 1 is mostly ink"


def test_chart_shows_attainment_per_target_and_is_left_out_without_targets(
    tmp_path: Path,
) -> None:
    with_chart = _one_line(_text(_pdf_file(tmp_path, overview_report(Language.EN)), "-raw"))
    without = _text(_pdf_file(tmp_path, overview_report(Language.EN, bars=False)))

    assert "Attainment per target" in with_chart
    assert "% of target" in with_chart
    assert "79 / 140 (56.4 %)" in with_chart
    # A long name is cut short in the chart; the table keeps it whole.
    assert "Kết nạp đảng viên nhiệm kỳ 2020–2025…" in with_chart
    assert "theo Nghị quyết Đại hội Đảng bộ" in with_chart
    assert "Attainment per target" not in without
    assert re.search(r"Members\s+1,461\b", without)


def test_pages_are_a4_and_the_wide_table_gets_a_landscape_page(tmp_path: Path) -> None:
    pdf = _pdf_file(tmp_path, overview_report(Language.VI))

    done = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "99", str(pdf)], capture_output=True, check=True, text=True
    )

    pages = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts \(A4\)", done.stdout)
    sizes = [(round(float(width)), round(float(height))) for width, height in pages]
    assert re.search(rf"Pages:\s+{len(sizes)}\n", done.stdout)  # every page is A4
    assert sizes[0] == (595, 842)  # the overview figures: portrait
    assert sizes[1] == (842, 595)  # the 17 columns of the attainment table: landscape
    assert set(sizes) <= {(595, 842), (842, 595)}


def test_wide_table_is_not_cut_off(tmp_path: Path) -> None:
    pdf = _pdf_file(tmp_path, overview_report(Language.VI))
    text = _one_line(_text(pdf, "-raw"))

    # Every column's title, and the last column's value in each row.
    for column in ATTAINMENT_COLUMNS:
        assert label(column, Language.VI) in text, column
    for status in ("Chậm tiến độ", "Đã hoàn thành", "Đúng tiến độ", "Có nguy cơ chậm"):
        assert status in text
    assert "Kết nạp đảng viên nhiệm kỳ 2020–2025 theo Nghị quyết Đại hội Đảng bộ" in text
    assert _words_beyond_the_margins(pdf) == []


def test_english_report_writes_1_461_56_4_and_iso_dates(tmp_path: Path) -> None:
    text = _text(_pdf_file(tmp_path, overview_report(Language.EN)))

    assert "Party Committee of Hanoi's industrial and export-processing zones" in text
    assert "As of 2024-06-30" in text
    assert "Period: 2024-01-01 to 2024-06-30" in text
    assert re.search(r"Members\s+1,461\b", text)
    assert re.search(r"\b56\.4\b", text)
    assert "2025-09-30" in text
    assert "30/06/2024" not in text
    assert "1.461" not in text


def test_text_a_user_typed_is_shown_not_read_as_markup(tmp_path: Path) -> None:
    report = overview_report(Language.EN)
    name = 'R&D <b>zone</b> "A"'
    report.tables[0].rows.append([label("zones", Language.EN), name, 1])

    assert name in _one_line(_text(_pdf_file(tmp_path, report), "-raw"))
