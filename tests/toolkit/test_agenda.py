import datetime as dt

import pytest

from tests.helpers import FACILITATOR, member
from toolkit import agenda
from toolkit.store import AccessDenied

ROW = {"day": dt.date(2026, 12, 7), "starts": dt.time(9, 30), "ends": dt.time(10, 45),
       "title": "Budget clinic", "tool": "budget", "notes": ""}


def test_a_facilitator_saves_the_agenda_in_time_order_and_teams_read_it(store, teams):
    workshop_id = teams["riverton"].workshop_id
    early = {**ROW, "starts": dt.time(8, 0), "ends": dt.time(9, 0), "title": "Welcome"}
    agenda.save(store, FACILITATOR, workshop_id, [ROW, early, {k: None for k in ROW}])
    sessions = agenda.load(store, member(teams["lakeport"]), workshop_id)
    assert [s.title for s in sessions] == ["Welcome", "Budget clinic"]
    assert [s.title for s in agenda.today(sessions, dt.date(2026, 12, 7))] == [
        "Welcome", "Budget clinic"]


@pytest.mark.parametrize(
    ("row", "message"),
    [({**ROW, "ends": dt.time(9, 0)}, "Row 1: The session must end after it starts."),
     ({**ROW, "title": ""}, "Row 1: Session: fill this in.")],
)
def test_a_bad_row_is_named_and_nothing_is_saved(store, teams, row, message):
    workshop_id = teams["riverton"].workshop_id
    with pytest.raises(agenda.AgendaError, match=message):
        agenda.save(store, FACILITATOR, workshop_id, [row])
    assert agenda.load(store, FACILITATOR, workshop_id) == []


def test_teams_cannot_change_the_agenda_or_read_another_workshops(store, teams):
    with pytest.raises(AccessDenied):
        agenda.save(store, member(teams["riverton"]), teams["riverton"].workshop_id, [ROW])
    other = store.create_workshop(FACILITATOR, slug="spring", name="Spring")
    with pytest.raises(AccessDenied):
        agenda.load(store, member(teams["riverton"]), other.id)
