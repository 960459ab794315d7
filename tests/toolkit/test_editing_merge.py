"""Two people changing the same row of a table: different cells merge, the same cell is refused."""

from tests.helpers import member
from toolkit import action_plan as ap
from toolkit import editing
from toolkit import workshop as ws
from toolkit.store import SYSTEM


def _plan_with_a_measure(store, team):
    plan = ap.ActionPlan(measures=[ap.PlanMeasure(name="Gun homicides", unit="per year")])
    current = store.load(SYSTEM, team.id, ap.ActionPlan)
    return store.save(member(team), team.id, plan, base_version=current.version)


def _change(store, team, who, base, **cells):
    row = base.body.measures[0].model_copy(update=cells)
    return editing.edit_list(store, member(team, who), team.id, ap.ActionPlan, "measures",
                             upserts=[row], base=base, what="measure")


def test_teammates_changing_different_cells_of_one_row_both_land(store, teams):
    team = teams["riverton"]
    base = _plan_with_a_measure(store, team)
    assert _change(store, team, "Ana", base, owner="Police chief").outcome == "saved"
    late = _change(store, team, "Ben", base, data_source="Medical examiner")  # stale base
    assert late.outcome == "saved"
    row = store.load(SYSTEM, team.id, ap.ActionPlan).body.measures[0]
    assert (row.owner, row.data_source, row.name) == ("Police chief", "Medical examiner",
                                                      "Gun homicides")


def test_teammates_changing_the_same_cell_of_one_row_get_a_conflict_not_an_overwrite(store,
                                                                                      teams):
    team = teams["riverton"]
    base = _plan_with_a_measure(store, team)
    _change(store, team, "Ana", base, owner="Police chief")
    late = _change(store, team, "Ben", base, owner="Mayor's office", unit="a year")
    assert late.outcome == "conflict"
    assert late.message.startswith("Ana changed the same measure while you were editing.")
    row = store.load(SYSTEM, team.id, ap.ActionPlan).body.measures[0]
    assert (row.owner, row.unit) == ("Police chief", "per year")  # nothing of Ben's half-lands


def test_removing_a_row_a_teammate_just_changed_is_refused(store, teams):
    team = teams["riverton"]
    base = _plan_with_a_measure(store, team)
    _change(store, team, "Ana", base, owner="Police chief")
    late = editing.edit_list(store, member(team, "Ben"), team.id, ap.ActionPlan, "measures",
                             deletes=[base.body.measures[0].id], base=base, what="measure")
    assert late.outcome == "conflict"
    assert [m.owner for m in store.load(SYSTEM, team.id, ap.ActionPlan).body.measures] == [
        "Police chief"]


def test_a_person_whose_other_tab_saved_first_is_told_it_was_their_other_tab(store, teams):
    team = teams["riverton"]
    base = store.load(member(team), team.id, ws.Initiative)
    editing.save_field(store, member(team, "Ana"), team.id, ws.Initiative, "goal", "Tab one",
                       base=base, labels=ws.FIELD_LABELS)
    late = editing.save_field(store, member(team, "Ana"), team.id, ws.Initiative, "goal",
                              "Tab two", base=base, labels=ws.FIELD_LABELS)
    assert late.outcome == "conflict"
    assert late.message.startswith("You (in another tab or window) changed goal")
    assert store.load(SYSTEM, team.id, ws.Initiative).body.goal == "Tab one"
