import datetime as dt

import pytest

from tests.helpers import FACILITATOR, member
from toolkit import clinic, progress
from toolkit.store import AccessDenied, utcnow


def test_the_demo_team_with_a_budget_has_every_budget_step_done(store, teams):
    result = progress.budget(store, FACILITATOR, teams["riverton"].id)
    assert (result.done, result.total, result.missing) == (5, 5, ())


def test_a_team_without_a_budget_is_told_each_missing_step(store, teams):
    result = progress.budget(store, FACILITATOR, teams["lakeport"].id)
    assert result.done == 0
    assert result.missing[0] == "a budget file"


def test_the_cohort_lists_every_team_with_open_feedback_counts(store, teams):
    clinic.give_feedback(store, FACILITATOR, teams["lakeport"].id, tool="home",
                         kind="question", text="Who owns this?")
    rows = {r.team.slug: r for r in progress.cohort(store, FACILITATOR,
                                                    teams["riverton"].workshop_id)}
    assert set(rows) == {"riverton", "lakeport", "mesa-verde"}
    assert rows["lakeport"].open_feedback == 1
    assert rows["riverton"].overall > rows["lakeport"].overall
    assert rows["riverton"].by_tool["assessment"].share == 1  # "not sure" counts as answered


def test_a_team_is_stuck_after_twenty_minutes_without_a_save(store, teams):
    row = next(r for r in progress.cohort(store, FACILITATOR, teams["riverton"].workshop_id)
               if r.team.slug == "lakeport")
    assert not row.stuck(utcnow())
    assert row.stuck(utcnow() + dt.timedelta(minutes=21))


def test_team_members_cannot_see_the_cohort(store, teams):
    with pytest.raises(AccessDenied):
        progress.cohort(store, member(teams["riverton"]), teams["riverton"].workshop_id)


def test_the_full_demo_gives_lakeport_a_guidebook_list(tmp_path):
    from toolkit import auth
    from toolkit.demo import create_demo
    from toolkit.store import Store

    with Store(tmp_path / "demo.db") as fresh:
        create_demo(fresh, auth.server_key(fresh.path))
        lakeport = fresh.find_team(FACILITATOR, "lakeport")
        assert progress.guidebook(fresh, FACILITATOR, lakeport.id).done >= 1
