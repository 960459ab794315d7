"""Excel workbooks a finance office can keep working in: live formulas, safe text.

Any text a team typed is written as a string cell, so `=HYPERLINK(...)` or `+1+2` arrives in
Excel as the characters typed, never as a formula.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from toolkit import budget as bg

MONEY = '"$"#,##0.00;[Red]-"$"#,##0.00'
HEADER_FILL = PatternFill("solid", fgColor="0B4F8A")
HEADER_FONT = Font(bold=True, color="FFFFFF")
BOLD = Font(bold=True)
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def text_cell(ws: Worksheet, row: int, col: int, value: object):
    """Write `value` as plain text, whatever it starts with."""
    cell = ws.cell(row=row, column=col)
    # Control characters (a pasted NUL or escape) are not allowed in a worksheet: openpyxl
    # refuses the whole workbook. They are invisible, so they go, as in the PDF.
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))
    cell.data_type = "s"  # openpyxl would otherwise turn "=..." into a formula
    return cell


def money_cell(ws: Worksheet, row: int, col: int, cents_or_formula: int | str):
    cell = ws.cell(row=row, column=col)
    cell.value = cents_or_formula / 100 if isinstance(cents_or_formula, int) else cents_or_formula
    cell.number_format = MONEY
    return cell


def header(ws: Worksheet, titles: Sequence[str], widths: Sequence[int], row: int = 1) -> None:
    for col, (title, width) in enumerate(zip(titles, widths, strict=True), start=1):
        cell = text_cell(ws, row, col, title)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row=row + 1, column=1)


def sheet_title(name: str, taken: Iterable[str]) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\ or control characters
    (they corrupt the workbook's XML), not starting or ending with ', unique in the book."""
    base = _BAD_SHEET_CHARS.sub(" ", ILLEGAL_CHARACTERS_RE.sub("", name))
    base = base.strip().strip("'").strip()[:31].strip().strip("'").strip() or "Sheet"
    title, n = base, 2
    taken = {t.lower() for t in taken}
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    return title


def to_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- budget ---------------------------------------------------------------------------------

LINE_COLUMNS = ["Row in file", "Department", "Division or program", "Category or object",
                "Fund", "Fiscal year", "Amount"]
LINE_WIDTHS = [10, 30, 30, 34, 28, 11, 18]


def budget_template() -> bytes:
    """A blank workbook in the layout the importer proposes without any help."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Budget lines"
    header(ws, LINE_COLUMNS[1:], LINE_WIDTHS[1:])
    notes = wb.create_sheet("How to fill it in")
    rows = [
        "One row per budget line. Keep the header row as it is.",
        "Department: the department or agency, e.g. Police or Public Works.",
        "Division or program: optional, e.g. Patrol or Street Maintenance.",
        "Category or object: what the money buys, e.g. Salaries, Overtime, Contracts.",
        "Fund: e.g. General Fund; leave blank if you do not track funds.",
        "Fiscal year: e.g. 2027. One year per file is simplest.",
        "Amount: dollars, with or without cents, like 125000 or 125,000.50.",
        "Leave out total and subtotal rows; the app leaves them out anyway and says which.",
    ]
    notes.column_dimensions["A"].width = 90
    for i, line in enumerate(rows, start=1):
        text_cell(notes, i, 1, line)
    return to_bytes(wb)


def add_budget_sheets(wb: Workbook, *, lines: list[tuple], plan: bg.BudgetPlan,
                      index: bg.BudgetIndex | None, years: list[int]) -> None:
    """The imported lines, each scenario and the financing plan, with formulas for totals."""
    if lines:
        ws = wb.create_sheet(sheet_title("Budget lines", wb.sheetnames))
        header(ws, LINE_COLUMNS, LINE_WIDTHS)
        for r, line in enumerate(lines, start=2):
            ws.cell(row=r, column=1, value=line[0])
            for col, value in enumerate(line[1:6], start=2):
                text_cell(ws, r, col, value)
            money_cell(ws, r, 7, line[6])
        last = len(lines) + 1
        total_row = last + 1
        text_cell(ws, total_row, 6, "Total").font = BOLD
        money_cell(ws, total_row, 7, f"=SUBTOTAL(109,G2:G{last})").font = BOLD
        ws.auto_filter.ref = f"A1:G{last}"

    for scenario in plan.scenarios:
        resolved = bg.resolve_all(scenario, index) if index else []
        title = f"Scenario {scenario.name}" + (" (proposal)" if scenario.is_proposal else "")
        ws = wb.create_sheet(sheet_title(title, wb.sheetnames))
        header(ws, ["#", "From", "To", "Basis", "Amount", "When", "Fiscal year", "Why"],
               [5, 40, 30, 18, 16, 14, 12, 60])
        for r, res in enumerate(resolved, start=2):
            m = res.move
            ws.cell(row=r, column=1, value=r - 1)
            text_cell(ws, r, 2, res.source_label)
            text_cell(ws, r, 3, m.destination or bg.INITIATIVE_LABEL)
            text_cell(ws, r, 4, {"amount": "Dollar amount", "percent": f"{m.percent}% of source",
                                 "fte": f"{m.fte} FTE"}[m.basis])
            money_cell(ws, r, 5, res.amount_cents)
            text_cell(ws, r, 6, "Every year" if m.recurrence == "recurring" else "Once")
            ws.cell(row=r, column=7, value=m.fiscal_year)
            text_cell(ws, r, 8, m.rationale).alignment = Alignment(wrap_text=True)
        end = len(resolved) + 1
        text_cell(ws, end + 1, 4, "Total moved").font = BOLD
        money_cell(ws, end + 1, 5, f"=SUM(E2:E{max(end, 2)})").font = BOLD

    if plan.cost_items or plan.funding_sources or plan.proposal:
        _financing_sheet(wb, plan, index, years)


def _financing_sheet(wb: Workbook, plan: bg.BudgetPlan, index: bg.BudgetIndex | None,
                     years: list[int]) -> None:
    ws = wb.create_sheet(sheet_title("Financing plan", wb.sheetnames))
    cols = [f"FY{y}" for y in years]
    header(ws, ["Line", "Kind or status", *cols, "Five-year total"],
           [44, 18, *[15] * len(years), 18])
    last_col = get_column_letter(2 + len(years))
    total_col = 3 + len(years)
    row = 2

    def amounts_row(label: str, kind: str, cents: list[int]) -> int:
        nonlocal row
        text_cell(ws, row, 1, label)
        text_cell(ws, row, 2, kind)
        for i, value in enumerate(cents):
            money_cell(ws, row, 3 + i, value)
        money_cell(ws, row, total_col, f"=SUM(C{row}:{last_col}{row})")
        row += 1
        return row - 1

    def sum_row(label: str, first: int, last: int) -> int:
        nonlocal row
        text_cell(ws, row, 1, label).font = BOLD
        for i in range(len(years) + 1):
            letter = get_column_letter(3 + i)
            formula = f"=SUM({letter}{first}:{letter}{last})" if last >= first else 0
            money_cell(ws, row, 3 + i, formula).font = BOLD
        row += 1
        return row - 1

    text_cell(ws, row, 1, "COSTS").font = BOLD
    row += 1
    first = row
    for item in plan.cost_items:
        amounts_row(item.name, "One-time" if item.kind == "one_time" else "Recurring",
                    item.amounts)
    costs = sum_row("Total costs", first, row - 1)
    row += 1
    text_cell(ws, row, 1, "FUNDING").font = BOLD
    row += 1
    first = row
    resolved = bg.resolve_all(plan.proposal, index) if (plan.proposal and index) else []
    amounts_row(f"Reallocated by the proposal ({plan.proposal.name})" if plan.proposal
                else "Reallocated (no proposal scenario yet)", "Reallocation",
                bg.reallocation_by_year(resolved, years))
    for source in plan.funding_sources:
        amounts_row(source.name, source.status.capitalize(), source.amounts)
    funding = sum_row("Total funding (all statuses)", first, row - 1)
    text_cell(ws, row, 1, "Gap (-) or surplus (+)").font = BOLD
    for i in range(len(years) + 1):
        letter = get_column_letter(3 + i)
        money_cell(ws, row, 3 + i, f"={letter}{funding}-{letter}{costs}").font = BOLD
    row += 2
    text_cell(ws, row, 1, "Type amounts in the year columns; totals and the gap recalculate.")
