"""The action plan page through app.py: start from a pack, add milestones, see the checks."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import FACILITATOR, as_read
from toolkit import action_plan as ap
from toolkit import auth
from toolkit.store import SYSTEM

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGE = "pages/action_plan.py"


def _page(token: str, tab: str | None = None, team=None) -> AppTest:
    """The page as the holder of `token` sees it, with `tab` open (only the open tab runs)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["token"] = token
    if tab:
        at.session_state[f"plan_tab:{team.id}"] = tab
    at.run()
    at.switch_page(PAGE).run()
    _ok(at)
    return at


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.title) == 1
    return at


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def _plan(store, team) -> ap.ActionPlan:
    return store.load(SYSTEM, team.id, ap.ActionPlan).body


def _save(store, team, plan: ap.ActionPlan) -> None:
    store.save(SYSTEM, team.id, plan, base_version=store.load(SYSTEM, team.id,
                                                              ap.ActionPlan).version)


@pytest.fixture
def lakeport(store, key, demo):
    return auth.sign_in_team(store, key, demo["lakeport"], "Lee").token


@pytest.fixture
def riverton(store, key, demo, teams):
    _save(store, teams["riverton"], ap.demo_document("riverton"))
    return auth.sign_in_team(store, key, demo["riverton"], "Ana").token


def test_a_new_team_is_offered_the_starter_pack_for_its_area(lakeport):
    at = _page(lakeport)
    assert at.title[0].value == "2. Project action plan"
    assert at.header[0].value == "Start from a starter pack"
    assert any("Permitting" in m.value or "permit" in m.value.lower() for m in at.markdown)
    assert _button(at, "Start from this starter pack")


def test_starting_from_the_pack_fills_the_plan_and_says_nothing_was_changed(store, teams,
                                                                            lakeport):
    at = _page(lakeport)
    next(d for d in at.date_input if d.label == "Start the plan on").set_value(
        dt.date(2027, 1, 4))
    _button(at, "Start from this starter pack").click().run()
    _ok(at)
    plan = _plan(store, teams["lakeport"])
    pack = ap.load_starter_packs().pack("permitting")
    assert plan.starter_area == "permitting" and plan.plan_start == dt.date(2027, 1, 4)
    assert [m.name for m in plan.measures] == [m.name for m in pack.measures]
    assert plan.milestones[0].start == dt.date(2027, 1, 4)
    assert any("Nothing you wrote was changed" in s.value for s in at.success)
    assert "Start from a starter pack" not in [h.value for h in at.header]
    assert any("things still missing" in c.value for c in at.caption)


def test_filling_from_the_pack_again_keeps_the_teams_own_goals(store, teams, lakeport):
    team = teams["lakeport"]
    _save(store, team, ap.ActionPlan(goals=[ap.Goal(text="Permits in ten working days")],
                                     plan_start=dt.date(2027, 1, 4)))
    at = _page(lakeport)
    _button(at, "Fill the empty parts from the starter pack").click().run()
    _ok(at)
    plan = _plan(store, team)
    assert [g.text for g in plan.goals] == ["Permits in ten working days"]
    assert plan.measures and plan.milestones


def _add_milestone(at: AppTest, name: str, start: dt.date | None, end: dt.date | None,
                   depends: list[str] = ()) -> AppTest:
    next(t for t in at.text_input if t.label == "Milestone").input(name)
    if start:
        next(d for d in at.date_input if d.label == "Start").set_value(start)
    if end:
        next(d for d in at.date_input if d.label == "End").set_value(end)
    if depends:
        next(m for m in at.multiselect if m.label == "Depends on").set_value(list(depends))
    _button(at, "Add milestone").click().run()
    return _ok(at)


def test_a_milestone_that_ends_before_it_starts_is_kept_and_the_page_says_what_to_fix(
        store, teams, lakeport):
    at = _page(lakeport, "Workplan", teams["lakeport"])
    _add_milestone(at, "Open the permit counter", dt.date(2027, 3, 10), dt.date(2027, 3, 1))
    plan = _plan(store, teams["lakeport"])
    assert [(m.name, m.start, m.end) for m in plan.milestones] == [
        ("Open the permit counter", dt.date(2027, 3, 10), dt.date(2027, 3, 1))]
    assert ("Milestone 'Open the permit counter' ends on Mar 1, 2027, before it starts on "
            "Mar 10, 2027. Change one of the dates.") in [as_read(e.value) for e in at.error]
    # The Workplan tab stays open after the save; the timeline still shows the milestone.
    assert at.header[0].value == "Workplan"
    assert any("1 milestone, from Mar 1, 2027 to Mar 10, 2027" in c.value for c in at.caption)


def test_a_milestone_without_a_name_is_refused_and_the_rest_of_the_form_is_kept(
        store, teams, lakeport):
    at = _page(lakeport, "Workplan", teams["lakeport"])
    _add_milestone(at, "", dt.date(2027, 3, 1), dt.date(2027, 3, 10))
    assert "Give the milestone a name." in [e.value for e in at.error]
    assert _plan(store, teams["lakeport"]).milestones == []
    assert next(d for d in at.date_input if d.label == "Start").value == dt.date(2027, 3, 1)


def test_a_dependency_loop_and_a_deleted_dependency_are_named_and_can_be_cleaned(
        store, teams, lakeport):
    team = teams["lakeport"]
    _save(store, team, ap.ActionPlan(milestones=[
        ap.PlanMilestone(id="a", name="Map the process", depends_on=["b"]),
        ap.PlanMilestone(id="b", name="Rewrite the forms", depends_on=["a", "gone"])]))
    at = _page(lakeport, "Workplan", team)
    messages = [as_read(e.value) for e in at.error]
    assert any("'Map the process' waits for 'Rewrite the forms'" in m for m in messages)
    assert any("'Rewrite the forms' depends on a milestone that was deleted" in m
               for m in messages)
    _button(at, "Remove dependencies on deleted milestones").click().run()
    _ok(at)
    assert [m.depends_on for m in _plan(store, team).milestones] == [["b"], ["a"]]


def test_a_target_equal_to_the_baseline_is_named_on_the_page(store, teams, lakeport):
    _save(store, teams["lakeport"], ap.ActionPlan(measures=[
        ap.PlanMeasure(name="Median days to a permit", baseline=47, target=47)]))
    at = _page(lakeport, "Goals and measures", teams["lakeport"])
    assert ("Measure 'Median days to a permit': the target (47) is the same as the baseline. "
            "Set a target that shows the change you want.") in [as_read(e.value) for e in at.error]


TABS = {"Logic model": ["Logic model"], "Goals and measures": ["Goals", "Measures"],
        "Workplan": ["Workplan"], "Roles": ["Roles"], "Operations": ["Operations plan"],
        "Partners": ["Partners"], "Risks": ["Risks"], "Readiness": ["Readiness"]}


@pytest.mark.parametrize("tab", list(TABS))
def test_every_tab_of_the_demo_plan_opens_with_its_headings_and_no_errors(riverton, teams,
                                                                          tab):
    at = _page(riverton, tab, teams["riverton"])
    assert [h.value for h in at.header] == TABS[tab]
    assert not at.error


def test_the_demo_plan_shows_its_caution_and_the_budgets_staff_moves(riverton, teams):
    at = _page(riverton, "Goals and measures", teams["riverton"])
    assert any("Shots-fired calls for service" in w.value and "not representative" in w.value
               for w in at.warning)
    at = _page(riverton, "Operations", teams["riverton"])
    assert any("The budget proposal moves 3 FTE, and this plan redeploys 3 FTE: they match."
               == s.value for s in at.success)
    at = _page(riverton, "Readiness", teams["riverton"])
    assert any("Every part of the plan is filled in." in s.value for s in at.success)


def test_300_milestones_open_quickly_with_their_loop_named(store, teams, lakeport):
    start = dt.date(2027, 1, 4)
    _save(store, teams["lakeport"], ap.ActionPlan(plan_start=start, milestones=[
        ap.PlanMilestone(id=f"m{i}", name=f"Step {i}", owner="Lead",
                         start=start + dt.timedelta(days=i), end=start + dt.timedelta(days=i + 5),
                         depends_on=[f"m{(i + 1) % 300}"]) for i in range(300)]))
    began = time.perf_counter()
    at = _page(lakeport, "Workplan", teams["lakeport"])
    assert time.perf_counter() - began < 30
    assert any("and so on through 300 milestones" in e.value for e in at.error)
    assert any("300 milestones, from Jan 4, 2027" in c.value for c in at.caption)


def test_a_facilitator_can_edit_and_a_guest_can_only_read(store, key, demo, teams):
    password = auth.ensure_facilitator_password(store)
    facilitator = auth.sign_in_facilitator(store, password).token
    first = teams["riverton"]  # the team a facilitator or guest sees until they pick another
    at = _page(facilitator, "Workplan", first)
    assert "Add milestone" not in {b.label for b in at.button}  # read-only at first
    at.sidebar.toggle[0].set_value(True).run()
    assert "Add milestone" in {b.label for b in at.button}
    assert any("Viewing the work of team Riverton" in c.value for c in at.caption)
    code = auth.create_invite(store, FACILITATOR, key, role="guest", name="Expert")
    guest = auth.sign_in_with_code(store, key, code, "Expert").token
    at = _page(guest, "Workplan", first)
    assert "Workplan" in [h.value for h in at.header]
    labels = [b.label for b in at.button]
    assert "Start from this starter pack" not in labels and "Add milestone" not in labels
    assert at.date_input and all(d.disabled for d in at.date_input)
