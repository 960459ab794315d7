from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import member
from toolkit import budget as bg
from toolkit import budget_import as bi
from toolkit.demo import demo_budget
from toolkit.store import SYSTEM

INDEX = bg.BudgetIndex(
    by_department={"Police": 1_000_000_00, "Health": 200_000_00, "Parks": 50_000_00},
    by_category={"Overtime": 300_000_00, "Salaries": 900_000_00, "Supplies": 50_000_00},
    by_fund={"General": 1_250_000_00},
    category_by_department={("Overtime", "Police"): 250_000_00, ("Overtime", "Parks"): 50_000_00,
                            ("Salaries", "Police"): 750_000_00,
                            ("Salaries", "Health"): 150_000_00,
                            ("Supplies", "Health"): 50_000_00},
    fund_by_department={("General", "Police"): 1_000_000_00, ("General", "Health"): 200_000_00,
                        ("General", "Parks"): 50_000_00},
)


def _scenario(*moves: bg.Move) -> bg.Scenario:
    return bg.Scenario(name="Test", moves=list(moves))


def test_allocate_splits_in_proportion_and_adds_back_to_the_cent():
    assert bg.allocate(100, {"a": 1, "b": 1, "c": 1}) == {"a": 34, "b": 33, "c": 33}
    assert bg.allocate(0, {"a": 5}) == {}
    assert bg.allocate(10, {"a": 0, "b": -3}) == {}


@given(st.integers(min_value=0, max_value=10**12),
       st.dictionaries(st.text(min_size=1, max_size=5), st.integers(min_value=1, max_value=10**11),
                       min_size=1, max_size=12))
def test_allocate_never_loses_or_invents_a_cent(amount, weights):
    shares = bg.allocate(amount, weights)
    assert sum(shares.values()) == amount
    assert all(v >= 0 for v in shares.values())


moves = st.builds(
    bg.Move,
    source_level=st.sampled_from(["department", "category", "fund", "department_category"]),
    source=st.sampled_from(["Police", "Health", "Parks", "Overtime", "Salaries", "Supplies",
                            "General", "Police › Overtime", "Health › Supplies", "Nowhere"]),
    destination=st.sampled_from(["", "Health", "Youth programs"]),
    basis=st.sampled_from(["amount", "percent"]),
    amount_cents=st.integers(min_value=0, max_value=2_000_000_00),
    percent=st.decimals(min_value=0, max_value=100, places=2),
)


@given(st.lists(moves, max_size=8))
def test_a_reallocation_never_changes_the_citys_total(move_list):
    resolved = bg.resolve_all(_scenario(*move_list), INDEX)
    rows = bg.department_after(INDEX, resolved)
    assert sum(after for _, _, after in rows) == INDEX.total
    assert sum(before for _, before, _ in rows) == INDEX.total


def test_a_category_move_is_taken_from_each_department_in_proportion():
    move = bg.Move(source_level="category", source="Overtime", basis="amount",
                   amount_cents=60_000_00)
    resolved = bg.resolve(move, INDEX)
    assert resolved.by_department == {"Police": 50_000_00, "Parks": 10_000_00}
    after = {d: a for d, _, a in bg.department_after(INDEX, [resolved])}
    assert after["The initiative"] == 60_000_00
    assert after["Police"] == 950_000_00


def test_percent_and_fte_moves_are_computed_exactly():
    pct = bg.Move(source_level="department_category", source="Police › Overtime",
                  basis="percent", percent=Decimal("12.5"))
    assert bg.resolve(pct, INDEX).amount_cents == 31_250_00
    fte = bg.Move(source_level="department", source="Police", basis="fte", fte=Decimal("2.5"),
                  cost_per_fte_cents=98_765_43)
    assert bg.resolve(fte, INDEX).amount_cents == 246_913_58  # 246,913.575 rounds half-even


def test_a_move_cannot_take_more_than_its_source_has_even_across_moves():
    first = bg.Move(source_level="department", source="Parks", amount_cents=30_000_00)
    second = bg.Move(source_level="department", source="Parks", amount_cents=30_000_00)
    scenario = _scenario(first, second)
    problems = bg.check_scenario(scenario, bg.resolve_all(scenario, INDEX))
    assert [p.severity for p in problems] == ["error"]
    assert problems[0].move_id == second.id
    assert "take $60,000 from a source that has $50,000" in problems[0].message


def test_a_missing_source_and_a_zero_amount_are_named():
    gone = bg.Move(source_level="department", source="Aquarium", amount_cents=1)
    empty = bg.Move(source_level="department", source="Police")
    scenario = _scenario(gone, empty)
    messages = [p.message for p in bg.check_scenario(scenario, bg.resolve_all(scenario, INDEX))]
    assert "Move 1 (Aquarium): its source is not in the current budget" in messages[0]
    assert "Move 2 (Police): the amount is zero" in messages[1]


def test_an_fte_move_needs_a_cost_per_fte():
    move = bg.Move(source_level="department", source="Police", basis="fte", fte=Decimal(2))
    problems = bg.check_scenario(_scenario(move), [bg.resolve(move, INDEX)])
    assert any("yearly cost of one FTE" in p.message for p in problems)


def test_moves_out_of_personnel_or_mandated_lines_carry_warnings():
    move = bg.Move(source_level="department_category", source="Police › Salaries",
                   amount_cents=1_000_00)
    resolved = bg.resolve(move, INDEX, bg.flag_finder)
    problems = bg.check_scenario(_scenario(move), [resolved])
    assert problems and all(p.severity == "warning" for p in problems)


def test_the_financing_plan_counts_recurring_moves_every_year_and_one_time_moves_once():
    recurring = bg.Move(source_level="department", source="Police", amount_cents=100_00,
                        recurrence="recurring", fiscal_year=2028)
    once = bg.Move(source_level="department", source="Health", amount_cents=7_00,
                   recurrence="one_time", fiscal_year=2027)
    elsewhere = bg.Move(source_level="department", source="Parks", amount_cents=5_00,
                        destination="Health")
    plan = bg.BudgetPlan(
        start_year=2027,
        scenarios=[bg.Scenario(name="P", is_proposal=True, moves=[recurring, once, elsewhere])],
        cost_items=[bg.CostItem(name="Staff", kind="recurring", amounts=[50_00] * 5),
                    bg.CostItem(name="Setup", kind="one_time", amounts=[80_00])],
        funding_sources=[bg.FundingSource(name="Grant", status="committed", amounts=[0, 10_00]),
                         bg.FundingSource(name="Hope", status="idea", amounts=[1_00] * 5)],
    )
    years = bg.plan_years(plan, 2000)
    rows = bg.financing(plan, bg.resolve_all(plan.proposal, INDEX), years)
    assert years == [2027, 2028, 2029, 2030, 2031]
    assert [r.reallocated for r in rows] == [7_00, 100_00, 100_00, 100_00, 100_00]
    assert [r.costs for r in rows] == [130_00, 50_00, 50_00, 50_00, 50_00]
    assert rows[0].gap_secured == -123_00
    assert rows[1].gap_secured == 60_00
    assert rows[1].gap_if_all_comes_through == 61_00
    assert bg.total_cost_of_ownership(plan) == 330_00


def test_money_reads_like_a_budget_office_writes_it():
    assert bg.money(-123456) == "-$1,234.56"
    assert bg.money(123456, whole=True) == "$1,235"
    assert bg.short_money(1_234_567_890_00) == "$1.2B"
    assert bg.dollars_to_cents("1,250.5") == 125050
    with pytest.raises(ValueError, match="not an amount in dollars"):
        bg.dollars_to_cents("12 dollars")


def test_a_layout_is_recognised_whatever_the_column_order_or_padding():
    assert bg.header_signature([" Fund", "Amount "]) == bg.header_signature(["amount", "fund"])


def test_an_import_is_stored_exactly_and_a_new_one_keeps_the_old_for_switching_back(
        store, teams):
    team = teams["lakeport"]
    ana = member(team)
    first = bi.read_budget(b"Department,Amount\nPolice,\"1,000.25\"\nParks,99.75\n", "a.csv")
    info = bg.save_import(store, ana, team.id, first)
    assert (info.line_count, info.total_cents) == (2, 1100_00)
    second = bi.read_budget(b"Department,Amount\nFire,5\n", "b.csv")
    bg.save_import(store, ana, team.id, second)
    assert store.current_budget(ana, team.id).filename == "b.csv"
    older = [i for i in store.budget_imports(ana, team.id) if not i.is_current][0]
    store.use_budget_import(ana, team.id, older.id)
    assert store.budget_totals(ana, team.id, "department") == [("Police", 1000_25, 1),
                                                               ("Parks", 99_75, 1)]


def test_another_team_cannot_read_or_replace_a_teams_budget(store, teams):
    owner, intruder = teams["lakeport"], member(teams["riverton"])
    bg.save_import(store, member(owner), owner.id,
                   bi.read_budget(b"Department,Amount\nPolice,1\n", "a.csv"))
    from toolkit.store import AccessDenied
    with pytest.raises(AccessDenied):
        store.current_budget(intruder, owner.id)
    with pytest.raises(AccessDenied):
        bg.save_import(store, intruder, owner.id,
                       bi.read_budget(b"Department,Amount\nX,1\n", "x.csv"))


def test_the_demo_budget_reconciles_and_its_proposal_has_no_errors(store, teams):
    result, plan = demo_budget("riverton")
    assert result.total_cents == sum(line.amount_cents for line in result.lines)
    assert len(result.skipped) == 1  # the file's own Total row
    index = bg.load_index(store, SYSTEM, teams["riverton"].id, plan)
    assert index.total == result.total_cents
    proposal = plan.proposal
    problems = bg.check_scenario(proposal, bg.resolve_all(proposal, index))
    assert not [p for p in problems if p.severity == "error"]
