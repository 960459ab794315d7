"""The Budget section of the Blueprint: figures, before/after, moves and the financing plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.platypus import Flowable

from exports import pdf
from exports import styles as st
from toolkit import budget as bg
from toolkit.store import Actor, BudgetImportInfo, Store

DARK = colors.HexColor("#0B4F8A")
LIGHT = colors.HexColor("#B7C7D9")


@dataclass(frozen=True)
class BudgetSection:
    plan: bg.BudgetPlan
    current: BudgetImportInfo | None
    index: bg.BudgetIndex | None
    years: list[int]

    @property
    def started(self) -> bool:
        return self.current is not None or self.plan.started

    @property
    def proposal_resolved(self) -> list[bg.Resolved]:
        return bg.resolve_all(self.plan.proposal, self.index) if self.index else []

    @property
    def financing(self) -> list[bg.FinancingYear]:
        return bg.financing(self.plan, self.proposal_resolved, self.years)


def gather(store: Store, actor: Actor, team_id: int, today: dt.date) -> BudgetSection:
    plan = store.load(actor, team_id, bg.BudgetPlan).body
    current = store.current_budget(actor, team_id)
    index = bg.load_index(store, actor, team_id, plan) if current else None
    return BudgetSection(plan, current, index, bg.plan_years(plan, today.year + 1))


def _m(cents: int) -> str:
    return bg.money(cents, whole=True)


def before_after_chart(rows: list[tuple[str, int, int]]) -> Drawing:
    """Horizontal bars, before in light and after in dark: readable in black and white."""
    rows = rows[:12]
    height = 40 + 34 * len(rows)
    drawing = Drawing(pdf.PAGE_W - 2 * pdf.MARGIN, height + 30)
    chart = HorizontalBarChart()
    chart.x, chart.y = 150, 30
    chart.width, chart.height = drawing.width - 170, height - 20
    chart.data = [[r[1] / 100 for r in rows], [r[2] / 100 for r in rows]]
    chart.categoryAxis.categoryNames = [r[0][:28] for r in rows]
    chart.categoryAxis.reverseDirection = 1
    chart.categoryAxis.labels.fontName = st.BODY
    chart.categoryAxis.labels.fontSize = 7.5
    chart.valueAxis.labels.fontName = st.BODY
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = lambda v: bg.short_money(int(v * 100))
    chart.valueAxis.valueMin = min(0, *(min(r[1], r[2]) / 100 for r in rows))
    chart.bars[0].fillColor, chart.bars[1].fillColor = LIGHT, DARK
    chart.bars.strokeColor = colors.black
    chart.bars.strokeWidth = 0.4
    drawing.add(chart)
    drawing.add(pdf.chart_legend([("Before", LIGHT), ("After", DARK)], 150, height + 18))
    return drawing


def financing_chart(rows: list[bg.FinancingYear]) -> Drawing:
    drawing = Drawing(pdf.PAGE_W - 2 * pdf.MARGIN, 210)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 60, 30, drawing.width - 80, 150
    chart.data = [[r.costs / 100 for r in rows], [r.secured / 100 for r in rows],
                  [(r.applying + r.ideas) / 100 for r in rows]]
    chart.categoryAxis.categoryNames = [f"FY{r.year}" for r in rows]
    chart.categoryAxis.labels.fontName = st.BODY
    chart.valueAxis.labels.fontName = st.BODY
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labelTextFormat = lambda v: bg.short_money(int(v * 100))
    fills = [colors.HexColor("#1B1F24"), DARK, colors.white]
    for i, fill in enumerate(fills):
        chart.bars[i].fillColor = fill
        chart.bars[i].strokeColor = colors.black
        chart.bars[i].strokeWidth = 0.5
    drawing.add(chart)
    drawing.add(pdf.chart_legend([("Costs", fills[0]), ("Secured funding", fills[1]),
                         ("Funding applied for or ideas", fills[2])], 60, 200))
    return drawing


def section(b: BudgetSection, number: int, title: str) -> list[Flowable]:
    flow: list[Flowable] = [pdf.heading(f"{number}. {title}", 0)]
    if b.current is None:
        flow.append(pdf.para("No city budget was imported, so the reallocation figures are "
                             "left out.", "notice"))
    else:
        flow.append(pdf.para(
            f"Source: {b.current.filename}"
            + (f", sheet {b.current.sheet}" if b.current.sheet else "")
            + f", column '{b.current.amount_column}'"
            + (f", fiscal year {b.current.year}" if b.current.year else "")
            + f". {b.current.line_count:,} lines totalling {bg.money(b.current.total_cents)}.",
            "small"))
    rows = b.financing
    proposal = b.plan.proposal
    resolved = b.proposal_resolved
    to_initiative = sum(r.amount_cents for r in resolved
                        if not r.move.destination and r.source_total is not None)
    facts = [
        ("Proposal scenario", proposal.name if proposal else "None chosen yet"),
        ("Moved to the initiative in the first year", _m(bg.reallocation_by_year(
            resolved, b.years)[0]) if proposal else "—"),
        ("All moves in the proposal", _m(to_initiative) if proposal else "—"),
        ("New funding over five years (committed)", _m(sum(r.committed for r in rows))),
        ("Five-year cost of the initiative", _m(bg.total_cost_of_ownership(b.plan))),
        ("Five-year cost of not acting", _m(bg.cost_of_not_acting(b.plan))),
    ]
    flow.append(pdf.heading("Summary", 1))
    flow.append(pdf.table(["Figure", "Value"], facts, [3.6 * 72, 2.9 * 72], align_right=(1,)))

    if proposal and b.index and resolved:
        problems = bg.check_scenario(proposal, resolved)
        errors = [p for p in problems if p.severity == "error"]
        flow.append(pdf.heading(f"Reallocation: {proposal.name}", 1))
        flow.append(pdf.table(
            ["#", "From", "To", "Amount", "When", "Why"],
            [(str(n), r.source_label, r.move.destination or bg.INITIATIVE_LABEL,
              _m(r.amount_cents),
              ("Yearly from " if r.move.recurrence == "recurring" else "Once, ")
              + str(r.move.fiscal_year or b.years[0]), r.move.rationale)
             for n, r in enumerate(resolved, start=1)],
            [0.3 * 72, 1.6 * 72, 1.1 * 72, 0.9 * 72, 0.9 * 72, 2.0 * 72], align_right=(3,)))
        for p in problems:
            flow.append(pdf.para(("Problem: " if p.severity == "error" else "Caution: ")
                                 + p.message, "small"))
        if not errors:
            changes = [r for r in bg.department_after(b.index, resolved)
                       if r[1] != r[2]]
            flow.append(pdf.keep(pdf.heading("Before and after, by department", 2),
                                 before_after_chart(changes)))
            flow.append(pdf.para(
                "Chart in words: " + "; ".join(
                    f"{d} from {_m(before)} to {_m(after)}" for d, before, after in changes[:12])
                + ". The city's total is the same before and after.", "small"))
            flow.append(pdf.table(["Department", "Before", "After", "Change"],
                                  [(d, _m(bf), _m(af), _m(af - bf)) for d, bf, af in changes],
                                  [2.9 * 72, 1.2 * 72, 1.2 * 72, 1.2 * 72],
                                  align_right=(1, 2, 3)))

    if b.plan.cost_items or b.plan.funding_sources or proposal:
        flow.append(pdf.heading("Five-year financing plan", 1))
        header = ["", *[f"FY{y}" for y in b.years]]
        widths = [1.9 * 72] + [0.92 * 72] * len(b.years)
        lines = [
            ("One-time costs", [r.one_time_costs for r in rows]),
            ("Recurring costs", [r.recurring_costs for r in rows]),
            ("Total costs", [r.costs for r in rows]),
            ("Reallocated", [r.reallocated for r in rows]),
            ("New funding, committed", [r.committed for r in rows]),
            ("New funding, applying", [r.applying for r in rows]),
            ("New funding, ideas", [r.ideas for r in rows]),
            ("Gap or surplus (secured)", [r.gap_secured for r in rows]),
            ("Gap or surplus (if all comes through)", [r.gap_if_all_comes_through for r in rows]),
        ]
        flow.append(pdf.table(header, [(label, *[_m(v) for v in values])
                                       for label, values in lines], widths,
                              align_right=range(1, len(header))))
        flow.append(pdf.keep(financing_chart(rows)))
        flow.append(pdf.para("Chart in words: " + "; ".join(
            f"FY{r.year} costs {_m(r.costs)}, secured {_m(r.secured)}, hoped for "
            f"{_m(r.applying + r.ideas)}" for r in rows) + ".", "small"))
        if b.plan.cost_items:
            flow.append(pdf.heading("Costs", 2))
            flow.append(pdf.table(["Cost", "Kind", "Five years"],
                                  [(c.name, "One-time" if c.kind == "one_time" else "Recurring",
                                    _m(sum(c.amounts))) for c in b.plan.cost_items],
                                  [3.9 * 72, 1.3 * 72, 1.3 * 72], align_right=(2,)))
        if b.plan.funding_sources:
            flow.append(pdf.heading("New funding sources", 2))
            flow.append(pdf.table(["Source", "Status", "Five years", "Note"],
                                  [(s.name, s.status.capitalize(), _m(sum(s.amounts)), s.note)
                                   for s in b.plan.funding_sources],
                                  [2.3 * 72, 0.9 * 72, 1.1 * 72, 2.2 * 72], align_right=(2,)))
    if b.plan.status_quo_costs:
        flow.append(pdf.heading("The cost of not acting", 1))
        flow.append(pdf.table(["What the status quo costs", "Per year", "How we estimated it"],
                              [(s.description, _m(s.annual_cents), s.basis)
                               for s in b.plan.status_quo_costs],
                              [2.6 * 72, 1.1 * 72, 2.8 * 72], align_right=(1,)))
    return flow
