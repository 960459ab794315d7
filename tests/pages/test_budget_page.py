"""The budget page through app.py: upload, map, import, reallocate, plan."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import shown
from toolkit import auth
from toolkit import budget as bg
from toolkit.store import SYSTEM

APP = str(Path(__file__).resolve().parents[2] / "app.py")
BUDGETS = Path(__file__).resolve().parents[3] / "shared" / "data" / "budgets"


def _budget_page(token: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["token"] = token
    at.run()
    at.switch_page("pages/budget.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def lakeport(store, key, demo):
    return auth.sign_in_team(store, key, demo["lakeport"], "Lee").token


@pytest.fixture
def riverton(store, key, demo):
    return auth.sign_in_team(store, key, demo["riverton"], "Ana").token


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def test_a_team_without_a_budget_is_told_to_upload_one(lakeport):
    at = _budget_page(lakeport)
    assert any("No budget yet" in i.value for i in at.info)


def test_uploading_a_csv_proposes_a_mapping_and_imports_it(store, teams, lakeport):
    at = _budget_page(lakeport)
    data = (b"Budget FY2027\n\nDept,Object,Fund,Amount\nPolice,Overtime,General,\"1,200\"\n"
            b"Parks,Supplies,General,(30)\n,,,1170\n")
    at.file_uploader[0].set_value(("lakeport.csv", data, "text/csv")).run()
    assert not at.exception
    mapping = {s.label: s.value for s in at.selectbox}
    assert mapping["Department"] == "Dept" and mapping["Amount"] == "Amount"
    _button(at, "Import this budget").click().run()
    assert not at.exception
    info = store.current_budget(SYSTEM, teams["lakeport"].id)
    assert (info.line_count, info.total_cents) == (2, 1170_00)
    plan = store.load(SYSTEM, teams["lakeport"].id, bg.BudgetPlan).body
    assert plan.mappings[bg.header_signature(["Dept", "Object", "Fund", "Amount"])][
        "department"] == "Dept"


def test_a_file_that_is_not_a_budget_is_refused_and_the_old_budget_kept(store, teams, riverton):
    before = store.current_budget(SYSTEM, teams["riverton"].id)
    at = _budget_page(riverton)
    at.file_uploader[0].set_value(("notes.pdf", b"%PDF-1.7 not a budget", "application/pdf"))
    at.run()
    assert not at.exception
    assert "notes.pdf" in shown(at.error[0].value)
    assert store.current_budget(SYSTEM, teams["riverton"].id) == before


@pytest.mark.skipif(not BUDGETS.exists(), reason="shared budget files are not beside the repo")
def test_a_real_city_workbook_with_expense_and_revenue_rows_imports_expenses(store, teams,
                                                                             lakeport):
    at = _budget_page(lakeport)
    path = BUDGETS / "oakland_fy2016-17_midcycle_budget_data.xlsx"
    at.file_uploader[0].set_value((path.name, path.read_bytes(), "application/octet-stream"))
    at.run()
    assert any(c.label.startswith("Expenses only") for c in at.checkbox)
    _button(at, "Import this budget").click().run()
    assert store.current_budget(SYSTEM, teams["lakeport"].id).line_count == 10_595


def test_the_demo_proposal_shows_before_and_after_with_an_unchanged_total(riverton):
    at = _budget_page(riverton)
    captions = " ".join(c.value for c in at.caption)
    assert "City total before $370,420,300.00, after $370,420,300.00: unchanged." in captions


def test_creating_a_scenario_and_adding_a_move_saves_both(store, teams, riverton):
    at = _budget_page(riverton)
    name = next(t for t in at.text_input if t.label == "Name")
    name.input("Library hours")
    next(b for b in at.button if b.label == "Create").click().run()
    assert not at.exception
    plan = store.load(SYSTEM, teams["riverton"].id, bg.BudgetPlan).body
    assert [s.name for s in plan.scenarios][-1] == "Library hours"
    source = next(s for s in at.selectbox if s.label == "Source")
    source.set_value("Library")
    next(n for n in at.number_input if n.label == "Dollars").set_value(50000.0)
    next(b for b in at.button if b.label == "Add move").click().run()
    assert not at.exception
    plan = store.load(SYSTEM, teams["riverton"].id, bg.BudgetPlan).body
    moves = next(s for s in plan.scenarios if s.name == "Library hours").moves
    assert [(m.source, m.amount_cents) for m in moves] == [("Library", 50_000_00)]


def test_a_move_larger_than_its_source_is_flagged_on_the_page(store, teams, riverton):
    team_id = teams["riverton"].id
    saved = store.load(SYSTEM, team_id, bg.BudgetPlan)
    plan = saved.body.model_copy(update={"scenarios": [
        bg.Scenario(name="Too much", is_proposal=True, moves=[
            bg.Move(source_level="department", source="City Council",
                    amount_cents=999_999_999_00)])]})
    store.save(SYSTEM, team_id, plan, base_version=saved.version)
    at = _budget_page(riverton)
    assert any("from a source that has $2,020,000" in shown(e.value) for e in at.error)


def test_a_facilitator_can_open_a_teams_budget(store, demo):
    password = auth.ensure_facilitator_password(store)
    token = auth.sign_in_facilitator(store, password).token
    at = _budget_page(token)
    assert at.title[0].value == "1. Budget analysis"
