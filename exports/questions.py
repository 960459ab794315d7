"""The Ten Tech Questions on paper: the Blueprint section, the question card and the workbook."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

from exports import pdf, workbook
from exports import styles as st
from toolkit import questions as qs
from toolkit.store import Actor, Store

DARK = colors.HexColor("#0B4F8A")
LIGHT = colors.HexColor("#DCE5EF")
CHART_LIMIT = 15  # more bars than this stop being readable on a page
MATRIX_COLUMNS = 5  # respondents per matrix table, so columns stay wide enough to read
NEXT_LIMIT = 10


@dataclass(frozen=True)
class QuestionsSection:
    """A team's questions document and the content it refers to; renderers need nothing else."""

    plan: qs.QuestionsPlan
    content: qs.QuestionsFile

    @property
    def started(self) -> bool:
        return self.plan.started

    @property
    def comparisons(self) -> list[qs.Comparison]:
        return [qs.compare(self.plan, m.id, self.content) for m in self.plan.meetings]


def gather(store: Store, actor: Actor, team_id: int, today: dt.date) -> QuestionsSection:
    # `today` keeps the signature every section shares; nothing here depends on the date.
    del today
    return QuestionsSection(store.load(actor, team_id, qs.QuestionsPlan).body,
                            qs.load_questions())


def _date(day: dt.date | None) -> str:
    return f"{day:%B} {day.day}, {day.year}" if day else "Date not set"


def _meeting_line(meeting: qs.Meeting) -> str:
    parts = [f"Audience: {qs.AUDIENCE_LABELS[meeting.audience]}", _date(meeting.date)]
    if meeting.project:
        parts.append(f"Project: {meeting.project}")
    return " · ".join(parts)


def _source(q: qs.AskedQuestion) -> str:
    if q.core is None:
        return "Our own question"
    return f"Question {q.core.number} of the ten" + (", reworded" if q.reworded else "")


def totals_chart(totals: list[qs.RespondentTotal]) -> Drawing:
    """Points won beside points possible, per respondent: dark fill against an outlined pale
    bar, so it reads in black and white."""
    rows = totals[:CHART_LIMIT]
    height = 30 + 30 * len(rows)
    drawing = Drawing(pdf.PAGE_W - 2 * pdf.MARGIN, height + 34)
    chart = HorizontalBarChart()
    chart.x, chart.y = 160, 24
    chart.width, chart.height = drawing.width - 180, height - 10
    # Possible first: in a reversed category axis the first series is drawn lower, so the
    # points scored sit on top where the eye lands first.
    chart.data = [[t.possible for t in rows], [t.points for t in rows]]
    chart.categoryAxis.categoryNames = [_clip(t.respondent.name, 30) for t in rows]
    chart.categoryAxis.reverseDirection = 1
    chart.categoryAxis.labels.fontName = st.BODY
    chart.categoryAxis.labels.fontSize = 7.5
    chart.valueAxis.labels.fontName = st.BODY
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max([3, *(t.possible for t in rows)])
    chart.valueAxis.valueStep = 3 if chart.valueAxis.valueMax <= 36 else 6
    chart.bars[0].fillColor, chart.bars[1].fillColor = LIGHT, DARK
    chart.bars.strokeColor = colors.black
    chart.bars.strokeWidth = 0.5
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = st.BODY
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    drawing.add(pdf.chart_legend([("Points scored", DARK), ("Points possible", LIGHT)], 160,
                        height + 26))
    return drawing


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def chart_in_words(comparison: qs.Comparison) -> str:
    shown, left_out = qs.chart_totals(comparison, CHART_LIMIT)
    text = "Chart in words: " + "; ".join(
        f"{t.respondent.name}, {t.points} of {t.possible} points" for t in shown) + "."
    if left_out:
        text += f" {len(left_out)} more respondents with lower shares are in the table."
    silent = comparison.without_scores()
    if silent:
        text += (f" Not shown, because nothing is scored yet: "
                 f"{', '.join(t.respondent.name for t in silent[:10])}"
                 + (f" and {len(silent) - 10} more" if len(silent) > 10 else "") + ".")
    return text


def _comparison_flow(c: qs.Comparison, content: qs.QuestionsFile) -> list[Flowable]:
    width = pdf.PAGE_W - 2 * pdf.MARGIN
    flow: list[Flowable] = [pdf.heading("Comparison", 2)]
    for chunk in qs.pages_of(c.respondents, MATRIX_COLUMNS):
        first = 2.3 * inch
        rest = (width - first) / len(chunk)
        rows = [(q.short(90), *c.matrix(chunk)[i]) for i, q in enumerate(c.questions)]
        flow.append(pdf.table(["Question", *(r.name for r in chunk)], rows,
                              [first, *[rest] * len(chunk)]))
        flow.append(pdf.gap(6))
    flow.append(pdf.para("Each square shows the score (0 no answer, 1 weak, 2 adequate, "
                         "3 strong) and the number of red flags heard. A dash means the "
                         "question was not asked.", "small"))
    flow.append(pdf.table(
        ["Respondent", "Kind", "Points", "Asked", "Answered", "Red flags"],
        [(t.respondent.name, qs.KIND_LABELS[t.respondent.kind], t.points_text,
          f"{t.asked} of {t.questions}", str(t.answered), str(t.flags))
         for t in c.standings()],
        [2.0 * inch, 1.2 * inch, 1.2 * inch, 0.7 * inch, 0.95 * inch, width - 6.05 * inch],
        align_right=(3, 4, 5)))
    shown, _ = qs.chart_totals(c, CHART_LIMIT)
    if shown:
        flow.append(pdf.keep(pdf.heading("Points by respondent", 2), totals_chart(shown)))
        flow.append(pdf.para(chart_in_words(c), "small"))
    steps = qs.ask_next(c, content, limit=NEXT_LIMIT)
    if steps:
        flow.append(pdf.heading("What to ask next", 2))
        flow.append(pdf.table(
            ["Respondent", "Question", "Why", "Ask next"],
            [(s.respondent.name, s.question.short(80),
              "\n".join([s.reason + (":" if s.flags else "."), *(f"• {f}" for f in s.flags)]),
              "\n".join(s.follow_ups[:2])) for s in steps],
            [1.2 * inch, 1.7 * inch, 1.8 * inch, width - 4.7 * inch]))
    return flow


def section(s: QuestionsSection, number: int, title: str) -> list[Flowable]:
    flow: list[Flowable] = [pdf.heading(f"{number}. {title}", 0)]
    flow.append(pdf.para(
        "The hard questions the team prepared for staff, vendors, partners and providers, how "
        "each person asked answered them, and what to ask next. A strong answer is specific, "
        "in writing, and names who is responsible."))
    if not s.plan.meetings:
        flow.append(pdf.para("No meeting has been prepared yet.", "notice"))
    for c in s.comparisons:
        flow.append(pdf.heading(f"Meeting: {c.meeting.title}", 1))
        flow.append(pdf.para(_meeting_line(c.meeting), "small"))
        flow.append(pdf.heading("Key findings", 2))
        for finding in qs.key_findings(c):
            flow.append(pdf.para(f"• {finding}"))
        flow.append(pdf.heading("Questions prepared", 2))
        if c.questions:
            flow.append(pdf.table(["#", "Question, as it will be asked", "Based on"],
                                  [(str(q.position), q.text, _source(q)) for q in c.questions],
                                  [0.35 * inch, 4.4 * inch, 1.75 * inch]))
        else:
            flow.append(pdf.para("No questions chosen for this meeting yet.", "notice"))
        if c.respondents and c.questions:
            flow += _comparison_flow(c, s.content)
    return flow


# --- the question card --------------------------------------------------------------------

CARD_MARGIN = 0.55 * inch
SCORE_COLUMN = 1.35 * inch
LINE_GAP = 20  # points between writing lines: room for handwriting
CARD_SIZES = (16, 15, 14, 13, 12, 11, 10, 9)  # question type, largest that fits wins


def _card_styles(size: float) -> dict[str, ParagraphStyle]:
    st.register_fonts()
    base = st.styles()["body"]
    return {
        "title": ParagraphStyle("card_title", parent=base, fontName=st.BOLD, fontSize=18,
                                leading=22, spaceAfter=0),
        "meta": ParagraphStyle("card_meta", parent=base, fontSize=10.5, leading=13.5,
                               textColor=st.MUTED, spaceAfter=0),
        "question": ParagraphStyle("card_q", parent=base, fontName=st.BOLD, fontSize=size,
                                   leading=size * 1.22, spaceAfter=0),
        "small": ParagraphStyle("card_small", parent=base, fontSize=9, leading=11.5,
                                textColor=st.MUTED, spaceAfter=0),
    }


def question_card_pdf(meeting: qs.Meeting, questions: list[qs.AskedQuestion]) -> bytes:
    """One page to take into the room: the questions in order, large, with lines to write on
    and a score to circle. The type shrinks only as far as it must to fit one page; a card
    of very long questions of the team's own runs on to a second page rather than lose words.
    """
    page_w, page_h = LETTER
    width = page_w - 2 * CARD_MARGIN
    text_w = width - SCORE_COLUMN
    top, bottom = page_h - CARD_MARGIN, CARD_MARGIN + 14
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=LETTER, invariant=1, lang="en-US")
    canvas.setTitle(f"Question card: {meeting.title}")
    canvas.setAuthor("ISC Blueprint")
    canvas.setSubject("Ten tech prompt questions: a card to take into the meeting")
    canvas.setCreator("ISC Blueprint")

    def paragraph(value: str, style: ParagraphStyle, w: float) -> tuple[Paragraph, float]:
        p = Paragraph(pdf.text(value), style)
        return p, p.wrap(w, page_h)[1]

    for size in CARD_SIZES:
        s = _card_styles(size)
        head = [paragraph(meeting.title, s["title"], width),
                paragraph(_meeting_line(meeting), s["meta"], width),
                paragraph("Who we asked: ______________________________   "
                          "Their role: ____________________", s["meta"], width),
                paragraph("Circle a score for each answer: 0 no answer, 1 weak, 2 adequate, "
                          "3 strong. A strong answer is specific, in writing, and names who is "
                          "responsible.", s["small"], width)]
        asked = [paragraph(q.label, s["question"], text_w) for q in questions]
        head_h = sum(h + 6 for _, h in head) + 4
        needed = sum(h + 8 + LINE_GAP for _, h in asked)  # at least one line each
        if head_h + needed <= top - bottom:
            break
    # Whatever room is left is shared out as writing space, a whole line where it fits.
    room = LINE_GAP + max(0.0, (top - bottom) - head_h - needed) / max(len(asked), 1)
    lines = max(1, int(room // LINE_GAP))

    def footer() -> None:
        canvas.setFont(st.BODY, 8)
        canvas.setFillColor(st.MUTED)
        canvas.drawString(CARD_MARGIN, CARD_MARGIN - 4,
                          "ISC Blueprint · Ten tech prompt questions · Ask, write it down, "
                          "score it.")

    y = top
    for p, h in head:
        p.drawOn(canvas, CARD_MARGIN, y - h)
        y -= h + 6
    y -= 4
    for p, h in asked:
        if y - (h + 8 + room) < bottom - 0.5:
            footer()
            canvas.showPage()
            y = top
        p.drawOn(canvas, CARD_MARGIN, y - h)
        _score_boxes(canvas, CARD_MARGIN + text_w + 10, y - 15)
        y -= h + 4
        canvas.setStrokeColor(st.RULE)
        canvas.setLineWidth(0.6)
        area_bottom = y - room
        for k in range(lines):
            canvas.line(CARD_MARGIN + 14, area_bottom + k * LINE_GAP,
                        CARD_MARGIN + width, area_bottom + k * LINE_GAP)
        y = area_bottom - 4
    footer()
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _score_boxes(canvas: Canvas, x: float, y: float) -> None:
    """Four outlined boxes, 0 to 3, to circle or tick by hand."""
    canvas.saveState()
    canvas.setStrokeColor(colors.black)
    canvas.setLineWidth(0.8)
    canvas.setFont(st.BOLD, 11)
    canvas.setFillColor(st.INK)
    for i in range(4):
        left = x + i * 22
        canvas.rect(left, y - 2, 18, 18, stroke=1, fill=0)
        canvas.drawCentredString(left + 9, y + 3, str(i))
    canvas.restoreState()


# --- the workbook -------------------------------------------------------------------------


def add_sheets(wb: Workbook, s: QuestionsSection) -> None:
    """The prepared questions, a comparison sheet per meeting with live totals, every answer
    with its notes, what to ask next and the key findings: a procurement file's record."""
    prepared = wb.create_sheet(workbook.sheet_title("Questions prepared", wb.sheetnames))
    workbook.header(prepared, ["Meeting", "Audience", "Date", "Project", "#",
                               "Question, as asked", "Based on", "Original wording"],
                    [30, 16, 12, 40, 5, 70, 24, 70])
    comparisons = s.comparisons
    row = 2
    for c in comparisons:
        for q in c.questions:
            workbook.text_cell(prepared, row, 1, c.meeting.title)
            workbook.text_cell(prepared, row, 2, qs.AUDIENCE_LABELS[c.meeting.audience])
            prepared.cell(row=row, column=3, value=c.meeting.date).number_format = "yyyy-mm-dd"
            workbook.text_cell(prepared, row, 4, c.meeting.project)
            prepared.cell(row=row, column=5, value=q.position)
            workbook.text_cell(prepared, row, 6, q.text).alignment = Alignment(wrap_text=True)
            workbook.text_cell(prepared, row, 7, _source(q))
            workbook.text_cell(prepared, row, 8, q.original).alignment = Alignment(
                wrap_text=True)
            row += 1
    if not comparisons:
        workbook.text_cell(prepared, 2, 1, "No meeting has been prepared yet.")

    for c in comparisons:
        _comparison_sheet(wb, c)

    answers = wb.create_sheet(workbook.sheet_title("Answers", wb.sheetnames))
    workbook.header(answers, ["Meeting", "Respondent", "Kind", "#", "Question", "Score",
                              "Score means", "Red flags heard", "Notes"],
                    [28, 28, 16, 5, 60, 8, 12, 60, 80])
    row = 2
    for c in comparisons:
        for r in c.respondents:
            for q in c.questions:
                a = c.answer(q.id, r.id)
                if a is None or a.is_blank:
                    continue
                workbook.text_cell(answers, row, 1, c.meeting.title)
                workbook.text_cell(answers, row, 2, r.name)
                workbook.text_cell(answers, row, 3, qs.KIND_LABELS[r.kind])
                answers.cell(row=row, column=4, value=q.position)
                workbook.text_cell(answers, row, 5, q.text)
                answers.cell(row=row, column=6, value=a.score)
                workbook.text_cell(answers, row, 7, "" if a.score is None else
                                   qs.RUBRIC_WORDS[a.score].capitalize())
                workbook.text_cell(answers, row, 8, "\n".join(a.all_flags))
                workbook.text_cell(answers, row, 9, a.notes)
                for col in (5, 8, 9):
                    answers.cell(row=row, column=col).alignment = Alignment(wrap_text=True,
                                                                             vertical="top")
                row += 1
    answers.auto_filter.ref = f"A1:I{max(row - 1, 1)}"

    nxt = wb.create_sheet(workbook.sheet_title("What to ask next", wb.sheetnames))
    workbook.header(nxt, ["Meeting", "Respondent", "#", "Question", "Why", "Red flags",
                          "Follow-up questions"], [28, 28, 5, 60, 26, 60, 70])
    row = 2
    for c in comparisons:
        for step in qs.ask_next(c, s.content, limit=50):
            workbook.text_cell(nxt, row, 1, c.meeting.title)
            workbook.text_cell(nxt, row, 2, step.respondent.name)
            nxt.cell(row=row, column=3, value=step.question.position)
            workbook.text_cell(nxt, row, 4, step.question.text)
            workbook.text_cell(nxt, row, 5, step.reason)
            workbook.text_cell(nxt, row, 6, "\n".join(step.flags))
            workbook.text_cell(nxt, row, 7, "\n".join(step.follow_ups))
            for col in (4, 6, 7):
                nxt.cell(row=row, column=col).alignment = Alignment(wrap_text=True,
                                                                     vertical="top")
            row += 1

    findings = wb.create_sheet(workbook.sheet_title("Key findings", wb.sheetnames))
    workbook.header(findings, ["Meeting", "Finding"], [34, 120])
    row = 2
    for c in comparisons:
        for finding in qs.key_findings(c):
            workbook.text_cell(findings, row, 1, c.meeting.title)
            workbook.text_cell(findings, row, 2, finding).alignment = Alignment(wrap_text=True)
            row += 1


def _comparison_sheet(wb: Workbook, c: qs.Comparison) -> None:
    """Questions down, two columns per respondent (score, red flags), SUM totals below."""
    ws = wb.create_sheet(workbook.sheet_title(f"Compare {c.meeting.title}", wb.sheetnames))
    titles, widths = ["#", "Question"], [5, 60]
    for r in c.respondents:
        titles += [f"{r.name}: score", f"{r.name}: red flags"]
        widths += [16, 12]
    workbook.header(ws, titles, widths)
    ws.row_dimensions[1].height = 45
    for i, q in enumerate(c.questions, start=2):
        ws.cell(row=i, column=1, value=q.position)
        workbook.text_cell(ws, i, 2, q.text).alignment = Alignment(wrap_text=True,
                                                                    vertical="top")
        for j, r in enumerate(c.respondents):
            cell = c.cell(q.id, r.id)
            ws.cell(row=i, column=3 + 2 * j, value=cell.score)  # blank: not asked or scored
            ws.cell(row=i, column=4 + 2 * j, value=cell.flags if cell.recorded else None)
    last = len(c.questions) + 1
    rows = [("Total points", "SUM"), ("Questions scored", "COUNT"),
            ("Points possible", None)]
    for k, (label, fn) in enumerate(rows):
        at = last + 2 + k
        workbook.text_cell(ws, at, 2, label).font = workbook.BOLD
        for j in range(len(c.respondents)):
            score = get_column_letter(3 + 2 * j)
            flags = get_column_letter(4 + 2 * j)
            if fn:
                ws.cell(row=at, column=3 + 2 * j,
                        value=f"={fn}({score}2:{score}{max(last, 2)})").font = workbook.BOLD
            else:
                ws.cell(row=at, column=3 + 2 * j,
                        value=f"=3*{score}{last + 3}").font = workbook.BOLD
            if fn == "SUM":
                ws.cell(row=at, column=4 + 2 * j,
                        value=f"=SUM({flags}2:{flags}{max(last, 2)})").font = workbook.BOLD
    note = last + 6
    workbook.text_cell(ws, note, 2, "Scores: 0 no answer, 1 weak, 2 adequate, 3 strong. A blank "
                                    "score means not asked or not scored yet. Totals "
                                    "recalculate when a score is changed.")
    ws.freeze_panes = "C2"


def comparison_xlsx(s: QuestionsSection) -> bytes:
    """The comparison alone, for a procurement file."""
    wb = Workbook()
    wb.remove(wb.active)
    add_sheets(wb, s)
    return workbook.to_bytes(wb)
