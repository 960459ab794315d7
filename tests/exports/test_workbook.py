import datetime as dt
import io

from openpyxl import load_workbook

from exports import blueprint, workbook
from tests.helpers import member
from toolkit import budget as bg
from toolkit import budget_import as bi

DAY = dt.date(2026, 12, 9)


def _book(store, team):
    bp = blueprint.gather(store, member(team), team.id, today=DAY, with_lines=True)
    return load_workbook(io.BytesIO(blueprint.render_xlsx(bp)))


def test_the_demo_workbook_has_lines_scenarios_and_a_financing_plan(store, teams):
    book = _book(store, teams["riverton"])
    assert book.sheetnames[0] == "Blueprint"
    assert "Budget lines" in book.sheetnames and "Financing plan" in book.sheetnames
    assert any(name.startswith("Scenario Shift patrol") for name in book.sheetnames)
    lines = book["Budget lines"]
    assert lines.freeze_panes == "A2"
    assert lines.max_row == 253 + 2  # header, 253 lines, total
    assert lines.cell(row=255, column=7).value == "=SUBTOTAL(109,G2:G254)"


def test_totals_and_the_gap_are_live_formulas(store, teams):
    sheet = _book(store, teams["riverton"])["Financing plan"]
    formulas = [c.value for row in sheet.iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("=")]
    assert any(f.startswith("=SUM(C") for f in formulas)
    assert any(f.count("-") == 1 and f.startswith("=C") for f in formulas)  # funding - costs


def test_text_that_looks_like_a_formula_stays_text(store, teams):
    team = teams["lakeport"]
    ana = member(team)
    data = (b'Department,Category,Amount\n"=HYPERLINK(""http://x"")",+1+2,5\n'
            b'@SUM(A1),-3,7\n')
    bg.save_import(store, ana, team.id, bi.read_budget(data, "evil.csv"))
    plan = bg.BudgetPlan(cost_items=[bg.CostItem(name="=1+1", amounts=[100])])
    store.save(ana, team.id, plan, base_version=0)
    book = _book(store, team)
    cells = {c.value: c.data_type for row in book["Budget lines"].iter_rows() for c in row}
    assert cells['=HYPERLINK("http://x")'] == "s"
    assert cells["@SUM(A1)"] == "s"
    financing = {c.value: c.data_type for row in book["Financing plan"].iter_rows() for c in row}
    assert financing["=1+1"] == "s"


def test_sheet_names_are_made_safe_and_unique():
    assert workbook.sheet_title("Scenario: a/b [c]?*", []) == "Scenario  a b  c"
    long = "x" * 40
    assert workbook.sheet_title(long, [long[:31]]) == "x" * 27 + " (2)"


def test_a_filled_in_template_imports_with_every_column_recognised():
    book = load_workbook(io.BytesIO(workbook.budget_template()))
    sheet = book["Budget lines"]
    assert [c.value for c in sheet[1]] == ["Department", "Division or program",
                                           "Category or object", "Fund", "Fiscal year", "Amount"]
    sheet.append(["Police", "Patrol", "Overtime", "General Fund", "2027", 125000.5])
    sheet.append(["Library", "Branches", "Books", "General Fund", "2027", 4000])
    result = bi.read_budget(workbook.to_bytes(book), "template.xlsx")
    assert result.mapping.roles() == {"department": "Department",
                                      "division": "Division or program",
                                      "category": "Category or object", "fund": "Fund",
                                      "year": "Fiscal year", "kind": None, "amount": "Amount"}
    assert result.total_cents == 129000_50
