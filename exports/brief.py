"""The executive summary: one page written from the team's data, also sold as the mayor's brief.

Nothing here is sample text: each line comes from what the team entered, and a part the team
has not done says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.platypus import Flowable

from exports import pdf
from toolkit import budget as bg
from toolkit import workshop as ws

MEASURE_ORDER = {"better_off": 0, "how_well": 1, "how_much": 2}


@dataclass(frozen=True)
class Summary:
    """The facts of the page, as plain data, so tests and the app can read them too."""

    initiative: str
    goal: str
    money: list[str]
    measures: list[tuple[str, str]]  # (measure, target)
    next_90_days: list[tuple[str, str, str]]  # (week, milestone, owner)
    accountable: list[str]


def _number(value) -> str:
    if value is None:
        return ""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text


def summarize(bp) -> Summary:
    """What the executive summary says, built from a gathered Blueprint."""
    money = []
    budget = bp.budget
    if budget.plan.proposal and budget.index:
        resolved = budget.proposal_resolved
        by_year = bg.reallocation_by_year(resolved, budget.years)
        money.append(f"{bg.money(by_year[0], whole=True)} moved to the initiative in "
                     f"FY{budget.years[0]} from existing budgets, "
                     f"{bg.money(sum(by_year), whole=True)} over five years "
                     f"(proposal: {budget.plan.proposal.name}).")
    if budget.plan.funding_sources:
        rows = budget.financing
        committed = sum(r.committed for r in rows)
        hoped = sum(r.applying + r.ideas for r in rows)
        money.append(f"{bg.money(committed, whole=True)} of new funding committed over five "
                     f"years; {bg.money(hoped, whole=True)} more applied for or hoped for.")
    if budget.plan.cost_items:
        rows = budget.financing
        short = [r for r in rows if r.gap_secured < 0]
        cost = bg.money(bg.total_cost_of_ownership(budget.plan), whole=True)
        if short:
            largest = bg.money(-min(r.gap_secured for r in short), whole=True)
            cover = (f"secured money falls short in {len(short)} of {len(rows)} years "
                     f"(largest gap {largest}).")
        else:
            cover = "secured money covers every year."
        money.append(f"Five-year cost {cost}; {cover}")
    if budget.plan.status_quo_costs:
        money.append("Not acting would cost an estimated "
                      f"{bg.money(bg.cost_of_not_acting(budget.plan), whole=True)} "
                      "over the same five years.")

    plan = bp.action_plan.plan
    chosen = sorted((m for m in plan.measures if m.name and m.target is not None),
                    key=lambda m: MEASURE_ORDER.get(m.kind, 3))[:3]
    measures = [(m.name, " ".join(x for x in (
        f"{_number(m.baseline)} now" if m.baseline is not None else "",
        f"→ {_number(m.target)} {m.unit}".strip(),
        f"by {m.target_date:%B %Y}" if m.target_date else "") if x)) for m in chosen]

    next_rows = []
    if plan.milestones:
        from toolkit import action_plan as ap

        for row in ap.first_90_days(plan, bp.action_plan.start)[:5]:
            next_rows.append((f"Week {row.week}", row.milestone.name, row.milestone.owner))

    accountable = []
    roles = {r.id: r for r in plan.roles}
    for stream in plan.workstreams:
        for role_id, letter in stream.assignments.items():
            if letter == "A" and role_id in roles:
                accountable.append(f"{stream.name}: {roles[role_id].name}")
    owners = [r.name for r in plan.roles if r.is_product_owner]
    if owners:
        accountable.append(f"Product owner inside city government: {', '.join(owners)}")
    if bp.profile.mayor:
        accountable.insert(0, f"Mayor {bp.profile.mayor}")
    return Summary(bp.initiative.title, bp.initiative.goal, money, measures, next_rows,
                   accountable[:5])


def page(bp, *, heading: str = "Executive summary") -> list[Flowable]:
    s = summarize(bp)
    area = ws.area(bp.initiative.area).label if bp.initiative.area else ""
    flow: list[Flowable] = [pdf.heading(heading, 0)]
    flow.append(pdf.para(f"{bp.place_name} · {area}" if area else bp.place_name, "small"))
    flow += pdf.labelled("The initiative", s.initiative)
    flow += pdf.labelled("The goal", s.goal)
    flow.append(pdf.markup("<b>The money</b>", "label"))
    if s.money:
        flow += [pdf.para(f"• {line}", "cell") for line in s.money]
    else:
        flow.append(pdf.para("The budget tool has not been started.", "notice"))
    flow.append(pdf.markup("<b>Headline measures</b>", "label"))
    if s.measures:
        flow.append(pdf.table(["Measure", "Target"], s.measures, [3.6 * 72, 2.9 * 72]))
    else:
        flow.append(pdf.para("No measure with a target yet.", "notice"))
    flow.append(pdf.markup("<b>The next 90 days</b>", "label"))
    if s.next_90_days:
        flow.append(pdf.table(["When", "Milestone", "Owner"], s.next_90_days,
                              [0.8 * 72, 3.9 * 72, 1.8 * 72]))
    else:
        flow.append(pdf.para("No dated milestones in the first 90 days yet.", "notice"))
    flow.append(pdf.markup("<b>Who is accountable</b>", "label"))
    flow.append(pdf.para("; ".join(s.accountable) + "." if s.accountable else "Not named yet.",
                         "cell" if s.accountable else "notice"))
    return flow


def render_brief(bp) -> bytes:
    """The one-page mayor's brief: the executive summary alone."""
    meta = pdf.Meta(
        title=f"{bp.place_name} mayor's brief: {bp.initiative.title or 'priority initiative'}",
        author=f"{bp.profile.city or bp.team.slug} city team",
        subject=f"{bp.workshop.name} - one-page brief",
        footer=f"{bp.place_name} · Mayor's brief · {bp.workshop.name}",
    )
    return pdf.render(meta, [], page(bp, heading=f"{bp.place_name}: mayor's brief"),
                      cover_page=False)
