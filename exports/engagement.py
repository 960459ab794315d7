"""The Engagement and Digital Inclusion sections of the Blueprint, and their Excel sheets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.platypus import Flowable

from exports import pdf, workbook
from exports import styles as st
from toolkit import engagement as eg
from toolkit.store import Actor, Store

# Quadrant fills differ in lightness, not only in hue, and each quadrant is also named in
# words and has its own marker shape, so the grid reads in black and white.
FILLS = {"partner": colors.HexColor("#C9D8E8"), "reach": colors.HexColor("#E4ECF4"),
         "satisfy": colors.HexColor("#F2F2F2"), "inform": colors.white}
LEVEL_NAMES = {"inform": "Inform", "consult": "Consult", "involve": "Involve",
               "collaborate": "Collaborate", "empower": "Empower"}
WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class EngagementSection:
    plan: eg.EngagementPlan
    content: eg.EngagementFile
    plain: eg.PlainLanguageFile
    milestones: list[eg.MilestoneRef] | None  # None when the team has no action plan yet

    @property
    def started(self) -> bool:
        return self.plan.started

    @property
    def inclusion_started(self) -> bool:
        return bool(self.plan.inclusion)

    @property
    def placements(self) -> list[eg.Placement]:
        return eg.place_groups(self.plan.groups)


def gather(store: Store, actor: Actor, team_id: int, today: dt.date) -> EngagementSection:
    plan = store.load(actor, team_id, eg.EngagementPlan).body
    # The action plan is another tool's document: read its saved JSON, never its model.
    bodies = store.document_bodies(actor, team_id)
    milestones = (eg.action_plan_milestones(bodies["action_plan"])
                  if "action_plan" in bodies else None)
    return EngagementSection(plan, eg.load_engagement_content(), eg.load_plain_language(),
                             milestones)


# --- the stakeholder grid, drawn ------------------------------------------------------------

LOW, HIGH = 0.5, 5.5  # the rating axes run 1 to 5 with half a step of margin
DIVIDE = eg.HIGH_FROM - 0.5  # the line between low and high ratings


def _marker(kind: str, x: float, y: float, r: float = 5) -> object:
    style = dict(fillColor=colors.white if kind == "triangle-up" else st.INK,
                 strokeColor=colors.black, strokeWidth=0.8)
    if kind == "circle":
        return Circle(x, y, r, **style)
    if kind == "square":
        return Rect(x - r, y - r, 2 * r, 2 * r, **style)
    if kind == "diamond":
        return Polygon([x, y + r * 1.3, x + r * 1.3, y, x, y - r * 1.3, x - r * 1.3, y],
                       **{**style, "fillColor": colors.white})
    return Polygon([x - r * 1.2, y - r, x + r * 1.2, y - r, x, y + r * 1.2], **style)


def grid_drawing(placements: list[eg.Placement]) -> Drawing:
    """The 2x2 stakeholder grid: influence up, how much affected across, each group a
    numbered marker whose shape says its quadrant (the table beside it names the groups)."""
    width = pdf.PAGE_W - 2 * pdf.MARGIN
    drawing = Drawing(width, 330)
    left, bottom, plot_w, plot_h = 58, 42, width - 78, 268

    def sx(value: float) -> float:
        return left + (value - LOW) / (HIGH - LOW) * plot_w

    def sy(value: float) -> float:
        return bottom + (value - LOW) / (HIGH - LOW) * plot_h

    mid_x, mid_y = sx(DIVIDE), sy(DIVIDE)
    quadrant_boxes = {
        "partner": (mid_x, mid_y, left + plot_w, bottom + plot_h),
        "reach": (mid_x, bottom, left + plot_w, mid_y),
        "satisfy": (left, mid_y, mid_x, bottom + plot_h),
        "inform": (left, bottom, mid_x, mid_y),
    }
    for q, (x0, y0, x1, y1) in quadrant_boxes.items():
        drawing.add(Rect(x0, y0, x1 - x0, y1 - y0, fillColor=FILLS[q], strokeColor=st.MUTED,
                         strokeWidth=0.6))
        info = eg.QUADRANTS[q]
        # Labels sit in the corner away from the middle, where markers are fewest.
        top = q in ("partner", "satisfy")
        ty = y1 - 12 if top else y0 + 14
        # The quadrant's marker shape leads its name, as a key to the markers inside it.
        drawing.add(_marker(info.symbol, x0 + 10, ty + 2.5, 3.5))
        drawing.add(String(x0 + 18, ty, info.advice, fontName=st.BOLD, fontSize=7,
                           fillColor=st.INK))
        drawing.add(String(x0 + 18, ty - 9 if top else ty + 9, info.label, fontName=st.BODY,
                           fontSize=6.5, fillColor=st.MUTED))
    drawing.add(Line(mid_x, bottom, mid_x, bottom + plot_h, strokeColor=colors.black,
                     strokeWidth=1.2))
    drawing.add(Line(left, mid_y, left + plot_w, mid_y, strokeColor=colors.black,
                     strokeWidth=1.2))
    for value in range(1, 6):
        drawing.add(String(sx(value), bottom - 12, str(value), fontName=st.BODY, fontSize=7.5,
                           textAnchor="middle", fillColor=st.INK))
        drawing.add(String(left - 8, sy(value) - 3, str(value), fontName=st.BODY, fontSize=7.5,
                           textAnchor="end", fillColor=st.INK))
    drawing.add(String(left + plot_w / 2, bottom - 28, "How much the initiative affects them "
                       "(1 = a little, 5 = a lot)", fontName=st.BODY, fontSize=8,
                       textAnchor="middle", fillColor=st.INK))
    label = String(0, 0, "Influence (1 = little, 5 = a lot)", fontName=st.BODY, fontSize=8,
                   textAnchor="middle", fillColor=st.INK)
    turned = Group(label)
    turned.translate(left - 26, bottom + plot_h / 2)
    turned.rotate(90)
    drawing.add(turned)
    for p in placements:
        x, y = sx(p.x), sy(p.y)
        drawing.add(_marker(eg.QUADRANTS[p.quadrant].symbol, x, y))
        drawing.add(String(x + 7, y + 3, str(p.number), fontName=st.BOLD, fontSize=8,
                           fillColor=colors.black))
    return drawing


# --- the Engagement section ---------------------------------------------------------------


def _count(items: list, noun: str) -> str:
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"


def _when(t: eg.PlannedTactic, milestones: dict[str, eg.MilestoneRef]) -> str:
    when = eg.when_label(t) or "Not scheduled"
    if t.milestone in milestones:
        when += f"\nMilestone: {milestones[t.milestone].name}"
    return when


def _share(n: eg.LanguageNeed) -> str:
    parts = []
    if n.share_percent is not None:
        parts.append(f"{n.share_percent:g}% of residents")
    if n.residents is not None:
        parts.append(f"{n.residents:,} residents")
    return ", ".join(parts) or "No estimate yet"


def _title(number: int | None, title: str) -> str:
    return f"{number}. {title}" if number else title


def section(s: EngagementSection, number: int | None, title: str) -> list[Flowable]:
    plan, eng = s.plan, s.content
    w = pdf.PAGE_W - 2 * pdf.MARGIN
    flow: list[Flowable] = [pdf.heading(_title(number, title), 0)]
    flow.append(pdf.para(
        f"{_count(plan.groups, 'group')}, {_count(plan.tactics, 'planned tactic')}, "
        f"{_count(plan.languages, 'language')} and "
        f"{_count(plan.texts, 'resident-facing text')}.", "small"))

    placements = s.placements
    flow.append(pdf.heading("Stakeholder map", 1))
    if placements:
        flow.append(pdf.keep(grid_drawing(placements)))
        flow.append(pdf.para("Chart in words: " + eg.grid_in_words(placements)
                             + f" Ratings of {eg.HIGH_FROM} or more count as high.", "small"))
        flow.append(pdf.table(
            ["#", "Group", "Influence", "Affected", "Where on the grid", "Level",
             "Decisions they take part in"],
            [(str(p.number), p.group.name, str(p.group.influence), str(p.group.affected),
              eg.QUADRANTS[p.quadrant].advice, LEVEL_NAMES[p.group.level], p.group.decisions)
             for p in placements],
            [0.3 * 72, 1.3 * 72, 0.85 * 72, 0.8 * 72, 1.05 * 72, 0.97 * 72,
             w - 5.27 * 72]))
    else:
        flow.append(pdf.para("No groups on the map yet.", "notice"))

    flow.append(pdf.heading("Depth of participation", 1))
    rows = []
    for level in eng.participation_levels:
        names = [g.name for g in plan.groups if g.level == level.id]
        if names:
            rows.append((level.name, level.promise, "; ".join(names)))
    if rows:
        flow.append(pdf.table(["Level", "Our promise to them", "Groups"], rows,
                              [1.0 * 72, 2.9 * 72, w - 3.9 * 72]))
    flow.append(pdf.para(eng.participation_levels_source, "small"))

    flow.append(pdf.heading("Tactic plan", 1))
    if plan.tactics:
        by_id = {m.id: m for m in s.milestones or []}
        flow.append(pdf.table(
            ["When", "Tactic", "For", "Owner", "Languages", "Access notes"],
            [(_when(t, by_id), eg.tactic_name(t.tactic, eng),
              "; ".join(g.name for gid in t.groups if (g := plan.group(gid))),
              t.owner, ", ".join(t.languages), t.accessibility)
             for t in sorted(plan.tactics, key=lambda t: (t.when or dt.date.max, t.tactic))],
            [0.95 * 72, 1.05 * 72, 1.4 * 72, 0.95 * 72, 0.9 * 72, w - 5.25 * 72]))
    else:
        flow.append(pdf.para("No tactics chosen yet.", "notice"))

    flow.append(pdf.heading("Languages and access", 1))
    if plan.languages:
        flow.append(pdf.table(
            ["Language", "Who speaks it (team estimate)", "Interpretation", "Translation"],
            [(n.language, _share(n) + (f"\nSource: {n.source}" if n.source else ""),
              n.interpretation, n.translation) for n in plan.languages],
            [1.0 * 72, 1.6 * 72, (w - 2.6 * 72) / 2, (w - 2.6 * 72) / 2]))
    else:
        flow.append(pdf.para("No languages listed yet.", "notice"))
    flow.append(pdf.gap(6))
    for label, value in (("Disability access", plan.disability_access),
                         ("Times", plan.times), ("Places", plan.places)):
        flow.append(pdf.keep(*pdf.labelled(label, value)))

    flow.append(pdf.heading("Closing the loop", 1))
    flow.append(pdf.keep(*pdf.labelled("How we will report back (\"you said, we did\")",
                                       plan.report_back)))
    flow.append(pdf.keep(*pdf.labelled(
        "How residents' input will change a decision", plan.input_changes_decision,
        empty="Missing, and required: the plan does not yet say how input will change a "
              "decision.")))

    flow.append(pdf.heading("Trust: data about residents", 1))
    if plan.data_collected:
        flow.append(pdf.table(["What we collect", "Why we need it"],
                              [(d.what, d.why or "Reason not given yet")
                               for d in plan.data_collected], [2.6 * 72, w - 2.6 * 72]))
    else:
        flow.append(pdf.para("No data about residents listed yet.", "notice"))
    if plan.never_collect:
        flow.append(pdf.heading("What we will never collect", 2))
        for item in plan.never_collect:
            flow.append(pdf.para(f"• {item.what}"))

    if plan.texts:
        lead = [pdf.heading("Resident-facing texts", 1),
                pdf.para("Each text was checked for plain language. The goal is reading "
                         f"grade {s.plain.thresholds.resident_reading_grade:g} or lower.",
                         "small")]
        for x in plan.texts:
            report = eg.check_plain_language(x.text, s.plain)
            kind = eg.TEXT_KINDS[x.kind] + (f", {x.language}" if x.language else "")
            # A heading is kept with its text, and the section heading with the first text.
            flow.append(pdf.keep(*lead, pdf.heading(f"{x.title or 'Untitled'} ({kind})", 2),
                                 pdf.para(x.text), pdf.para(_check_summary(report), "small")))
            lead = []

    todo = eg.readiness(plan, eng)
    notes = eg.warnings(plan, eng, s.milestones, s.plain)
    if todo or notes:
        flow.append(pdf.heading("Still to do", 1))
        for f in todo:
            flow.append(pdf.para(f"• {f.part}: {f.message}"))
        for f in notes:
            flow.append(pdf.para(f"• Check ({f.part}): {f.message}"))
    return flow


def _check_summary(report: eg.Report) -> str:
    parts = [report.grade_text()]
    if report.long_sentences:
        parts.append(f"{len(report.long_sentences)} sentence(s) over "
                     f"{report.max_sentence_words} words.")
    if report.jargon:
        parts.append("Words to replace: " + "; ".join(
            f"{j.found} (try {' or '.join(j.plain)})" for j in report.jargon) + ".")
    return "Plain-language check: " + " ".join(parts)


# --- the Digital Inclusion section ------------------------------------------------------------


def inclusion_section(s: EngagementSection, number: int | None, title: str
                      ) -> list[Flowable]:
    plan, eng = s.plan, s.content
    w = pdf.PAGE_W - 2 * pdf.MARGIN
    flow: list[Flowable] = [pdf.heading(_title(number, title), 0)]
    flow.append(pdf.para(eng.inclusion_source, "small"))
    online = eg.online_only_warning(plan, eng)
    if online:
        flow.append(pdf.para("Warning: " + online.message, "body"))
    if plan.inclusion:
        flow.append(pdf.heading("Who could be left out, and what we will do", 1))
        flow.append(pdf.table(
            ["Group", "Barriers", "Actions", "Partners", "Measures"],
            [(r.group, r.barriers, r.actions, r.partners, r.measures) for r in plan.inclusion],
            [1.05 * 72, 1.35 * 72, 1.55 * 72, 1.2 * 72, w - 5.15 * 72]))
    else:
        flow.append(pdf.para("No roadmap yet: the team has not named the groups at risk of "
                             "being left out.", "notice"))
    only_online = [] if online else eg.groups_reached_only_online(plan, eng)
    if only_online:
        flow.append(pdf.para("Groups reached only online: "
                             + "; ".join(g.name for g in only_online) + ".", "small"))
    return flow


# --- Excel --------------------------------------------------------------------------------


def _sheet(wb: Workbook, name: str, titles: list[str], widths: list[int],
           rows: list[list[object]], numeric: tuple[int, ...] = ()) -> None:
    ws = wb.create_sheet(workbook.sheet_title(name, wb.sheetnames))
    workbook.header(ws, titles, widths)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            if c - 1 in numeric and value is not None:
                ws.cell(row=r, column=c, value=value)
            else:
                workbook.text_cell(ws, r, c, value).alignment = WRAP


def add_sheets(wb: Workbook, s: EngagementSection) -> None:
    """The engagement plan and the roadmap as sheets; every typed text is written as text."""
    plan, eng = s.plan, s.content
    placements = s.placements
    _sheet(wb, "Engagement groups",
           ["#", "Group", "Influence (1-5)", "Affected (1-5)", "Where on the grid", "Level",
            "Decisions they take part in", "Note", "Suggested by the app"],
           [5, 36, 12, 12, 34, 13, 50, 50, 12],
           [[p.number, p.group.name, p.group.influence, p.group.affected,
             eg.QUADRANTS[p.quadrant].advice, LEVEL_NAMES[p.group.level], p.group.decisions,
             p.group.note, "Yes" if p.group.suggested else "No"] for p in placements],
           numeric=(0, 2, 3))
    by_id = {m.id: m for m in s.milestones or []}
    _sheet(wb, "Engagement tactics",
           ["Date", "Month only", "Tactic", "For", "Owner", "Languages", "Access notes",
            "Action-plan milestone"],
           [12, 11, 30, 50, 28, 20, 50, 34],
           [[t.when, "Yes" if t.month_only else "No", eg.tactic_name(t.tactic, eng),
             "; ".join(g.name for gid in t.groups if (g := plan.group(gid))), t.owner,
             ", ".join(t.languages), t.accessibility,
             by_id[t.milestone].name if t.milestone in by_id else ""]
            for t in plan.tactics], numeric=(0,))
    ws = wb[wb.sheetnames[-1]]
    for r in range(2, len(plan.tactics) + 2):
        ws.cell(row=r, column=1).number_format = "yyyy-mm-dd"
    _sheet(wb, "Languages and access",
           ["Language", "Share of residents (%)", "Residents", "Source of estimate",
            "Interpretation", "Translation"],
           [18, 14, 12, 36, 50, 50],
           [[n.language, n.share_percent, n.residents, n.source, n.interpretation,
             n.translation] for n in plan.languages]
           + [[], ["Disability access", None, None, plan.disability_access],
              ["Times", None, None, plan.times], ["Places", None, None, plan.places]],
           numeric=(1, 2))
    _sheet(wb, "Loop and trust", ["Item", "Text"], [40, 100],
           [["How we will report back", plan.report_back],
            ["How input will change a decision (required)",
             plan.input_changes_decision or "MISSING"]]
           + [[f"We collect: {d.what}", d.why] for d in plan.data_collected]
           + [["We never collect", d.what] for d in plan.never_collect])
    _sheet(wb, "Resident texts",
           ["Title", "Kind", "Language", "Text", "Reading grade", "Plain-language check"],
           [30, 16, 14, 80, 12, 60],
           [[x.title, eg.TEXT_KINDS[x.kind], x.language, x.text, report.grade,
             _check_summary(report)]
            for x, report in ((x, eg.check_plain_language(x.text, s.plain))
                              for x in plan.texts)],
           numeric=(4,))
    _sheet(wb, "Digital inclusion", ["Group", "Barriers", "Actions", "Partners", "Measures"],
           [30, 50, 60, 36, 50],
           [[r.group, r.barriers, r.actions, r.partners, r.measures] for r in plan.inclusion])
