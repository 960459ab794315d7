"""After the Institute: the progress report PDF and the follow-up section and sheets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.platypus import Flowable

from exports import pdf
from exports import styles as st
from exports import workbook as wb_
from toolkit import budget as bg
from toolkit import followup as fu
from toolkit.action_plan import ActionPlan
from toolkit.store import Actor, Store

DARK = colors.HexColor("#0B4F8A")
LIGHT = colors.HexColor("#B7C7D9")
W = 72  # points per inch


@dataclass(frozen=True)
class FollowUpSection:
    team_name: str
    plan: ActionPlan | None
    followup: fu.FollowUp
    budget: list[fu.BudgetYear]
    today: dt.date

    @property
    def started(self) -> bool:
        return self.followup.started

    @property
    def latest(self) -> fu.CheckIn | None:
        return self.followup.latest

    @property
    def series(self) -> list[fu.MeasureSeries]:
        return fu.measure_series(self.plan, self.followup) if self.plan else []


def gather(store: Store, actor: Actor, team_id: int, today: dt.date) -> FollowUpSection:
    team = store.get_team(actor, team_id)
    return FollowUpSection(
        team_name=f"{team.city or team.slug}{', ' + team.state if team.state else ''}",
        plan=fu.load_plan(store, actor, team_id),
        followup=store.load(actor, team_id, fu.FollowUp).body,
        budget=fu.load_budget_years(store, actor, team_id, today),
        today=today)


def progress_chart(series: list[fu.MeasureSeries]) -> Drawing:
    """Percent of the way from baseline to target per measure, with a line at 100 (target)."""
    rows = [s for s in series if s.percent_of_way is not None][:12]
    height = 40 + 26 * len(rows)
    drawing = Drawing(pdf.PAGE_W - 2 * pdf.MARGIN, height + 24)
    chart = HorizontalBarChart()
    chart.x, chart.y = 170, 24
    chart.width, chart.height = drawing.width - 190, height - 20
    # Clamped so one runaway measure does not squash the rest; the words give the real value.
    chart.data = [[max(-50.0, min(150.0, s.percent_of_way)) for s in rows]]
    chart.categoryAxis.categoryNames = [s.measure.name[:34] for s in rows]
    chart.categoryAxis.reverseDirection = 1
    chart.categoryAxis.labels.fontName = st.BODY
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = -50, 150, 50
    chart.valueAxis.labels.fontName = st.BODY
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.bars[0].fillColor = DARK
    chart.bars.strokeColor = colors.black
    chart.bars.strokeWidth = 0.4
    drawing.add(chart)
    for value, label in ((0, "Baseline"), (100, "Target")):
        x = chart.x + chart.width * (value + 50) / 200
        drawing.add(Line(x, chart.y, x, chart.y + chart.height, strokeColor=colors.black,
                         strokeWidth=0.8, strokeDashArray=[3, 2]))
        drawing.add(String(x, chart.y + chart.height + 6, label, fontName=st.BODY,
                           fontSize=7, textAnchor="middle"))
    return drawing


def _day(value: dt.date | None) -> str:
    return f"{value:%b %d, %Y}" if value else "—"


def section(s: FollowUpSection, number: int, title: str) -> list[Flowable]:
    flow: list[Flowable] = [pdf.heading(f"{number}. {title}", 0)]
    if s.plan is None:
        flow.append(pdf.para(fu.NO_PLAN_MESSAGE, "notice"))
    latest = s.latest
    if latest is None:
        flow.append(pdf.para("No check-in recorded yet. The first check-in after the Institute "
                             "will show progress here.", "notice"))
        return flow
    ordered = s.followup.ordered()
    flow.append(pdf.para(
        f"{len(ordered)} check-in{'s' if len(ordered) != 1 else ''} since the Blueprint. "
        f"Latest: {latest.label or 'check-in'} on {_day(latest.date)}.", "body"))

    if s.plan is not None and s.plan.milestones:
        rows = fu.milestone_rows(s.plan, latest)
        behind = [r for r in rows if r.behind]
        flow.append(pdf.heading("Where the plan is behind", 1))
        if behind:
            flow.append(pdf.table(
                ["Milestone", "Planned end", "Reported", "By the rules", "Note"],
                [(r.milestone.name, _day(r.milestone.end), fu.STATUS_LABELS[r.reported],
                  fu.STATUS_LABELS[r.computed], r.note) for r in behind],
                [2.2 * W, 0.9 * W, 0.8 * W, 0.8 * W, 1.8 * W]))
            flow.append(pdf.para("A milestone past its planned end and not done counts as late, "
                                 "whatever was reported.", "small"))
        else:
            flow.append(pdf.para("Nothing is late or at risk.", "body"))
        flow.append(pdf.heading("Milestones planned and actual", 1))
        flow.append(pdf.table(
            ["Milestone", "Planned end", "Status at the latest check-in"],
            [(r.milestone.name, _day(r.milestone.end), fu.STATUS_LABELS[r.computed])
             for r in rows], [3.8 * W, 1.0 * W, 1.7 * W]))
        upcoming = fu.next_milestones(s.plan, latest, latest.date)
        if upcoming:
            flow.append(pdf.heading("What is next", 1))
            flow.append(pdf.table(["Milestone", "Owner", "Planned end"],
                                  [(m.name, m.owner, _day(m.end)) for m in upcoming],
                                  [3.6 * W, 1.9 * W, 1.0 * W]))

    series = s.series
    if series:
        flow.append(pdf.keep(pdf.heading("Measures against baseline and target", 1), pdf.table(
            ["Measure", "Baseline", "Latest", "Target", "Of the way"],
            [(x.measure.name, fu.num(x.measure.baseline),
              f"{fu.num(x.latest.value)} ({_day(x.latest.on)})" if x.latest else "—",
              fu.num(x.measure.target),
              f"{x.percent_of_way:.0f}%" if x.percent_of_way is not None else "—")
             for x in series], [2.6 * W, 0.8 * W, 1.3 * W, 0.8 * W, 1.0 * W],
            align_right=(1, 3, 4))))
        if any(x.percent_of_way is not None for x in series):
            flow.append(pdf.keep(pdf.heading("How far each measure has moved", 2),
                                 progress_chart(series)))
        flow.append(pdf.para("Chart in words: " + " ".join(fu.series_in_words(x)
                                                            for x in series), "small"))
    if s.budget:
        flow.append(pdf.heading("Budget committed and planned", 1))
        flow.append(pdf.table(
            ["Year", "Planned costs", "Committed", "Applying or ideas"],
            [(f"FY{b.year}", bg.money(b.planned, whole=True), bg.money(b.committed, whole=True),
              bg.money(b.hoped, whole=True)) for b in s.budget],
            [1.2 * W, 1.7 * W, 1.7 * W, 1.9 * W], align_right=(1, 2, 3)))
    flow.append(pdf.heading("Blockers and help needed", 1))
    flow += pdf.labelled("Blockers", latest.blockers, empty="None reported")
    flow += pdf.labelled("Help needed", latest.help_needed, empty="None asked for")
    open_requests = [r for r in s.followup.requests if r.status != "done"]
    if open_requests:
        flow.append(pdf.heading("Technical assistance", 2))
        flow.append(pdf.table(
            ["Topic", "Urgency", "Status", "Assigned to"],
            [(r.topic, fu.URGENCY_LABELS[r.urgency], fu.REQUEST_STATUS_LABELS[r.status],
              r.assigned_to or "Not yet") for r in open_requests],
            [2.9 * W, 0.9 * W, 1.0 * W, 1.7 * W]))
    return flow


def progress_report_pdf(store: Store, actor: Actor, team_id: int, today: dt.date) -> bytes:
    """The progress report for a mayor or council: what changed, what is behind, what is next."""
    s = gather(store, actor, team_id, today)
    meta = pdf.Meta(title=f"{s.team_name} progress report", author="ISC Blueprint",
                    subject="Progress since the Blueprint",
                    footer=f"{s.team_name} · progress report · {today:%B %d, %Y}")
    cover = [pdf.heading(f"{s.team_name}: progress report", 0),
             pdf.para(f"Prepared {today:%B %d, %Y} from the team's check-ins in ISC "
                      "Blueprint.", "small")]
    return pdf.render(meta, cover=cover, body=section(s, 1, "Progress since the Blueprint"))


def add_sheets(wb, s: FollowUpSection) -> None:
    """Check-ins (one row per milestone update and per measure value) and help requests."""
    if not s.started:
        return
    names = {m.id: m.name for m in (s.plan.milestones if s.plan else [])}
    measures = {m.id: m.name for m in (s.plan.measures if s.plan else [])}
    ws = wb.create_sheet(wb_.sheet_title("Check-ins", wb.sheetnames))
    wb_.header(ws, ["Check-in", "Date", "Kind", "Milestone or measure", "Status or value",
                    "Measured on", "Note"], [22, 12, 12, 50, 16, 12, 50])
    row = 2
    for c in s.followup.ordered():
        for u in c.milestones:
            for col, value in enumerate((c.label, c.date.isoformat(), "Milestone",
                                         names.get(u.milestone_id, u.milestone_id),
                                         fu.STATUS_LABELS[u.status], "", u.note), start=1):
                wb_.text_cell(ws, row, col, value)
            row += 1
        for a in c.actuals:
            for col, value in enumerate((c.label, c.date.isoformat(), "Measure",
                                         measures.get(a.measure_id, a.measure_id)), start=1):
                wb_.text_cell(ws, row, col, value)
            ws.cell(row, 5, a.value)
            wb_.text_cell(ws, row, 6, a.as_of.isoformat() if a.as_of else "")
            row += 1
    ws.freeze_panes = "A2"
    if s.followup.requests:
        ws = wb.create_sheet(wb_.sheet_title("Help requests", wb.sheetnames))
        wb_.header(ws, ["Topic", "Urgency", "Status", "Assigned to", "Preferred times",
                        "Details", "Notes"], [36, 10, 12, 24, 24, 50, 40])
        for r_no, r in enumerate(s.followup.requests, start=2):
            for col, value in enumerate((r.topic, fu.URGENCY_LABELS[r.urgency],
                                         fu.REQUEST_STATUS_LABELS[r.status], r.assigned_to,
                                         r.preferred_times, r.details, r.notes), start=1):
                wb_.text_cell(ws, r_no, col, value)
        ws.freeze_panes = "A2"
