"""The self-assessment in the Blueprint: a radar chart, scores, the weakest areas, next steps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from openpyxl import Workbook
from reportlab.graphics.charts.spider import SpiderChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.platypus import Flowable

from exports import pdf, workbook
from exports import styles as st
from toolkit import assessment as am
from toolkit.store import Actor, Store


@dataclass(frozen=True)
class AssessmentSection:
    doc: am.AssessmentDoc

    @property
    def started(self) -> bool:
        return self.doc.started


def gather(store: Store, actor: Actor, team_id: int, today: dt.date) -> AssessmentSection:
    return AssessmentSection(store.load(actor, team_id, am.AssessmentDoc).body)


def radar(series: list[tuple[str, list[float | None]]], names: list[str]) -> Drawing:
    """A spider chart: the latest round solid and dark, an earlier one dashed; areas with no
    answer sit at the centre. Readable in black and white."""
    drawing = Drawing(pdf.PAGE_W - 2 * pdf.MARGIN, 330)
    chart = SpiderChart()
    chart.x, chart.y, chart.width, chart.height = 110, 30, drawing.width - 220, 260
    chart.data = [[v or 0 for v in values] for _, values in series]
    chart.labels = [n if len(n) <= 24 else n[:23] + "…" for n in names]
    chart.strands.strokeWidth = 1.5
    chart.strandLabels.fontName = st.BODY
    chart.spokeLabels.fontName = st.BODY
    chart.spokeLabels.fontSize = 7.5
    chart.spokes.strokeColor = st.RULE
    chart.strands[0].strokeColor = colors.HexColor("#0B4F8A")
    chart.strands[0].fillColor = colors.Color(0.04, 0.31, 0.54, alpha=0.18)
    if len(series) > 1:
        chart.strands[1].strokeColor = colors.black
        chart.strands[1].strokeDashArray = [4, 3]
        chart.strands[1].fillColor = None
    # The scale always runs 0 to 4 so charts of different rounds compare.
    chart.data.append([4] * len(names))
    chart.strands[len(series)].strokeColor = None
    chart.strands[len(series)].fillColor = None
    drawing.add(chart)
    drawing.add(pdf.chart_legend([(label, c) for (label, _), c in
                         zip(series, [colors.HexColor("#0B4F8A"), colors.black], strict=False)],
                        110, 320))
    return drawing


def section(s: AssessmentSection, number: int | None, title: str) -> list[Flowable]:
    content = am.load_assessment()
    rnd = s.doc.latest
    heading = f"{number}. {title}" if number else title
    flow: list[Flowable] = [pdf.heading(heading, 0)]
    if rnd is None:
        return flow + [pdf.para("Not started.", "notice")]
    scores = am.score_round(rnd, content)
    total = am.overall(scores)
    flow.append(pdf.para(
        f"Latest round: {rnd.label}, started {rnd.started_on:%B} {rnd.started_on.day}, "
        f"{rnd.started_on.year}. Levels run from 1 (Starting) to 4 (Leading). "
        + (f"Overall score {total:.2f}. " if total is not None else "")
        + f"{sum(x.answered for x in scores)} statements answered, "
        f"{sum(x.not_sure for x in scores)} not sure (kept apart from the scores)."))
    series = [(rnd.label, [x.score for x in scores])]
    if len(s.doc.rounds) > 1:
        earlier = s.doc.rounds[-2]
        series.append((earlier.label, [x.score for x in am.score_round(earlier, content)]))
    flow.append(pdf.keep(radar(series, [a.name for a in content.areas])))
    flow.append(pdf.para("Chart in words: " + "; ".join(
        f"{x.name} {x.score:.1f}" if x.score is not None else f"{x.name} not answered"
        for x in scores) + ".", "small"))
    history = am.history(s.doc, content)
    header = ["Area", *[r.label for r, _ in history[-3:]]]
    rows = [(area.name, *[f"{h[area.id]:.1f}" if h[area.id] is not None else "—"
                          for _, h in history[-3:]]) for area in content.areas]
    width = pdf.PAGE_W - 2 * pdf.MARGIN
    flow.append(pdf.table(header, rows, [width - 1.3 * 72 * (len(header) - 1)]
                          + [1.3 * 72] * (len(header) - 1), align_right=range(1, len(header))))
    flow.append(pdf.heading("The three weakest areas and next steps", 1))
    for step in am.weakest(scores, content):
        block = [pdf.heading(f"{step.area.name} ({step.score:.1f})", 2)]
        block += [pdf.para(f"• {action.text}") for action in step.actions]
        if step.question_titles:
            block.append(pdf.para("Tech questions to ask: "
                                  + " / ".join(step.question_titles.values()), "small"))
        block.append(pdf.para("Guidebook topics: " + ", ".join(
            t.replace("_", " ") for t in step.guidebook_topics), "small"))
        flow.append(pdf.keep(*block))
    return flow


def add_sheets(wb: Workbook, s: AssessmentSection) -> None:
    if not s.doc.rounds:
        return
    content = am.load_assessment()
    ws = wb.create_sheet(workbook.sheet_title("Self-assessment", wb.sheetnames))
    history = am.history(s.doc, content)
    workbook.header(ws, ["Area", *[r.label for r, _ in history]],
                    [36, *[18] * len(history)])
    for row, area in enumerate(content.areas, start=2):
        workbook.text_cell(ws, row, 1, area.name)
        for col, (_, by_area) in enumerate(history, start=2):
            ws.cell(row=row, column=col, value=by_area[area.id])
    answers = wb.create_sheet(workbook.sheet_title("Assessment answers", wb.sheetnames))
    workbook.header(answers, ["Round", "Area", "Statement", "Level", "Not sure", "Note",
                              "Evidence link"], [20, 28, 50, 8, 10, 50, 40])
    row = 2
    for rnd in s.doc.rounds:
        for area in content.areas:
            for statement in area.statements:
                answer = rnd.answers.get(statement.id)
                if answer is None or not answer.answered:
                    continue
                for col, value in enumerate(
                        [rnd.label, area.name, statement.text], start=1):
                    workbook.text_cell(answers, row, col, value)
                answers.cell(row=row, column=4, value=answer.level)
                workbook.text_cell(answers, row, 5, "yes" if answer.not_sure else "")
                workbook.text_cell(answers, row, 6, answer.note)
                workbook.text_cell(answers, row, 7, answer.evidence_link)
                row += 1
