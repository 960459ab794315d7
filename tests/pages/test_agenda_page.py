"""The agenda: facilitators keep it on the Workshop page, teams see today's on their home."""

import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.helpers import FACILITATOR
from toolkit import agenda, auth

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def _app(token: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["token"] = token
    return at.run()


def test_todays_sessions_show_on_the_team_home(store, key, demo, teams):
    agenda.save(store, FACILITATOR, teams["riverton"].workshop_id, [
        {"day": dt.date.today(), "starts": dt.time(9, 0), "ends": dt.time(10, 0),
         "title": "Budget *clinic*", "tool": "budget", "notes": ""},
        {"day": dt.date.today() + dt.timedelta(days=1), "starts": dt.time(9, 0),
         "ends": dt.time(10, 0), "title": "Tomorrow's session", "tool": "", "notes": ""}])
    at = _app(auth.sign_in_team(store, key, demo["riverton"], "Ana").token)
    assert not at.exception
    shown = " ".join(m.value for m in at.markdown)
    assert "Budget \\*clinic\\*" in shown  # typed text shown literally
    assert "Tomorrow" not in shown


def test_the_workshop_page_offers_the_agenda_to_facilitators(store, demo):
    password = auth.ensure_facilitator_password(store)
    at = _app(auth.sign_in_facilitator(store, password).token)
    assert not at.exception
    assert "Agenda" in [h.value for h in at.header]
    next(b for b in at.button if b.label == "Save the agenda").click().run()
    assert not at.exception and any(s.value == "Agenda saved." for s in at.success)
