"""The overview and the attainment list as an A4 PDF a clerk prints: heading, tables, chart."""

import datetime as dt
import io
import math
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import matplotlib
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.reports.export import Bar, ReportFile
from app.reports.export import Table as ReportTable
from app.reports.labels import Language, as_of_line, committee, written_date

# The PDF standard fonts have no Vietnamese letters (ạ, ế, ở…); DejaVu Sans has them all and
# comes with matplotlib, so nothing is downloaded or looked up on the host.
FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
_FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
if FONT not in pdfmetrics.getRegisteredFontNames():
    pdfmetrics.registerFont(TTFont(FONT, str(_FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(_FONT_DIR / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)

MARGIN = 15 * mm
# More columns than this do not fit a portrait page legibly: such a table gets a landscape page.
WIDE_TABLE = 6
CELL_PADDING = 2
LONGEST_WORD = 80.0
PHRASE = 110.0  # a name column narrower than this wraps every other word
HEADER_FILL = colors.HexColor("#D9E1F2")  # the XLSX header's colour
STRIPE = colors.HexColor("#F4F6FA")
BAR_COLOR, ACHIEVED_COLOR = colors.HexColor("#4472C4"), colors.HexColor("#3A8D4B")
BAR_NAME_CHARS = 40

# Words only the PDF writes: (Vietnamese, English).
PAGE = ("Trang", "Page")
CHART_TITLE = ("Kết quả thực hiện theo chỉ tiêu", "Attainment per target")
CHART_AXIS = ("% so với chỉ tiêu", "% of target")

TITLE = ParagraphStyle("title", fontName=BOLD, fontSize=16, leading=20, spaceAfter=4)
LINE = ParagraphStyle("line", fontName=FONT, fontSize=10, leading=13)
SECTION = ParagraphStyle("section", fontName=BOLD, fontSize=11, leading=14, spaceAfter=4)


def _words(pair: tuple[str, str], lang: Language) -> str:
    return pair[0] if lang is Language.VI else pair[1]


def written_value(value: Any, lang: Language) -> str:
    """A cell as the language writes it: 1.461 and 56,4 in Vietnamese, 1,461 and 56.4 in
    English; dates by `written_date`; None as nothing."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return written_date(value, lang)
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        text = format(value, ",f" if isinstance(value, Decimal) else ",")
        return text.translate(str.maketrans(",.", ".,")) if lang is Language.VI else text
    return str(value)


def _styles(wide: bool) -> tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle]:
    size = 7 if wide else 9
    text = ParagraphStyle("cell", fontName=FONT, fontSize=size, leading=size * 1.2)
    number = ParagraphStyle("number", parent=text, alignment=TA_RIGHT)
    header = ParagraphStyle("header", parent=text, fontName=BOLD)
    return text, number, header


def _column_widths(
    texts: list[list[str]], header: list[str], size: float, room: float
) -> list[float]:
    """Each column as wide as its longest cell and half its title (a title may take two lines).
    Squeezed, never narrower than its longest word (a very long one is split) nor, as far as
    room allows (left first), a text column narrower than a short phrase; the widest columns
    are squeezed first. Then all are fitted to the page width together."""

    def width(text: str, font: str = FONT) -> float:
        return float(pdfmetrics.stringWidth(text, font, size)) + 2 * CELL_PADDING + 1

    words, phrases, natural = [], [], []
    for index, title in enumerate(header):
        column = [row[index] for row in texts]
        longest = [width(word) for text in column for word in text.split()]
        longest += [width(word, BOLD) for word in title.split()]
        words.append(min(max(longest, default=0.0), LONGEST_WORD))
        cells = [width(text) for text in column]
        natural.append(max([*cells, width(title, BOLD) / 2, words[-1]]))
        prose = any(" " in text for text in column)
        phrases.append(min(natural[-1], PHRASE) if prose else words[-1])
    least = list(words)
    for index, phrase in enumerate(phrases):  # left first: the name column matters most
        least[index] += min(phrase - least[index], max(room - sum(least), 0.0))
    if sum(natural) > room:
        # One ceiling for all: narrow columns keep their width, the widest give up the rest.
        low, high = 0.0, max(natural)
        for _ in range(30):
            ceiling = (low + high) / 2
            fitted = [max(lo, min(hi, ceiling)) for lo, hi in zip(least, natural, strict=True)]
            low, high = (ceiling, high) if sum(fitted) < room else (low, ceiling)
        natural = [max(lo, min(hi, low)) for lo, hi in zip(least, natural, strict=True)]
    return [share * room / sum(natural) for share in natural]


def _table(table: ReportTable, lang: Language, room: float) -> Table:
    wide = len(table.header) > WIDE_TABLE
    text, number, header = _styles(wide)
    texts = [[written_value(value, lang) for value in row] for row in table.rows]
    cells = [[Paragraph(escape(title), header) for title in table.header]]
    for row, written in zip(table.rows, texts, strict=True):
        cells.append(
            [
                Paragraph(escape(shown), number if isinstance(value, int | Decimal) else text)
                for value, shown in zip(row, written, strict=True)
            ]
        )
    widths = _column_widths(texts, table.header, text.fontSize, room)
    pdf_table = Table(cells, colWidths=widths, repeatRows=1, hAlign="LEFT")
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("FONTNAME", (0, 0), (-1, -1), FONT),  # the cells are Paragraphs; this keeps out Helvetica
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    style += [("BACKGROUND", (0, i), (-1, i), STRIPE) for i in range(2, len(cells), 2)]
    pdf_table.setStyle(TableStyle(style))
    return pdf_table


def _short(name: str) -> str:
    """A name that fits beside its bar: cut at a word when one ends late enough."""
    if len(name) <= BAR_NAME_CHARS:
        return name
    cut = name[: BAR_NAME_CHARS - 1]
    if (space := cut.rfind(" ")) > BAR_NAME_CHARS // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:–-") + "…"


def _chart(bars: list[Bar], lang: Language, room: float, height: float) -> Drawing:
    """Bars of percent of target (targets of 5 and of 500 read on one axis), the target as a
    line at 100 %, and beside the plot each target's actual / target (percent)."""
    percents = [bar.actual * 100 / bar.target for bar in bars]
    axis_top = max(120, math.ceil(max(percents) * 1.05 / 20) * 20)
    step = min(20.0, (height - 40) / len(bars))
    names_room, figures_room = min(220.0, room * 0.35), 95.0
    chart = HorizontalBarChart()
    chart.x, chart.y = names_room, 28
    chart.width, chart.height = room - names_room - figures_room, step * len(bars)
    chart.data = [list(reversed(percents))]  # drawn bottom up: the table's first target on top
    chart.categoryAxis.categoryNames = [_short(bar.name) for bar in reversed(bars)]
    chart.categoryAxis.labels.fontName, chart.categoryAxis.labels.fontSize = FONT, 7
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, axis_top
    chart.valueAxis.valueStep = 20 if axis_top <= 200 else 50 * math.ceil(axis_top / 500)
    chart.valueAxis.labels.fontName, chart.valueAxis.labels.fontSize = FONT, 7
    chart.valueAxis.visibleGrid, chart.valueAxis.gridStrokeColor = True, colors.lightgrey
    chart.barWidth, chart.groupSpacing = 0.6 * step, 0.4 * step
    chart.bars.strokeColor = None
    chart.bars[0].fillColor = BAR_COLOR
    for index, percent in enumerate(reversed(percents)):
        if percent >= 100:
            chart.bars[(0, index)].fillColor = ACHIEVED_COLOR
    drawing = Drawing(room, chart.y + chart.height + 16, initialFontName=FONT)
    drawing.add(chart)
    target_x = chart.x + chart.width * 100 / axis_top
    top = chart.y + chart.height + 3
    drawing.add(Line(target_x, chart.y, target_x, top, strokeColor=colors.red, strokeWidth=1.2))
    mark = String(target_x, top + 3, "100 %", fontName=BOLD, fontSize=7, textAnchor="middle")
    mark.fillColor = colors.red
    drawing.add(mark)
    for index, bar in enumerate(bars):
        exact = Decimal(bar.actual * 100) / bar.target  # one decimal, half-up, as the table
        shown = written_value(exact.quantize(Decimal("0.1"), ROUND_HALF_UP), lang)
        figures = f"{written_value(bar.actual, lang)} / {written_value(bar.target, lang)}"
        y = chart.y + chart.height - (index + 0.5) * step - 2.5
        drawing.add(
            String(chart.x + chart.width + 6, y, f"{figures} ({shown} %)", fontName=FONT,
                   fontSize=7)
        )  # fmt: skip
    axis = String(chart.x + chart.width / 2, 4, _words(CHART_AXIS, lang), fontName=FONT,
                  fontSize=8, textAnchor="middle")  # fmt: skip
    drawing.add(axis)
    return drawing


def _page_templates(report: ReportFile) -> dict[str, PageTemplate]:
    """A portrait and a landscape A4 page, each with a footer: what, as of when, page number."""
    footer = f"{report.title} · {as_of_line(report.as_of, report.lang)}"
    page_word = _words(PAGE, report.lang)

    def draw_footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(colors.grey)
        canvas.drawString(MARGIN, MARGIN / 2, footer)
        right = doc.pageTemplate.pagesize[0] - MARGIN  # this page's, portrait or landscape
        canvas.drawRightString(right, MARGIN / 2, f"{page_word} {doc.page}")
        canvas.restoreState()

    templates = {}
    for orientation, size in (("portrait", A4), ("landscape", landscape(A4))):
        width, height = size[0] - 2 * MARGIN, size[1] - 2 * MARGIN
        frame = Frame(MARGIN, MARGIN, width, height, 0, 0, 0, 0, id=orientation)
        templates[orientation] = PageTemplate(orientation, [frame], draw_footer, pagesize=size)
    return templates


def _orientation(table: ReportTable) -> str:
    return "landscape" if len(table.header) > WIDE_TABLE else "portrait"


def to_pdf(report: ReportFile) -> bytes:
    """The heading lines, each table under its name (wide ones on landscape pages, header row
    repeated), then the chart of attainment per target when there are targets to chart."""
    templates = _page_templates(report)
    current = _orientation(report.tables[0]) if report.tables else "portrait"
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=templates[current].pagesize,
        title=report.title,
        author=committee(report.lang),
        subject=as_of_line(report.as_of, report.lang),
        creator="kcn-party",
        lang=report.lang.value,
        initialFontName=FONT,  # else every page also references Helvetica, not embedded
    )
    # The first template is the first page's.
    doc.addPageTemplates(sorted(templates.values(), key=lambda page: page.id != current))

    title, *lines = report.heading()
    story: list[Any] = [Paragraph(escape(title), TITLE)]
    story += [Paragraph(escape(line), LINE) for line in lines]
    for table in report.tables:
        if (wanted := _orientation(table)) != current:
            story += [NextPageTemplate(wanted), PageBreak()]
            current = wanted
        room = templates[current].frames[0].width
        story += [Spacer(1, 10), Paragraph(escape(table.name), SECTION)]
        story.append(_table(table, report.lang, room))
    if report.bars:
        frame = templates[current].frames[0]
        heading = Paragraph(escape(_words(CHART_TITLE, report.lang)), SECTION)
        chart = _chart(report.bars, report.lang, frame.width, frame.height - 30)
        story += [Spacer(1, 12), KeepTogether([heading, chart])]
    doc.build(story)
    return buffer.getvalue()
