"""Budget analysis: reallocation scenarios, new funding and the five-year financing plan.

Everything here is pure: functions take totals read from the store and return new data.
Money is integer cents throughout; shares are split with the largest-remainder method so
that every split adds back to the cent.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from toolkit import budget_import as bi
from toolkit.store import Actor, BudgetImportInfo, Store
from toolkit.workshop import Document

PLAN_YEARS = 5
INITIATIVE = ""  # a move's destination "" means the team's own initiative
INITIATIVE_LABEL = "The initiative"  # how that destination reads in tables and charts
Level = Literal["line", "department", "category", "fund", "department_category"]
LEVEL_LABELS = {
    "department": "A whole department",
    "category": "A spending category (in every department)",
    "department_category": "A category within one department",
    "fund": "A whole fund",
    "line": "One budget line",
}
SEP = " › "  # joins department and category in a department_category source


def new_id() -> str:
    return secrets.token_hex(4)


class Item(BaseModel):
    """A row of a list a team edits; the id lets teammates edit different rows at once."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore")
    id: str = Field(default_factory=new_id, min_length=1, max_length=24)


class Move(Item):
    source_level: Level = "department"
    source: str = Field(default="", max_length=400)  # a line id, or the group's name
    destination: str = Field(default=INITIATIVE, max_length=120)
    basis: Literal["amount", "percent", "fte"] = "amount"
    amount_cents: int = Field(default=0, ge=0, le=10**15)
    percent: Decimal = Field(default=Decimal(0), ge=0, le=100, decimal_places=2)
    fte: Decimal = Field(default=Decimal(0), ge=0, le=10_000, decimal_places=2)
    cost_per_fte_cents: int = Field(default=0, ge=0, le=10**10)
    recurrence: Literal["one_time", "recurring"] = "recurring"
    fiscal_year: int | None = Field(default=None, ge=1990, le=2100)
    rationale: str = Field(default="", max_length=1000)


class Scenario(Item):
    name: str = Field(default="New scenario", min_length=1, max_length=80)
    is_proposal: bool = False
    moves: list[Move] = Field(default_factory=list, max_length=500)


class YearlyAmounts(Item):
    """A row with one amount in cents for each of the plan's five years."""

    amounts: list[Annotated[int, Field(ge=0, le=10**14)]] = Field(
        default_factory=lambda: [0] * PLAN_YEARS)

    @field_validator("amounts")
    @classmethod
    def _five_years(cls, values: list[int]) -> list[int]:
        values = list(values)[:PLAN_YEARS]
        return values + [0] * (PLAN_YEARS - len(values))


class FundingSource(YearlyAmounts):
    name: str = Field(default="", max_length=160)
    type: str = Field(default="", max_length=60)  # a funding catalog id
    status: Literal["idea", "applying", "committed"] = "idea"
    note: str = Field(default="", max_length=600)


class CostItem(YearlyAmounts):
    name: str = Field(default="", max_length=160)
    category: str = Field(default="", max_length=60)  # a cost category id from content
    kind: Literal["one_time", "recurring"] = "recurring"


class StatusQuoCost(Item):
    description: str = Field(default="", max_length=300)
    annual_cents: int = Field(default=0, ge=0, le=10**14)
    basis: str = Field(default="", max_length=600)  # how the team estimated it


class BudgetPlan(Document):
    KIND: ClassVar[str] = "budget"
    # The column mapping the team confirmed, per file layout (a signature of its headers).
    mappings: dict[str, dict[str, str | None]] = Field(default_factory=dict)
    scenarios: list[Scenario] = Field(default_factory=list, max_length=30)
    start_year: int | None = Field(default=None, ge=1990, le=2100)
    default_fte_cost_dollars: int = Field(default=0, ge=0, le=10_000_000)
    funding_sources: list[FundingSource] = Field(default_factory=list, max_length=200)
    cost_items: list[CostItem] = Field(default_factory=list, max_length=300)
    status_quo_costs: list[StatusQuoCost] = Field(default_factory=list, max_length=100)

    @property
    def proposal(self) -> Scenario | None:
        return next((s for s in self.scenarios if s.is_proposal), None)

    @property
    def started(self) -> bool:
        return bool(self.scenarios or self.funding_sources or self.cost_items
                    or self.status_quo_costs)


FIELD_LABELS = {
    "start_year": "First fiscal year",
    "default_fte_cost_dollars": "Cost of one FTE",
    "name": "Name",
    "description": "Description",
    "basis": "How we estimated it",
    "note": "Note",
    "amounts": "Amounts",
    "annual_cents": "Yearly amount",
    "moves": "Moves",
    "scenarios": "Scenarios",
}


def header_signature(headers: Iterable[str]) -> str:
    """The same export layout gives the same key, so a mapping is remembered per layout."""
    return "|".join(sorted(h.strip().lower() for h in headers if h.strip()))


# --- money ---------------------------------------------------------------------------------


def money(cents: int, *, whole: bool = False) -> str:
    """$1,234.50 (or -$1,234.50); `whole` rounds to dollars for tables of large figures."""
    sign = "-" if cents < 0 else ""
    value = abs(cents)
    if whole:
        dollars = (value + 50) // 100
        return f"{sign}${dollars:,}"
    return f"{sign}${value // 100:,}.{value % 100:02d}"


def short_money(cents: int) -> str:
    """$12.3M, $840K: for chart labels and headline figures."""
    value = abs(cents) / 100
    sign = "-" if cents < 0 else ""
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if value >= limit:
            return f"{sign}${value / limit:,.1f}{suffix}"
    return f"{sign}${value:,.0f}"


def dollars_to_cents(text: str | float | int | Decimal | None) -> int:
    """Read a dollar amount typed by a person ("1,250.5", "$3M" is not accepted) exactly."""
    if text is None or str(text).strip() == "":
        return 0
    cleaned = str(text).replace(",", "").replace("$", "").strip()
    try:
        value = Decimal(cleaned)
    except ArithmeticError:
        raise ValueError(f"'{text}' is not an amount in dollars, like 1250 or 1,250.50.") from None
    if not value.is_finite():
        raise ValueError(f"'{text}' is not an amount in dollars.")
    return int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def allocate(amount: int, weights: Mapping[str, int]) -> dict[str, int]:
    """Split `amount` cents in proportion to positive `weights`, adding back exactly."""
    positive = {k: w for k, w in weights.items() if w > 0}
    total = sum(positive.values())
    if amount == 0 or total == 0:
        return {}
    shares = {k: amount * w // total for k, w in positive.items()}
    remainder = amount - sum(shares.values())
    # Largest remainders first; ties broken by name so results are stable.
    order = sorted(positive, key=lambda k: (-(amount * positive[k] % total), k))
    for key in order[:remainder]:
        shares[key] += 1
    return shares


# --- resolving moves against the budget ------------------------------------------------------


@dataclass(frozen=True)
class BudgetIndex:
    """The totals a scenario needs, read once from the store."""

    by_department: dict[str, int]
    by_category: dict[str, int]
    by_fund: dict[str, int]
    category_by_department: dict[tuple[str, str], int]  # (category, department) -> cents
    fund_by_department: dict[tuple[str, str], int]  # (fund, department) -> cents
    lines: dict[int, dict] = field(default_factory=dict)  # line id -> line, for line moves

    @property
    def total(self) -> int:
        return sum(self.by_department.values())


@dataclass(frozen=True)
class Resolved:
    move: Move
    amount_cents: int
    source_label: str
    source_total: int | None  # None when the source is not in the current budget
    by_department: dict[str, int]  # where the money comes from, per department
    flags: tuple[str, ...] = ()


def describe_source(move: Move, index: BudgetIndex) -> str:
    if move.source_level == "line":
        line = index.lines.get(int(move.source)) if move.source.isdigit() else None
        if line is None:
            return "a budget line that is not in the current budget"
        return f"line {line['row_no']}: {line['department']}{SEP}{line['category']}"
    return move.source or "(no source chosen)"


def _source_breakdown(move: Move, index: BudgetIndex) -> dict[str, int] | None:
    level, source = move.source_level, move.source
    if level == "department":
        return {source: index.by_department[source]} if source in index.by_department else None
    if level == "category":
        parts = {d: c for (cat, d), c in index.category_by_department.items() if cat == source}
        return parts or None
    if level == "fund":
        parts = {d: c for (fund, d), c in index.fund_by_department.items() if fund == source}
        return parts or None
    if level == "department_category":
        dept, _, cat = source.partition(SEP)
        cents = index.category_by_department.get((cat, dept))
        return {dept: cents} if cents is not None else None
    if level == "line" and source.isdigit() and int(source) in index.lines:
        line = index.lines[int(source)]
        return {line["department"]: line["amount_cents"]}
    return None


def move_amount(move: Move, source_total: int) -> int:
    if move.basis == "amount":
        return move.amount_cents
    if move.basis == "percent":
        exact = Decimal(source_total) * move.percent / 100
        return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
    exact = move.fte * move.cost_per_fte_cents
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


FlagFinder = Callable[[str, str, str], list[str]]


def resolve(move: Move, index: BudgetIndex, flag_finder: FlagFinder | None = None) -> Resolved:
    breakdown = _source_breakdown(move, index)
    label = describe_source(move, index)
    if breakdown is None:
        return Resolved(move, 0, label, None, {})
    source_total = sum(breakdown.values())
    amount = move_amount(move, source_total)
    flags: list[str] = []
    if flag_finder:
        dept, cat, fund = _flag_context(move, index)
        flags = flag_finder(dept, cat, fund)
    return Resolved(move, amount, label, source_total, allocate(amount, breakdown),
                    tuple(dict.fromkeys(flags)))


def _flag_context(move: Move, index: BudgetIndex) -> tuple[str, str, str]:
    level, source = move.source_level, move.source
    if level == "line" and source.isdigit() and int(source) in index.lines:
        line = index.lines[int(source)]
        return line["department"], f"{line['division']} {line['category']}", line["fund"]
    if level == "department_category":
        dept, _, cat = source.partition(SEP)
        return dept, cat, ""
    return (source if level == "department" else "", source if level == "category" else "",
            source if level == "fund" else "")


@dataclass(frozen=True)
class Problem:
    move_id: str
    severity: Literal["error", "warning"]
    message: str


def check_scenario(scenario: Scenario, resolved: list[Resolved]) -> list[Problem]:
    """Plain-language problems: errors block the scenario's figures, warnings ask for care."""
    problems: list[Problem] = []
    taken: dict[tuple[str, str], int] = defaultdict(int)
    for r in resolved:
        m = r.move
        number = scenario.moves.index(m) + 1 if m in scenario.moves else 0
        where = f"Move {number} ({r.source_label})"
        if r.source_total is None:
            problems.append(Problem(m.id, "error", f"{where}: its source is not in the current "
                                    "budget. Choose a source again."))
            continue
        if m.basis == "fte" and m.cost_per_fte_cents <= 0:
            problems.append(Problem(m.id, "error", f"{where}: enter the yearly cost of one FTE, "
                                    "with salary and benefits."))
            continue
        if r.amount_cents <= 0:
            problems.append(Problem(m.id, "error", f"{where}: the amount is zero. Enter an "
                                    "amount, a percentage or a number of staff (FTE)."))
            continue
        taken[(m.source_level, m.source)] += r.amount_cents
        if r.source_total <= 0:
            problems.append(Problem(m.id, "error", f"{where}: this source has "
                                    f"{money(r.source_total, whole=True)}, so nothing can be "
                                    "moved out of it."))
        elif taken[(m.source_level, m.source)] > r.source_total:
            problems.append(Problem(
                m.id, "error",
                f"{where}: moves take {money(taken[(m.source_level, m.source)], whole=True)} "
                f"from a source that has {money(r.source_total, whole=True)}. Lower the amount."))
        for flag in r.flags:
            problems.append(Problem(m.id, "warning", f"{where}: {flag}"))
    return problems


def department_after(index: BudgetIndex, resolved: list[Resolved]
                     ) -> list[tuple[str, int, int]]:
    """(department, before, after) with each move's money taken from its source departments
    and added to its destination; the city's total is unchanged by construction."""
    after = dict(index.by_department)
    for r in resolved:
        if r.source_total is None or r.amount_cents <= 0:
            continue
        for dept, cents in r.by_department.items():
            after[dept] = after.get(dept, 0) - cents
        target = r.move.destination or INITIATIVE_LABEL
        after[target] = after.get(target, 0) + r.amount_cents
    rows = [(d, index.by_department.get(d, 0), after[d]) for d in after]
    return sorted(rows, key=lambda row: (-max(row[1], row[2]), row[0]))


def flows(resolved: list[Resolved]) -> list[tuple[str, str, int]]:
    """(from, to, cents) summed by source label and destination, for a flow picture."""
    sums: dict[tuple[str, str], int] = defaultdict(int)
    for r in resolved:
        if r.source_total is not None and r.amount_cents > 0:
            sums[(r.source_label, r.move.destination or INITIATIVE_LABEL)] += r.amount_cents
    return [(a, b, c) for (a, b), c in sorted(sums.items(), key=lambda kv: -kv[1])]


# --- the financing plan ---------------------------------------------------------------------


@dataclass(frozen=True)
class FinancingYear:
    year: int
    one_time_costs: int
    recurring_costs: int
    reallocated: int
    committed: int
    applying: int
    ideas: int

    @property
    def costs(self) -> int:
        return self.one_time_costs + self.recurring_costs

    @property
    def secured(self) -> int:
        """Money the city controls or has been promised."""
        return self.reallocated + self.committed

    @property
    def gap_secured(self) -> int:
        """Positive: surplus; negative: still to find, counting only secured money."""
        return self.secured - self.costs

    @property
    def gap_if_all_comes_through(self) -> int:
        return self.secured + self.applying + self.ideas - self.costs


def plan_years(plan: BudgetPlan, default_start: int) -> list[int]:
    start = plan.start_year or default_start
    return [start + i for i in range(PLAN_YEARS)]


def reallocation_by_year(resolved: list[Resolved], years: list[int]) -> list[int]:
    """Money the proposal moves to the initiative in each plan year."""
    out = [0] * len(years)
    for r in resolved:
        if r.move.destination or r.source_total is None or r.amount_cents <= 0:
            continue
        first = r.move.fiscal_year or years[0]
        for i, year in enumerate(years):
            if year == first or (r.move.recurrence == "recurring" and year > first):
                out[i] += r.amount_cents
    return out


def financing(plan: BudgetPlan, resolved_proposal: list[Resolved], years: list[int]
              ) -> list[FinancingYear]:
    reallocated = reallocation_by_year(resolved_proposal, years)
    rows = []
    for i, year in enumerate(years):
        def total(items, i=i, **match) -> int:
            return sum(x.amounts[i] for x in items
                       if all(getattr(x, k) == v for k, v in match.items()))
        rows.append(FinancingYear(
            year=year,
            one_time_costs=total(plan.cost_items, kind="one_time"),
            recurring_costs=total(plan.cost_items, kind="recurring"),
            reallocated=reallocated[i],
            committed=total(plan.funding_sources, status="committed"),
            applying=total(plan.funding_sources, status="applying"),
            ideas=total(plan.funding_sources, status="idea"),
        ))
    return rows


def total_cost_of_ownership(plan: BudgetPlan) -> int:
    return sum(sum(item.amounts) for item in plan.cost_items)


def cost_of_not_acting(plan: BudgetPlan) -> int:
    """What the status quo costs over the plan's five years, as the team estimated it."""
    return sum(c.annual_cents for c in plan.status_quo_costs) * PLAN_YEARS


# --- reading and writing through the store ---------------------------------------------------


def save_import(store: Store, actor: Actor, team_id: int, result: bi.BudgetImport
                ) -> BudgetImportInfo:
    """Keep an import as the team's current budget (earlier imports stay, for switching back)."""
    summary = bi.to_json_summary(result)
    details = {k: summary[k] for k in ("mapping", "skipped", "warnings", "counts") if k in summary}
    lines = [
        (ln.row, ln.department, ln.division, ln.category, ln.fund, ln.year, ln.amount_cents,
         ln.amount_missing)
        for ln in result.lines
    ]
    meta = {
        "filename": result.filename,
        "format": result.format,
        "sheet": result.sheet,
        "amount_column": result.amount_column,
        "year": result.year,
        "expenses_only": result.expenses_only,
        "details": details,
    }
    return store.save_budget_import(actor, team_id, meta=meta, lines=lines)


def load_index(store: Store, actor: Actor, team_id: int, plan: BudgetPlan | None = None
               ) -> BudgetIndex:
    """The totals every scenario of `plan` needs, in a handful of grouped queries."""
    line_ids = sorted({
        int(m.source) for s in (plan.scenarios if plan else []) for m in s.moves
        if m.source_level == "line" and m.source.isdigit()
    })
    return BudgetIndex(
        by_department={v: c for v, c, _ in store.budget_totals(actor, team_id, "department")},
        by_category={v: c for v, c, _ in store.budget_totals(actor, team_id, "category")},
        by_fund={v: c for v, c, _ in store.budget_totals(actor, team_id, "fund")},
        category_by_department={
            (a, b): c for a, b, c in store.budget_pairs(actor, team_id, "category", "department")
        },
        fund_by_department={
            (a, b): c for a, b, c in store.budget_pairs(actor, team_id, "fund", "department")
        },
        lines=store.budget_lines_by_id(actor, team_id, line_ids),
    )


def resolve_all(scenario: Scenario | None, index: BudgetIndex,
                flag_finder: FlagFinder | None = None) -> list[Resolved]:
    return [resolve(m, index, flag_finder) for m in scenario.moves] if scenario else []


def flag_finder(department: str, category: str, fund: str) -> list[str]:
    """Warnings from content/budget_flags.yaml for a move's source (mandated, personnel...)."""
    from toolkit import funding  # content-backed; imported here to keep this module light

    return [f"{f.label}. {f.explanation}" for f in funding.flags_for(department, category, fund)]
