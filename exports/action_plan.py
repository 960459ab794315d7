"""The Action Plan section of the Blueprint (logic model to risks) and its workbook sheets."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from exports import pdf, workbook
from exports import styles as st
from toolkit import action_plan as ap
from toolkit import budget as bg
from toolkit.store import Actor, Store

ROWS_PER_CHART = 40  # a chart of 40 rows fills most of a page and stays legible
ROW_H = 12.0
LABEL_W = 190.0
HEADER_H = 30.0
MAX_LISTED = 25  # readiness lines shown in the PDF; the workbook lists every one
DARK = colors.HexColor("#1B1F24")
MID = colors.HexColor("#6F93B8")
LIGHT = colors.HexColor("#C9D1DA")
GRID = colors.HexColor("#DDE3EA")
W = pdf.PAGE_W - 2 * pdf.MARGIN


@dataclass(frozen=True)
class ActionPlanSection:
    plan: ap.ActionPlan
    fte_moves: list[ap.FteMove]  # staff moves from the budget tool, proposal first
    today: dt.date

    @property
    def started(self) -> bool:
        return self.plan.started

    @property
    def start(self) -> dt.date:
        """The day the first 90 days are counted from."""
        return self.plan.plan_start or self.today


def gather(store: Store, actor: Actor, team_id: int, today: dt.date) -> ActionPlanSection:
    plan = store.load(actor, team_id, ap.ActionPlan).body
    budget = store.load(actor, team_id, bg.BudgetPlan).body
    return ActionPlanSection(plan, ap.budget_fte_moves(budget), today)


# --- drawing helpers ---------------------------------------------------------------------------


def _font_for(label: str) -> str:
    # Chart labels are single strings, not paragraphs: a name in Chinese, Japanese or Korean
    # is drawn whole in the matching CID font so its glyphs are not replaced by boxes.
    match = pdf._CJK.search(label)
    if match is None:
        return st.BODY
    return st.CJK_FONTS["hangul"] if match.group(1) else st.CJK_FONTS["han"]


def _fit(label: str, width: float, size: float) -> tuple[str, str]:
    """The label shortened with an ellipsis to fit `width`, and the font to draw it in."""
    label = pdf._CONTROL.sub("", label).replace("\n", " ").strip()
    font = _font_for(label)
    if stringWidth(label, font, size) <= width:
        return label, font
    low, high = 0, len(label)
    while low < high:  # binary search: a 200-character name takes 8 measurements, not 200
        mid = (low + high + 1) // 2
        if stringWidth(label[:mid] + "…", font, size) <= width:
            low = mid
        else:
            high = mid - 1
    return label[:low].rstrip() + "…", font


STATUS_STYLE = {  # fill, outline, cross: told apart in black and white, and named in a legend
    "done": (DARK, DARK, False),
    "in_progress": (MID, DARK, False),
    "not_started": (colors.white, DARK, False),
    "blocked": (LIGHT, DARK, True),
}


def _bar(drawing: Drawing, x: float, y: float, w: float, h: float, status: str,
         reversed_dates: bool = False) -> None:
    fill, stroke, cross = STATUS_STYLE[status]
    rect = Rect(x, y, w, h, fillColor=fill, strokeColor=stroke, strokeWidth=0.6)
    if reversed_dates:
        rect.strokeDashArray = [2, 1.5]
    drawing.add(rect)
    if cross:
        drawing.add(Line(x, y, x + w, y + h, strokeColor=DARK, strokeWidth=0.5))
        drawing.add(Line(x, y + h, x + w, y, strokeColor=DARK, strokeWidth=0.5))


def _month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    months, cursor = [], dt.date(first.year, first.month, 1)
    while cursor <= last:
        months.append(cursor)
        cursor = dt.date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
    return months


def gantt_chart(layout: ap.Gantt, bars: Sequence[ap.Bar]) -> Drawing:
    """Some rows of the timeline, on the whole plan's time scale so charts line up."""
    height = HEADER_H + ROW_H * len(bars) + 4
    drawing = Drawing(W, height + 22)
    chart_x, chart_w = LABEL_W, W - LABEL_W - 4
    scale = chart_w / max(layout.total_days, 1)
    top = height - HEADER_H
    months = _month_starts(layout.origin, layout.last)
    step = max(1, math.ceil(len(months) / 12))
    for i, month in enumerate(months):
        x = chart_x + max((month - layout.origin).days, 0) * scale
        drawing.add(Line(x, 2, x, top + 4, strokeColor=GRID, strokeWidth=0.5))
        if i % step == 0:
            drawing.add(String(x + 1.5, top + 7, f"{month:%b}", fontName=st.BODY, fontSize=6.5,
                               fillColor=st.MUTED))
        if i == 0 or month.month == 1:  # years on their own line, so labels never collide
            drawing.add(String(x + 1.5, top + 16, str(month.year), fontName=st.BOLD,
                               fontSize=6.5, fillColor=DARK))
    drawing.add(Line(chart_x, top + 4, chart_x + chart_w, top + 4, strokeColor=DARK,
                     strokeWidth=0.6))
    for i, b in enumerate(bars):
        y = top - (i + 1) * ROW_H
        if i % 2:
            drawing.add(Rect(0, y, W, ROW_H, fillColor=st.PALE, strokeColor=None))
        label, font = _fit(f"{b.row}. {b.milestone.name or '(no name)'}", LABEL_W - 8, 7)
        drawing.add(String(2, y + 3.2, label, fontName=font, fontSize=7, fillColor=DARK))
        x = chart_x + b.start_day * scale
        _bar(drawing, x, y + 2, max(b.days * scale, 1.6), ROW_H - 4, b.milestone.status,
             b.dates_reversed)
    legend_x = 0.0
    for status, label in ap.STATUS_LABELS.items():
        _bar(drawing, legend_x, height + 8, 14, 7, status)
        drawing.add(String(legend_x + 18, height + 8.5, label, fontName=st.BODY, fontSize=7.5,
                           fillColor=DARK))
        legend_x += 26 + stringWidth(label, st.BODY, 7.5) + 14
    if any(b.dates_reversed for b in bars):
        drawing.add(Rect(legend_x, height + 8, 14, 7, fillColor=colors.white, strokeColor=DARK,
                         strokeWidth=0.6, strokeDashArray=[2, 1.5]))
        drawing.add(String(legend_x + 18, height + 8.5, "Dashed: end date before start date",
                           fontName=st.BODY, fontSize=7.5, fillColor=DARK))
    return drawing


LEVEL_STYLE = {"low": (colors.white, DARK), "medium": (LIGHT, DARK), "high": (DARK, colors.white)}


def heat_map_chart(cells: list[ap.HeatCell]) -> Drawing:
    """Five by five: impact up, likelihood across; each cell says its count and its level."""
    cell_w, cell_h, left, bottom = 62.0, 34.0, 70.0, 34.0
    drawing = Drawing(W, bottom + 5 * cell_h + 26)
    for cell in cells:
        col, row = cell.likelihood - 1, cell.impact - 1
        x, y = left + col * cell_w, bottom + row * cell_h
        fill, ink = LEVEL_STYLE[cell.level]
        drawing.add(Rect(x, y, cell_w, cell_h, fillColor=fill, strokeColor=DARK,
                         strokeWidth=0.6))
        count = len(cell.risks)
        drawing.add(String(x + cell_w / 2, y + cell_h / 2 + 1, str(count) if count else "–",
                           fontName=st.BOLD, fontSize=11, fillColor=ink, textAnchor="middle"))
        drawing.add(String(x + cell_w / 2, y + 4, cell.level, fontName=st.BODY, fontSize=6.5,
                           fillColor=ink, textAnchor="middle"))
    for n in range(1, 6):
        drawing.add(String(left + (n - 0.5) * cell_w, bottom - 11, str(n), fontName=st.BODY,
                           fontSize=8, fillColor=DARK, textAnchor="middle"))
        drawing.add(String(left - 8, bottom + (n - 0.5) * cell_h - 3, str(n), fontName=st.BODY,
                           fontSize=8, fillColor=DARK, textAnchor="end"))
    drawing.add(String(left + 2.5 * cell_w, bottom - 26,
                       "Likelihood: 1 rare to 5 almost certain", fontName=st.BODY,
                       fontSize=8, fillColor=DARK, textAnchor="middle"))
    drawing.add(String(left - 8, bottom + 5 * cell_h + 10, "Impact: 1 minor to 5 severe",
                       fontName=st.BODY, fontSize=8, fillColor=DARK))
    return drawing


# --- the section ---------------------------------------------------------------------------------


def _inches(*widths: float) -> list[float]:
    return [w * 72 for w in widths]


def _n(value: float | Decimal | None) -> str:
    return ap.number(value)


def _problems(flow: list[Flowable], problems: list[ap.Problem]) -> None:
    for p in problems:
        flow.append(pdf.para(("Problem: " if p.severity == "error" else "Note: ") + p.message,
                             "small"))


def _readiness(flow: list[Flowable], plan: ap.ActionPlan) -> None:
    parts = ap.completeness(plan)
    flow.append(pdf.heading("Readiness", 1))
    flow.append(pdf.table(["Part of the plan", "Complete", "Items still missing"],
                          [(p.label, f"{p.score}%", str(len(p.missing))) for p in parts],
                          _inches(3.2, 1.4, 2.2), align_right=(1, 2)))
    missing = ap.readiness(plan)
    if missing:
        shown = missing[:MAX_LISTED]
        more = len(missing) - len(shown)
        flow.append(pdf.para("Still missing:\n" + "\n".join(f"• {m}." for m in shown)
                             + (f"\nAnd {more} more, listed in the workbook." if more else ""),
                             "small"))
    else:
        flow.append(pdf.para("Every part of the plan is filled in.", "small"))


def _logic_model(flow: list[Flowable], plan: ap.ActionPlan) -> None:
    flow.append(pdf.heading("Logic model", 1))
    items = plan.logic_items()
    rows = []
    for field, label, _ in ap.LOGIC_COLUMNS:
        for n, item in enumerate(getattr(plan, field)):
            leads = "; ".join(items[x].text if x in items else "(deleted)" for x in item.links)
            rows.append((label if n == 0 else "", item.text, leads))
    if rows:
        # One row per item, so a long column splits across pages instead of overflowing one.
        flow.append(pdf.table(["Stage", "Item", "Leads to"], rows, _inches(1.3, 2.9, 2.6)))
    else:
        flow.append(pdf.para("No logic model yet.", "notice"))


def _goals(flow: list[Flowable], plan: ap.ActionPlan) -> None:
    flow.append(pdf.heading("Goals", 1))
    if plan.goals:
        for goal in plan.goals:
            flow.append(pdf.para(f"• {goal.text}"))
    else:
        flow.append(pdf.para("No goals yet.", "notice"))


def _measures(flow: list[Flowable], plan: ap.ActionPlan) -> None:
    flow.append(pdf.heading("Measures", 1))
    if not plan.measures:
        flow.append(pdf.para("No measures yet.", "notice"))
        return
    rows = []
    for m in plan.measures:
        source = m.data_source
        if m.frequency:
            source += f"\n{ap.FREQUENCY_LABELS[m.frequency]}"
        source += {"yes": "\nRepresentative", "no": "\nNot representative",
                   "unsure": "\nRepresentative? Not sure"}[m.representative]
        rows.append((f"{m.name}\n({m.unit})" if m.unit else m.name,
                     ap.KIND_LABELS[m.kind],
                     f"{_n(m.baseline)}\n{ap.day(m.baseline_date)}".strip(),
                     f"{_n(m.target)}\n{ap.day(m.target_date)}".strip(),
                     source, m.owner))
    flow.append(pdf.table(["Measure (unit)", "Kind", "Baseline", "Target",
                           "Data source, how often", "Owner"],
                          rows, _inches(1.75, 0.85, 0.8, 0.8, 1.6, 1.0)))
    _problems(flow, [p for p in ap.check_measures(plan)
                     if p.severity == "error" or "representative" in p.message])


def _workplan(flow: list[Flowable], s: ActionPlanSection) -> None:
    plan = s.plan
    flow.append(pdf.heading("Workplan", 1))
    if plan.plan_start:
        flow.append(pdf.para(f"The plan starts on {ap.day(plan.plan_start)}.", "small"))
    if plan.phases:
        flow.append(pdf.para("Phases: " + "; ".join(p.name or "(no name)" for p in plan.phases)
                             + ".", "small"))
    if not plan.milestones:
        flow.append(pdf.para("No milestones yet.", "notice"))
        return
    layout = ap.gantt(plan)
    chunks = [layout.bars[i:i + ROWS_PER_CHART]
              for i in range(0, len(layout.bars), ROWS_PER_CHART)]
    for n, bars in enumerate(chunks):
        title = "Timeline" if n == 0 else f"Timeline, continued: milestones {bars[0].row} to " \
                                          f"{bars[-1].row}"
        flow.append(pdf.keep(pdf.heading(title, 2), gantt_chart(layout, bars)))
        flow.append(pdf.para("Chart in words: " + ap.timeline_in_words(layout, bars)
                             + (" The table below lists every milestone with its dates, owner "
                                "and status." if n == len(chunks) - 1 else ""), "small"))
    if layout.undated:
        flow.append(pdf.para(f"{len(layout.undated)} milestones have no dates yet, so they are "
                             "not on the timeline.", "small"))
    flow.append(pdf.heading("Milestones", 2))
    # Numbered as on the timeline, so "after 3" and row 3 of the chart are the same milestone.
    ordered = [b.milestone for b in layout.bars] + layout.undated
    numbers = {m.id: n for n, m in enumerate(ordered, start=1)}
    phases = {p.id: p.name for p in plan.phases}
    rows = [(str(n), m.name, phases.get(m.phase, ""), m.owner, ap.day(m.start), ap.day(m.end),
             ", ".join([str(n) for n in sorted({numbers[d] for d in m.depends_on
                                                if d in numbers})]
                       + ["gone"] * any(d not in numbers for d in m.depends_on)),
             ap.STATUS_LABELS[m.status]) for n, m in enumerate(ordered, start=1)]
    flow.append(pdf.table(["#", "Milestone", "Phase", "Owner", "Start", "End", "After",
                           "Status"], rows,
                          _inches(0.35, 1.7, 0.95, 1.0, 0.7, 0.7, 0.55, 0.85)))
    _problems(flow, ap.check_workplan(plan))
    flow.append(pdf.heading(f"The first 90 days, from {ap.day(s.start)}", 2))
    days = ap.first_90_days(plan, s.start)
    if days:
        flow.append(pdf.table(
            ["Week", "Milestone", "Owner", "Dates", "Status"],
            [(str(r.week) + (" (under way)" if r.ongoing else ""), r.milestone.name,
              r.milestone.owner,
              " to ".join(ap.day(d) for d in (r.milestone.start, r.milestone.end) if d),
              ap.STATUS_LABELS[r.milestone.status]) for r in days],
            _inches(0.7, 2.6, 1.2, 1.5, 0.8)))
    else:
        flow.append(pdf.para("No milestone falls in the first 90 days.", "notice"))


def _roles(flow: list[Flowable], plan: ap.ActionPlan) -> None:
    flow.append(pdf.heading("Roles: who is responsible, accountable, consulted, informed", 1))
    if not plan.roles and not plan.workstreams:
        flow.append(pdf.para("No roles yet.", "notice"))
        return
    if plan.workstreams:
        rows = []
        for w in plan.workstreams:
            cells = ["\n".join(r.name for r in plan.roles if w.assignments.get(r.id) == letter)
                     for letter in ("A", "R", "C", "I")]
            rows.append((w.name, *cells))
        flow.append(pdf.table(["Workstream", "Accountable (one)", "Responsible", "Consulted",
                               "Informed"], rows, _inches(1.5, 1.3, 1.4, 1.4, 1.2)))
    if plan.roles:
        flow.append(pdf.heading("The roles", 2))
        flow.append(pdf.table(["Role", "In-house product owner", "What they do"],
                              [(r.name, "Yes" if r.is_product_owner else "", r.does)
                               for r in plan.roles], _inches(2.0, 1.0, 3.8)))
    _problems(flow, ap.check_roles(plan))


def _operations(flow: list[Flowable], s: ActionPlanSection) -> None:
    plan = s.plan
    flow.append(pdf.heading("Operations plan", 1))
    if not (plan.redeployments or plan.trainings or plan.hires or s.fte_moves):
        flow.append(pdf.para("No staff, training or hires yet.", "notice"))
        return
    if plan.redeployments:
        flow.append(pdf.heading("Staff to redeploy", 2))
        flow.append(pdf.table(["Role", "FTE", "From", "To work on"],
                              [(r.role, _n(r.fte), r.from_unit, r.to_work)
                               for r in plan.redeployments],
                              _inches(1.6, 0.5, 1.9, 2.8), align_right=(1,)))
    if s.fte_moves:
        flow.append(pdf.heading("Staff moves in the budget tool", 2))
        flow.append(pdf.table(["Scenario", "From", "FTE", "Fiscal year", "Why"],
                              [(m.scenario + (" (proposal)" if m.is_proposal else ""), m.source,
                                _n(m.fte), str(m.fiscal_year or ""), m.rationale)
                               for m in s.fte_moves],
                              _inches(1.5, 1.4, 0.5, 0.7, 2.7), align_right=(2,)))
        if note := ap.fte_comparison(plan, s.fte_moves):
            flow.append(pdf.para(note, "small"))
    if plan.trainings:
        flow.append(pdf.heading("Training", 2))
        flow.append(pdf.table(["Skill", "Who", "Hours", "Provider"],
                              [(t.skill, t.who, _n(t.hours), t.provider) for t in plan.trainings],
                              _inches(2.0, 2.0, 0.6, 2.2), align_right=(2,)))
    if plan.hires:
        flow.append(pdf.heading("Hires", 2))
        flow.append(pdf.table(["Role", "FTE", "Start", "Paid for by"],
                              [(h.role, _n(h.fte), ap.day(h.start), h.funded_by)
                               for h in plan.hires],
                              _inches(2.4, 0.5, 1.0, 2.9), align_right=(1,)))


def _partners(flow: list[Flowable], plan: ap.ActionPlan) -> None:
    flow.append(pdf.heading("Partners", 1))
    if not plan.partners:
        flow.append(pdf.para("No partners yet.", "notice"))
        return
    flow.append(pdf.table(
        ["Partner", "Type", "Brings", "Gets", "Agreement", "Status", "Owner"],
        [(p.name, ap.PARTNER_TYPE_LABELS[p.type], p.brings, p.gets,
          ap.AGREEMENT_LABELS[p.agreement], ap.PARTNER_STATUS_LABELS[p.status], p.owner)
         for p in plan.partners],
        _inches(1.1, 0.75, 1.25, 1.15, 0.95, 0.7, 0.9)))
    _problems(flow, ap.check_partners(plan))


def _risks(flow: list[Flowable], plan: ap.ActionPlan) -> None:
    flow.append(pdf.heading("Risks", 1))
    if not plan.risks:
        flow.append(pdf.para("No risks yet.", "notice"))
        return
    flow.append(pdf.keep(pdf.heading("Heat map", 2), heat_map_chart(ap.heat_map(plan))))
    flow.append(pdf.para("Chart in words: " + ap.heat_map_in_words(plan), "small"))
    ranked = sorted(plan.risks, key=lambda r: -((r.likelihood or 0) * (r.impact or 0)))
    flow.append(pdf.table(
        ["Risk", "Likelihood", "Impact", "Level", "What we will do", "Owner"],
        [(r.description, str(r.likelihood or "–"), str(r.impact or "–"),
          ap.risk_level(r.likelihood, r.impact) if r.likelihood and r.impact else "not rated",
          r.mitigation, r.owner) for r in ranked],
        _inches(1.75, 0.85, 0.6, 0.7, 1.9, 1.0)))


def section(s: ActionPlanSection, number: int, title: str) -> list[Flowable]:
    flow: list[Flowable] = [pdf.heading(f"{number}. {title}", 0)]
    if not s.started:
        flow.append(pdf.para("Not started yet.", "notice"))
        return flow
    _readiness(flow, s.plan)
    _goals(flow, s.plan)
    _logic_model(flow, s.plan)
    _measures(flow, s.plan)
    _workplan(flow, s)
    _roles(flow, s.plan)
    _operations(flow, s)
    _partners(flow, s.plan)
    _risks(flow, s.plan)
    return flow


# --- the workbook -----------------------------------------------------------------------------------

SHEET_NAMES = {
    "logic_model": "Logic model", "goals": "Goals", "measures": "Measures",
    "phases": "Phases", "milestones": "Milestones", "roles": "Roles", "raci": "RACI",
    "redeployments": "Staff to redeploy", "trainings": "Training", "hires": "Hires",
    "partners": "Partners", "risks": "Risks",
}


def _write_table(wb: Workbook, title: str, header: Sequence[str], rows: Sequence[Sequence]
                 ) -> None:
    ws = wb.create_sheet(workbook.sheet_title(title, wb.sheetnames))
    widths = [min(60, max([len(str(h)) + 2, 10] + [len(str(r[i] or "")) + 2 for r in rows]))
              for i, h in enumerate(header)]
    workbook.header(ws, header, widths)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            if isinstance(value, bool) or value is None or isinstance(value, str):
                cell = workbook.text_cell(ws, r, c, "" if value is None else value)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            elif isinstance(value, dt.date):
                cell = ws.cell(row=r, column=c, value=value)
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, int | float | Decimal):
                ws.cell(row=r, column=c, value=float(value) if isinstance(value, Decimal)
                        else value)
            else:
                workbook.text_cell(ws, r, c, value)
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"


def add_sheets(wb: Workbook, s: ActionPlanSection) -> None:
    """A sheet per list of the plan (those with rows), the first 90 days and the readiness."""
    if not s.started:
        return
    parts = ap.completeness(s.plan)
    _write_table(wb, "Plan readiness", ["Part of the plan", "Complete (%)", "Still missing"],
                 [(p.label, p.score, "\n".join(p.missing)) for p in parts])
    for key, table in ap.list_tables(s.plan).items():
        if table.rows:
            _write_table(wb, SHEET_NAMES[key], table.header, table.rows)
    days = ap.ninety_day_table(s.plan, s.start)
    if days.rows:
        _write_table(wb, "First 90 days", days.header, days.rows)


def standalone_pdf(s: ActionPlanSection, *, place: str, initiative: str) -> bytes:
    """The action plan alone, with a short cover: for the team to share before the Blueprint."""
    cover = [
        pdf.gap(90),
        pdf.markup("MAYORS LEADERSHIP INSTITUTE ON SMART CITIES · ACTION PLAN", "cover_kicker"),
        pdf.Heading(place, 0, style="cover_title"),
        pdf.para(initiative or "Priority initiative not named yet", "cover_sub"),
        pdf.para(f"Prepared {ap.day(s.today)}", "cover_meta"),
    ]
    meta = pdf.Meta(title=f"{place} action plan", author=f"{place} city team",
                    subject="Project action plan", footer=f"{place} · Action plan",
                    keywords="smart cities, action plan")
    return pdf.render(meta, cover, section(s, 2, "Project action plan"))
