"""The action plan's rules: dependencies, dates, owners, measures, readiness, starter packs."""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
from decimal import Decimal

import pytest
import textstat
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import member
from toolkit import action_plan as ap
from toolkit import budget as bg
from toolkit.demo import demo_budget
from toolkit.store import SYSTEM

D = dt.date(2027, 1, 4)


def day(n: int) -> dt.date:
    return D + dt.timedelta(days=n)


def ms(id_: str, start: int | None = 0, end: int | None = 5, deps=(), **kw) -> ap.PlanMilestone:
    return ap.PlanMilestone(id=id_, name=kw.pop("name", f"Step {id_}"),
                            owner=kw.pop("owner", "Ana"),
                            start=None if start is None else day(start),
                            end=None if end is None else day(end), depends_on=list(deps), **kw)


def plan_of(*milestones: ap.PlanMilestone, **kw) -> ap.ActionPlan:
    return ap.ActionPlan(milestones=list(milestones), **kw)


def errors(problems: list[ap.Problem]) -> list[str]:
    return [p.message for p in problems if p.severity == "error"]


# --- dependencies -----------------------------------------------------------------------------


def test_a_loop_of_dependencies_is_named_by_its_milestones():
    plan = plan_of(ms("a", deps=["c"], name="Sign the MOU"),
                   ms("b", deps=["a"], name="Hire staff"),
                   ms("c", deps=["b"], name="Train staff"), ms("d", deps=["a"]))
    found = errors(ap.check_workplan(plan))
    loops = [m for m in found if "loop" in m]
    assert len(loops) == 1
    assert "'Sign the MOU' waits for 'Train staff', which waits for 'Hire staff', which " \
           "waits for 'Sign the MOU'" in loops[0]
    assert "Step d" not in loops[0]


def test_a_milestone_that_depends_on_itself_is_named():
    plan = plan_of(ms("a", deps=["a"], name="Launch"))
    assert errors(ap.check_workplan(plan)) == [
        "Milestone 'Launch' depends on itself. Remove it from its own list of dependencies."]


def test_two_separate_loops_are_both_reported():
    plan = plan_of(ms("a", deps=["b"]), ms("b", deps=["a"]), ms("c", deps=["d"]),
                   ms("d", deps=["c"]), ms("e", deps=["a", "c"]))
    loops = [m for m in errors(ap.check_workplan(plan)) if "loop" in m]
    assert len(loops) == 2
    assert {"Step a", "Step c"} <= {n for m in loops for n in ("Step a", "Step c") if n in m}


def test_a_chain_without_a_loop_has_no_problem():
    plan = plan_of(ms("a", 0, 5), ms("b", 6, 9, ["a"]), ms("c", 10, 20, ["a", "b"]))
    assert ap.check_workplan(plan) == []
    assert ap.dependency_cycles(plan.milestones) == []


def _random_graph(n: int, edges: list[tuple[int, int]]) -> list[ap.PlanMilestone]:
    deps: dict[int, list[str]] = {i: [] for i in range(n)}
    for a, b in edges:
        deps[a % n].append(f"m{b % n}")
    return [ap.PlanMilestone(id=f"m{i}", name=f"M{i}", depends_on=deps[i]) for i in range(n)]


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=1, max_value=12),
       st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50)), max_size=30))
def test_every_reported_loop_is_a_real_loop_and_a_graph_without_one_reports_none(n, edges):
    milestones = _random_graph(n, edges)
    by_id = {m.id: m for m in milestones}
    loops = ap.dependency_cycles(milestones)
    for loop in loops:
        for here, there in zip(loop, loop[1:] + loop[:1], strict=True):
            assert there in by_id[here].depends_on
    # Kahn's algorithm as an independent judge: the graph is acyclic iff it fully drains.
    indegree = {m.id: 0 for m in milestones}
    for m in milestones:
        for d in set(m.depends_on):
            indegree[d] += 1
    queue = [i for i, k in indegree.items() if k == 0]
    drained = 0
    while queue:
        node = queue.pop()
        drained += 1
        for d in set(by_id[node].depends_on):
            indegree[d] -= 1
            if indegree[d] == 0:
                queue.append(d)
    assert (drained == n) == (loops == [])


def test_a_dependency_on_a_deleted_milestone_is_named_and_can_be_cleaned():
    plan = plan_of(ms("a"), ms("b", 6, 9, ["a", "gone"], name="Go live"))
    assert errors(ap.check_workplan(plan)) == [
        "Milestone 'Go live' depends on a milestone that was deleted. Remove that dependency, "
        "or add the milestone back."]
    cleaned = ap.missing_dependencies(plan)
    assert [(m.id, m.depends_on) for m in cleaned] == [("b", ["a"])]


# --- dates ------------------------------------------------------------------------------------


def test_a_milestone_that_ends_before_it_starts_is_named_with_both_dates():
    plan = plan_of(ms("a", 10, 3, name="Survey"))
    assert errors(ap.check_workplan(plan)) == [
        "Milestone 'Survey' ends on Jan 7, 2027, before it starts on Jan 14, 2027. "
        "Change one of the dates."]


def test_a_milestone_that_ends_before_what_it_depends_on_ends_is_named():
    plan = plan_of(ms("a", 0, 30, name="Sign the agreement"),
                   ms("b", 5, 20, ["a"], name="Share the data"))
    assert errors(ap.check_workplan(plan)) == [
        "Milestone 'Share the data' ends on Jan 24, 2027, before 'Sign the agreement' ends on "
        "Feb 3, 2027, and it depends on that milestone. Move its end date, or remove the "
        "dependency."]


def test_ending_on_the_same_day_as_a_dependency_is_allowed():
    assert ap.check_workplan(plan_of(ms("a", 0, 10), ms("b", 5, 10, ["a"]))) == []


def test_an_unnamed_milestone_is_called_by_its_row_number():
    plan = plan_of(ms("a"), ms("b", 4, 1, name=""))
    assert errors(ap.check_workplan(plan))[0].startswith("Milestone number 2 ends on")


def test_a_milestone_in_a_deleted_phase_gets_a_warning():
    plan = plan_of(ms("a", phase="p-gone"))
    problems = ap.check_workplan(plan)
    assert [(p.severity, p.message) for p in problems] == [
        ("warning", "Milestone 'Step a' is in a phase that was deleted. Choose a phase again.")]


def test_dates_from_a_table_widget_are_read_in_every_form_it_sends():
    assert ap.PlanMilestone(start="2027-03-31").start == dt.date(2027, 3, 31)
    assert ap.PlanMilestone(start="2027-03-31T00:00:00").start == dt.date(2027, 3, 31)
    assert ap.PlanMilestone(start=dt.datetime(2027, 3, 31, 12)).start == dt.date(2027, 3, 31)
    assert ap.PlanMilestone(start=1806451200000).start == dt.date(2027, 3, 31)
    assert ap.PlanMilestone(start="", end=None).start is None
    with pytest.raises(ValueError, match="'next Tuesday' is not a date"):
        ap.PlanMilestone(start="next Tuesday")


# --- 300 milestones ---------------------------------------------------------------------------


def _three_hundred(loop: bool = False) -> ap.ActionPlan:
    milestones = [
        ap.PlanMilestone(id=f"m{i}", name=f"Milestone {i}", owner="Lead", start=day(i),
                         end=day(i + 3), status=list(ap.STATUS_LABELS)[i % 4],
                         depends_on=[f"m{i - 1}"] if i else ([f"m{299}"] if loop else []))
        for i in range(300)]
    return ap.ActionPlan(plan_start=D, milestones=milestones)


def test_300_milestones_in_one_long_loop_are_checked_fast_and_the_loop_is_shortened():
    plan = _three_hundred(loop=True)
    started = time.perf_counter()
    problems = ap.check_workplan(plan)
    report = ap.completeness(plan)
    layout = ap.gantt(plan)
    elapsed = time.perf_counter() - started
    loops = [p.message for p in problems if "loop" in p.message]
    assert len(loops) == 1
    assert "and so on through 300 milestones back to 'Milestone 0'" in loops[0]
    assert len(loops[0]) < 400
    assert len(layout.bars) == 300
    assert report[3].part == "workplan" and report[3].score < 100
    assert elapsed < 1.0


def test_the_loop_check_grows_linearly_not_quadratically():
    def timed(n: int) -> float:
        milestones = [ap.PlanMilestone(id=f"m{i}", depends_on=[f"m{(i + 1) % n}"])
                      for i in range(n)]
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            ap.dependency_cycles(milestones)
            best = min(best, time.perf_counter() - started)
        return best

    small, large = timed(2_000), timed(20_000)
    assert large < small * 30  # ten times the milestones: about ten times the work


def test_a_long_chain_does_not_hit_pythons_recursion_limit():
    milestones = [ap.PlanMilestone(id=f"m{i}", depends_on=[f"m{i + 1}"] if i < 4999 else [])
                  for i in range(5000)]
    assert ap.dependency_cycles(milestones) == []


def test_the_plan_holds_500_milestones_and_refuses_more():
    ap.ActionPlan(milestones=[ap.PlanMilestone() for _ in range(500)])
    with pytest.raises(ValueError, match="at most 500"):
        ap.ActionPlan(milestones=[ap.PlanMilestone() for _ in range(501)])


# --- measures ---------------------------------------------------------------------------------


def _measure(**kw) -> ap.PlanMeasure:
    base = dict(name="Response time", kind="how_well", unit="minutes", baseline=12.0,
                baseline_date=dt.date(2026, 6, 30), target=8.0, target_date=dt.date(2028, 6, 30),
                data_source="Dispatch records", frequency="monthly", owner="Data lead",
                representative="yes")
    return ap.PlanMeasure(**{**base, **kw})


def test_a_target_equal_to_the_baseline_is_an_error():
    plan = ap.ActionPlan(measures=[_measure(target=12.0)])
    assert errors(ap.check_measures(plan)) == [
        "Measure 'Response time': the target (12) is the same as the baseline. Set a target "
        "that shows the change you want."]
    assert "Measure 'Response time' has a target equal to its baseline" in ap.readiness(plan)


def test_a_target_date_before_the_baseline_date_is_an_error():
    plan = ap.ActionPlan(measures=[_measure(target_date=dt.date(2026, 1, 1))])
    assert errors(ap.check_measures(plan)) == [
        "Measure 'Response time': the target date (Jan 1, 2026) must come after the baseline "
        "date (Jun 30, 2026)."]


@pytest.mark.parametrize(("field", "message"), [
    ("baseline", "Measure 'Response time' has no baseline."),
    ("target", "Measure 'Response time' has no target."),
    ("owner", "Measure 'Response time' has no owner."),
])
def test_a_measure_without_baseline_target_or_owner_is_flagged(field, message):
    plan = ap.ActionPlan(measures=[_measure(**{field: None if field != "owner" else ""})])
    assert [p.message for p in ap.check_measures(plan)] == [message]


def test_a_calls_for_service_measure_marked_representative_is_questioned_with_a_remedy():
    m = _measure(name="Shots-fired calls", data_source="Police calls for service",
                 representative="yes")
    advice = ap.representative_advice(m)
    assert "not representative" in advice and "Mark it 'No'" in advice
    assert "survey of a random sample or a direct measure" in advice
    flagged = ap.representative_advice(m.model_copy(update={"representative": "no"}))
    assert "Keep it to track workload" in flagged


@pytest.mark.parametrize("source", ["311 requests", "Resident complaints log", "911 calls"])
def test_every_report_driven_source_gets_the_suggestion(source):
    m = _measure(name="Potholes", data_source=source, representative="unsure")
    assert "survey of a random sample" in ap.representative_advice(m)


def test_an_unsure_measure_is_asked_the_question():
    m = _measure(data_source="Hospital records", representative="unsure")
    assert ap.representative_advice(m).startswith("Does the data for 'Response time' cover "
                                                  "everyone affected")
    assert ap.representative_advice(_measure()) is None


def test_measure_numbers_refuse_infinity_and_ratings_stay_between_1_and_5():
    with pytest.raises(ValueError):
        ap.PlanMeasure(baseline=float("inf"))
    with pytest.raises(ValueError):
        ap.Risk(likelihood=6)
    assert ap.PlanMeasure(baseline=float("nan")).baseline is None
    assert ap.Risk(likelihood="").likelihood is None


# --- roles --------------------------------------------------------------------------------------


def _roles_plan(*letters: dict[str, str]) -> ap.ActionPlan:
    roles = [ap.RaciRole(id="s", name="Sponsor"), ap.RaciRole(id="po", name="Product owner",
                                                              is_product_owner=True),
             ap.RaciRole(id="d", name="Data lead")]
    streams = [ap.Workstream(id=f"w{i}", name=f"Stream {i}", assignments=a)
               for i, a in enumerate(letters, start=1)]
    return ap.ActionPlan(roles=roles, workstreams=streams)


def test_a_workstream_with_no_accountable_role_is_an_error():
    plan = _roles_plan({"po": "R"})
    assert errors(ap.check_roles(plan)) == [
        "Workstream 'Stream 1' has no one accountable (A). Choose exactly one role to own the "
        "result."]


def test_a_workstream_with_two_accountable_roles_names_both():
    plan = _roles_plan({"s": "A", "d": "A", "po": "R"})
    assert errors(ap.check_roles(plan)) == [
        "Workstream 'Stream 1' has 2 roles accountable (A): 'Sponsor' and 'Data lead'. Keep "
        "exactly one, and make the others responsible (R) or consulted (C)."]


def test_letters_for_a_deleted_role_do_not_count():
    plan = _roles_plan({"gone": "A", "po": "R"})
    assert "no one accountable" in errors(ap.check_roles(plan))[0]


def test_a_plan_without_a_product_owner_is_warned():
    plan = _roles_plan({"s": "A", "d": "R"})
    plan = plan.model_copy(update={"roles": [r.model_copy(update={"is_product_owner": False})
                                             for r in plan.roles]})
    assert any("in-house product owner" in p.message for p in ap.check_roles(plan))
    assert ap.check_roles(_roles_plan({"s": "A", "d": "R"})) == []


# --- readiness ----------------------------------------------------------------------------------


def test_an_empty_plan_names_every_part_that_is_missing():
    missing = ap.readiness(ap.ActionPlan())
    assert "The logic model has no inputs yet" in missing
    assert "The plan has no goals yet" in missing
    assert "No measure answers 'Is anyone better off?' yet" in missing
    assert "The workplan has no milestones yet" in missing
    assert "No role is marked as the in-house product owner" in missing
    assert "No partners are listed yet" in missing
    assert "No risks are listed yet" in missing
    assert all(p.score < 100 for p in ap.completeness(ap.ActionPlan()))


def test_readiness_names_exactly_what_a_measure_lacks():
    plan = ap.ActionPlan(measures=[_measure(baseline=None, owner="", frequency="")])
    missing = ap.readiness(plan)
    assert "Measure 'Response time' has no baseline" in missing
    assert "Measure 'Response time' has no owner" in missing
    assert "Measure 'Response time' does not say how often it is measured" in missing
    assert "Measure 'Response time' has no target" not in missing


def test_readiness_names_milestones_partners_risks_and_staff_rows():
    plan = ap.ActionPlan(
        milestones=[ms("a", None, 5, name="Launch", owner="")],
        partners=[ap.PlanPartner(name="University", status="active")],
        risks=[ap.Risk(description="Delay", likelihood=3)],
        redeployments=[ap.Redeployment(role="Analyst")],
        workstreams=[ap.Workstream(name="Data")])
    missing = ap.readiness(plan)
    for expected in ("Milestone 'Launch' has no owner", "Milestone 'Launch' has no start date",
                     "Partner 'University' is working together but has no written agreement "
                     "yet", "Partner 'University' does not say what it brings",
                     "Risk 'Delay' has no impact", "Redeployment 'Analyst' has no FTE",
                     "Workstream 'Data' has no one accountable (A)"):
        assert expected in missing


def test_the_score_of_a_part_counts_its_checks():
    plan = ap.ActionPlan(goals=[ap.Goal(text="Fewer shootings"), ap.Goal(text="")])
    goals = next(p for p in ap.completeness(plan) if p.part == "goals")
    assert (goals.done, goals.total, goals.score) == (2, 3, 66)
    assert goals.missing == ("Goal number 2 is empty",)


def test_the_messages_a_team_reads_are_plain():
    plan = plan_of(ms("a", 10, 3, name="Survey"), ms("b", deps=["b"], name="Launch"))
    plan = plan.model_copy(update={"measures": [_measure(target=12.0, owner="")]})
    messages = [p.message for p in ap.validate(plan)] + ap.readiness(plan)
    grade = textstat.flesch_kincaid_grade(" ".join(m if m.endswith(".") else m + "."
                                                   for m in messages))
    assert grade <= 9, grade


# --- starter packs ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def packs() -> ap.StarterPacksFile:
    return ap.load_starter_packs()


def test_every_pack_fills_an_empty_plan_into_a_sound_draft(packs):
    for pack in packs.packs:
        plan = ap.apply_starter_pack(ap.ActionPlan(), pack, start=D)
        assert plan.starter_area == pack.area and plan.plan_start == D
        assert [m.name for m in plan.measures] == [m.name for m in pack.measures]
        assert len(plan.milestones) == len(pack.first_90_days)
        assert errors(ap.validate(plan)) == [], pack.area
        assert sum(r.is_product_owner for r in plan.roles) == 1
        assert all(m.owner for m in plan.milestones)
        assert not plan.partners  # only the team can name real partners


def test_pack_milestones_are_dated_by_working_week_from_the_plan_start(packs):
    pack = packs.pack("public_safety")
    plan = ap.apply_starter_pack(ap.ActionPlan(), pack, start=D)
    third = next(m for m, src in zip(plan.milestones, pack.first_90_days, strict=True)
                 if src.week == 3)
    assert (third.start, third.end) == (dt.date(2027, 1, 18), dt.date(2027, 1, 22))
    assert all(r.week <= 13 for r in ap.first_90_days(plan, D))
    assert len(ap.first_90_days(plan, D)) == len(plan.milestones)


def test_pack_measures_keep_their_representative_answer(packs):
    plan = ap.apply_starter_pack(ap.ActionPlan(), packs.pack("public_safety"), start=D)
    calls = next(m for m in plan.measures if "calls for service" in m.name.lower())
    assert calls.representative == "no"
    assert calls.baseline is None and calls.target is None  # each team measures its own


def test_applying_a_pack_never_overwrites_what_the_team_wrote(packs):
    mine = ap.ActionPlan(
        goals=[ap.Goal(id="g", text="Our own goal")],
        measures=[_measure(id="m")],
        inputs=[ap.LogicItem(id="i", text="Our own input")],
        roles=[ap.RaciRole(id="r", name="Our sponsor")],
        milestones=[ms("a", name="Our own milestone")],
        risks=[ap.Risk(id="k", description="Our own risk")],
        plan_start=dt.date(2027, 2, 1), starter_area="permitting")
    after = ap.apply_starter_pack(mine, packs.pack("public_safety"), start=D)
    for field in ("goals", "measures", "inputs", "roles", "milestones", "risks",
                  "plan_start", "starter_area"):
        assert getattr(after, field) == getattr(mine, field), field
    assert after.workstreams == []  # the team's roles stay; no chart from the pack's roles
    assert after.activities and after.impact  # empty parts are filled


@settings(max_examples=40, deadline=None)
@given(st.sets(st.sampled_from(ap.LIST_FIELDS)))
def test_applying_a_pack_changes_only_empty_parts_whatever_is_filled(filled):
    pack = ap.load_starter_packs().pack("mobility")
    base = ap.apply_starter_pack(ap.ActionPlan(), ap.load_starter_packs().pack("other"),
                                 start=D)
    base = base.model_copy(update={"partners": [ap.PlanPartner(name="Transit agency")],
                                   "redeployments": [ap.Redeployment(role="Planner")],
                                   "trainings": [ap.Training(skill="Data")],
                                   "hires": [ap.Hire(role="Engineer")]})
    mine = base.model_copy(update={f: [] for f in ap.LIST_FIELDS if f not in filled})
    after = ap.apply_starter_pack(mine, pack, start=D)
    for field in filled:
        assert getattr(after, field) == getattr(mine, field), field
    assert ap.apply_starter_pack(after, pack, start=D) == after  # a second time adds nothing


def test_starting_from_a_pack_saves_on_top_of_a_teammates_save(store, teams, packs):
    team = teams["lakeport"]
    saved = store.load(member(team), team.id, ap.ActionPlan)
    teammate = saved.body.model_copy(update={"goals": [ap.Goal(text="A teammate's goal")]})
    store.save(member(team, "Lee"), team.id, teammate, base_version=saved.version)
    result = ap.start_from_pack(store, member(team), team.id, packs.pack("permitting"), start=D)
    assert [g.text for g in result.body.goals] == ["A teammate's goal"]
    assert result.body.measures and result.version == 2


# --- first 90 days, timeline, heat map ----------------------------------------------------------


def test_the_first_90_days_lists_what_starts_runs_or_ends_in_the_window_by_week():
    plan = plan_of(ms("before", -30, -5), ms("ongoing", -10, 20), ms("w1", 0, 2),
                   ms("w3", 15, 120), ms("late", 90, 100), ms("undated", None, None),
                   ms("last", 89, 89))
    rows = ap.first_90_days(plan, D)
    assert [(r.milestone.id, r.week, r.ongoing) for r in rows] == [
        ("w1", 1, False), ("ongoing", 1, True), ("w3", 3, False), ("last", 13, False)]


def test_the_gantt_orders_rows_by_phase_then_start_and_measures_bars_in_days():
    phases = [ap.Phase(id="p1", name="Set up"), ap.Phase(id="p2", name="Launch")]
    plan = plan_of(ms("late", 30, 40, phase="p1"), ms("launch", 0, 9, phase="p2"),
                   ms("early", 2, 2, phase="p1"), ms("none", None, None),
                   ms("reversed", 20, 10, phase="p2"), phases=phases)
    layout = ap.gantt(plan)
    assert [(b.milestone.id, b.row, b.phase) for b in layout.bars] == [
        ("early", 1, "Set up"), ("late", 2, "Set up"), ("launch", 3, "Launch"),
        ("reversed", 4, "Launch")]
    assert layout.origin == D and layout.total_days == 41
    early, late, launch, reversed_ = layout.bars
    assert (early.start_day, early.days) == (2, 1)
    assert (late.start_day, late.days) == (30, 11)
    assert reversed_.dates_reversed and (reversed_.start_day, reversed_.days) == (10, 11)
    assert [m.id for m in layout.undated] == ["none"]
    assert "4 milestones, from Jan 4, 2027 to Feb 13, 2027" in ap.timeline_in_words(layout)
    assert "1 more have no dates yet" in ap.timeline_in_words(layout)


def test_the_heat_map_has_25_cells_with_levels_and_counts():
    plan = ap.ActionPlan(risks=[ap.Risk(description="A", likelihood=5, impact=5),
                                ap.Risk(description="B", likelihood=5, impact=5),
                                ap.Risk(description="C", likelihood=1, impact=2),
                                ap.Risk(description="D")])
    cells = ap.heat_map(plan)
    assert len(cells) == 25
    assert (cells[0].impact, cells[0].likelihood) == (5, 1)
    top_right = next(c for c in cells if (c.likelihood, c.impact) == (5, 5))
    assert top_right.level == "high" and [r.description for r in top_right.risks] == ["A", "B"]
    assert ap.risk_level(2, 2) == "low" and ap.risk_level(3, 3) == "medium"
    assert ap.risk_level(2, 5) == "high"
    words = ap.heat_map_in_words(plan)
    assert words.startswith("3 rated risks: 2 high, 0 medium, 1 low.")
    assert words.endswith("1 not rated yet.")


# --- budget FTE moves ---------------------------------------------------------------------------


def test_the_budget_proposals_fte_moves_are_compared_with_the_redeployments():
    _, budget = demo_budget("riverton")
    moves = ap.budget_fte_moves(budget)
    assert [(m.is_proposal, m.fte, m.source) for m in moves] == [
        (True, Decimal("3"), "Police › Salaries and Wages")]
    plan = ap.ActionPlan(redeployments=[ap.Redeployment(role="Analyst", fte=Decimal("2.5"))])
    assert ap.fte_comparison(plan, moves) == (
        "The budget proposal moves 3 FTE, but this plan redeploys 2.5 FTE. Make the two "
        "agree, or note why they differ.")
    assert ap.fte_comparison(plan, []) is None
    assert ap.budget_fte_moves(bg.BudgetPlan()) == []


# --- CSV ----------------------------------------------------------------------------------------


def test_csv_cells_that_would_run_as_formulas_start_with_an_apostrophe():
    plan = ap.ActionPlan(partners=[ap.PlanPartner(name='=HYPERLINK("http://x","y")',
                                                  brings="+1+2", gets="-3", owner="@SUM(A1)")],
                         measures=[_measure(name="Change", baseline=-4.0, target=-8.0)])
    tables = ap.list_tables(plan)
    rows = list(csv.reader(io.StringIO(ap.csv_text(tables["partners"]).lstrip("\ufeff"))))
    name, _, brings, gets, _, _, owner = rows[1]
    assert (name, brings, gets, owner) == ("'=HYPERLINK(\"http://x\",\"y\")", "'+1+2", "'-3",
                                           "'@SUM(A1)")
    measures = list(csv.reader(io.StringIO(ap.csv_text(tables["measures"]).lstrip("\ufeff"))))
    assert measures[1][3] == "-4.0"  # numbers stay numbers
    assert measures[1][4] == "2026-06-30"


def test_every_list_has_a_table_with_a_header_per_column():
    plan = ap.demo_document("riverton")
    for table in ap.list_tables(plan).values():
        assert table.rows, table.key
        assert all(len(row) == len(table.header) for row in table.rows), table.key


# --- the demo -----------------------------------------------------------------------------------


def test_the_riverton_demo_plan_is_complete_sound_and_matches_its_budget():
    plan = ap.demo_document("riverton")
    assert ap.demo_document("lakeport") is None and ap.demo_document("mesa-verde") is None
    assert errors(ap.validate(plan)) == []
    assert ap.readiness(plan) == []
    assert 6 <= len(plan.measures) <= 8 and 15 <= len(plan.milestones) <= 25
    calls = [m for m in plan.measures if ap.relies_on_reports(m.name, m.data_source)]
    assert calls and all(m.representative == "no" for m in calls)
    assert any("random sample" in m.data_source and m.representative == "yes"
               for m in plan.measures)
    layout = ap.gantt(plan)
    assert (layout.last - layout.origin).days <= 548  # 18 months
    assert any(r.is_product_owner for r in plan.roles)
    _, budget = demo_budget("riverton")
    assert ap.fte_comparison(plan, ap.budget_fte_moves(budget)).endswith("they match.")
    assert {"university", "community_group", "employer"} <= {p.type for p in plan.partners}


def test_a_broken_demo_file_names_the_file_and_field(tmp_path, monkeypatch):
    from toolkit import content

    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "action_plan.yaml").write_text(
        "maintainer: Someone\nlast_reviewed: 2026-11-22\nteam: riverton\n"
        "document:\n  risks:\n    - {description: x, likelihood: 9}\n", encoding="utf-8")
    monkeypatch.setenv("ISC_CONTENT_DIR", str(tmp_path))
    content.clear_cache()
    with pytest.raises(content.ContentError, match=r"action_plan.yaml: document.risks.0."
                                                   r"likelihood"):
        ap.demo_document("riverton")


def test_the_demo_plan_saves_and_loads_through_the_store(store, teams):
    team = teams["riverton"]
    plan = ap.demo_document("riverton")
    store.save(SYSTEM, team.id, plan, base_version=store.load(SYSTEM, team.id,
                                                              ap.ActionPlan).version)
    assert store.load(member(team), team.id, ap.ActionPlan).body == plan
