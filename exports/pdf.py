"""PDF building blocks: safe text, headings that become bookmarks, tables, and the page frame.

Everything a team typed goes through `text()` before it reaches a reportlab Paragraph, so
`<`, `&` and markup print literally, newlines become line breaks and CJK runs switch font.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.graphics.charts.legends import Legend
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
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
from reportlab.platypus.tableofcontents import TableOfContents

from exports import styles as st

PAGE_W, PAGE_H = LETTER
MARGIN = 0.85 * inch

_CJK = re.compile(
    r"([\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]+)"  # Hangul
    r"|([\u2e80-\u2fdf\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+)"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text(value: object) -> str:
    """User text made safe for a Paragraph: escaped, line breaks kept, CJK in a CJK font."""
    raw = _CONTROL.sub("", "" if value is None else str(value))
    out, last = [], 0
    for match in _CJK.finditer(raw):
        out.append(escape(raw[last : match.start()]))
        font = st.CJK_FONTS["hangul"] if match.group(1) else st.CJK_FONTS["han"]
        out.append(f'<font name="{font}">{escape(match.group(0))}</font>')
        last = match.end()
    out.append(escape(raw[last:]))
    return "".join(out).replace("\r\n", "\n").replace("\n", "<br/>")


def para(value: object, style: str = "body") -> Paragraph:
    return Paragraph(text(value), st.styles()[style])


def markup(trusted: str, style: str = "body") -> Paragraph:
    """A paragraph from the product's own words, which may use <b> and <i>; never user text."""
    return Paragraph(trusted, st.styles()[style])


class Heading(Paragraph):
    """A heading that adds itself to the PDF outline (bookmarks) when it is drawn."""

    def __init__(self, title: str, level: int = 0, style: str | None = None,
                 in_contents: bool = True):
        super().__init__(text(title), st.styles()[style or ("h1", "h2", "h3")[min(level, 2)]])
        self.outline_title = title
        self.outline_level = level
        self.in_contents = in_contents


def heading(title: str, level: int = 0) -> Heading:
    return Heading(title, level)


def labelled(label: str, value: object, *, empty: str = "Not filled in yet") -> list[Flowable]:
    """A small label over a value, the way a form is read back."""
    shown = str(value).strip() if value not in (None, "") else ""
    return [
        markup(escape(label), "label"),
        para(shown, "body") if shown else para(empty, "notice"),
    ]


def table(
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    col_widths: Sequence[float] | None = None,
    *,
    align_right: Sequence[int] = (),
) -> Table:
    """A table whose header repeats on every page it spans; cells wrap instead of overflowing."""
    styles = st.styles()
    right = set(align_right)
    # Cells are paragraphs, so alignment is the paragraph's, not the table's.
    cell_right = ParagraphStyle("cell_right", parent=styles["cell"], alignment=TA_RIGHT)
    head_right = ParagraphStyle("head_right", parent=styles["cell_head"], alignment=TA_RIGHT)
    data = [[Paragraph(text(h), head_right if i in right else styles["cell_head"])
             for i, h in enumerate(header)]]
    for row in rows:
        data.append([Paragraph(text(c), cell_right if i in right else styles["cell"])
                     for i, c in enumerate(row)])
    width = PAGE_W - 2 * MARGIN
    widths = list(col_widths) if col_widths else [width / len(header)] * len(header)
    # splitInRow: a row holding a very long text (10,000 characters fit a field) is taller than
    # a page; reportlab would stop with a LayoutError unless the row may split across pages.
    result = Table(data, colWidths=widths, repeatRows=1, splitByRow=1, splitInRow=1)
    commands = [
        ("BACKGROUND", (0, 0), (-1, 0), st.ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, st.RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [None, st.PALE]),
    ]
    result.setStyle(TableStyle(commands))
    return result


def keep(*flowables: Flowable) -> KeepTogether:
    return KeepTogether(list(flowables))


def new_section() -> CondPageBreak:
    """Start a major section on a new page unless most of this page is still free: a short
    overflow from the section before never leaves a nearly empty page."""
    return CondPageBreak(PAGE_H * 0.55)


def gap(height: float = 8) -> Spacer:
    return Spacer(1, height)


def chart_legend(items: list[tuple[str, colors.Color]], x: float, y: float) -> Legend:
    """A one-row legend with outlined swatches, so fills read in black and white too."""
    legend = Legend()
    legend.x, legend.y = x, y
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 120
    legend.fontName = st.BODY
    legend.fontSize = 8
    legend.strokeColor = colors.black
    legend.strokeWidth = 0.5
    legend.colorNamePairs = [(c, name) for name, c in items]
    return legend


@dataclass(frozen=True)
class Meta:
    title: str
    author: str
    subject: str
    footer: str
    keywords: str = ""
    lang: str = "en-US"


class _NumberedCanvas(Canvas):
    """Holds pages back until the end so each footer can say "page 3 of 12"."""

    footer = ""
    first_numbered = 2  # the cover carries no footer

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._saved_pages: list[dict] = []

    def showPage(self):  # noqa: N802 - reportlab's name
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._saved_pages)
        for number, state in enumerate(self._saved_pages, start=1):
            self.__dict__.update(state)
            if number >= self.first_numbered:
                self._draw_footer(number, total)
            super().showPage()
        super().save()

    def _draw_footer(self, number: int, total: int) -> None:
        self.saveState()
        self.setStrokeColor(st.RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN, 0.62 * inch, PAGE_W - MARGIN, 0.62 * inch)
        self.setFont(st.BODY, 8)
        self.setFillColor(st.MUTED)
        self.drawString(MARGIN, 0.45 * inch, self.footer)
        self.drawRightString(PAGE_W - MARGIN, 0.45 * inch, f"Page {number} of {total}")
        self.restoreState()


class _Doc(BaseDocTemplate):
    def __init__(self, buffer: io.BytesIO, meta: Meta, numbered_from: int = 2):
        super().__init__(
            buffer,
            pagesize=LETTER,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=0.95 * inch,
            title=meta.title,
            author=meta.author,
            subject=meta.subject,
            keywords=meta.keywords,
            creator="ISC Blueprint",
            lang=meta.lang,
            invariant=1,  # same input, same bytes: tests can compare output
            displayDocTitle=1,
        )
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        cover = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="cover")
        self.addPageTemplates([
            PageTemplate(id="cover", frames=[cover]),
            PageTemplate(id="body", frames=[frame]),
        ])
        self._outline_keys = 0

    def beforeDocument(self) -> None:  # noqa: N802 - reportlab's name
        # multiBuild lays the story out again: keys must repeat so contents links resolve.
        self._outline_keys = 0

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - reportlab's name
        if isinstance(flowable, Heading):
            self._outline_keys += 1
            key = f"h{self._outline_keys}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(
                flowable.outline_title, key, level=flowable.outline_level, closed=False
            )
            if flowable.outline_level <= 1 and flowable.in_contents:
                # The contents line is a paragraph too: the title goes in escaped, like
                # the heading, or a scenario named "<img src=...>" breaks the export.
                self.notify("TOCEntry", (flowable.outline_level, text(flowable.outline_title),
                                         self.page, key))


Section = Callable[[], list[Flowable]]


def contents_table() -> TableOfContents:
    """A table of contents with page numbers, filled from the headings on the second pass."""
    toc = TableOfContents(dotsMinLevel=0)
    styles = st.styles()
    toc.levelStyles = [
        ParagraphStyle("toc0", parent=styles["body"], fontName=st.BOLD, leftIndent=0,
                       firstLineIndent=0, spaceBefore=4),
        ParagraphStyle("toc1", parent=styles["body"], leftIndent=16, firstLineIndent=0,
                       spaceBefore=0, spaceAfter=2),
    ]
    return toc


def render(meta: Meta, cover: list[Flowable], body: list[Flowable], *,
           cover_page: bool = True) -> bytes:
    """Lay out a cover page and the body into PDF bytes. A body holding a contents_table()
    is laid out twice so the page numbers are right."""
    st.register_fonts()
    buffer = io.BytesIO()
    doc = _Doc(buffer, meta, numbered_from=2 if cover_page else 1)
    canvas_class = type("FooterCanvas", (_NumberedCanvas,),
                        {"footer": meta.footer, "first_numbered": 2 if cover_page else 1})
    story = ([*cover, NextPageTemplate("body"), PageBreak(), *body] if cover_page
             else [NextPageTemplate("body"), *body])
    if any(isinstance(f, TableOfContents) for f in body):
        doc.multiBuild(story, canvasmaker=canvas_class)
    else:
        doc.build(story, canvasmaker=canvas_class)
    return buffer.getvalue()
