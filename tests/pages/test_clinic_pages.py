"""Clinic review and the team's feedback inbox, through app.py."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.helpers import FACILITATOR
from toolkit import auth, clinic

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def _app(token: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["token"] = token
    return at.run()


def test_a_guest_leaves_feedback_that_the_team_then_sees(store, key, demo, teams):
    code = auth.create_invite(store, FACILITATOR, key, role="guest", name="Expert")
    guest = _app(auth.sign_in_with_code(store, key, code, "Expert").token)
    assert guest.title[0].value == "Clinic review"
    assert "Expert guest" in " ".join(m.value for m in guest.sidebar.markdown)
    next(t for t in guest.text_area if t.label == "Feedback").input("Who owns the data?")
    next(b for b in guest.button if b.label == "Send to the team").click().run()
    assert not guest.exception
    team = _app(auth.sign_in_team(store, key, demo["riverton"], "Ana").token)
    team.switch_page("pages/feedback.py").run()
    assert "Who owns the data?" in " ".join(t.value for t in team.text)
    other = _app(auth.sign_in_team(store, key, demo["lakeport"], "Lee").token)
    other.switch_page("pages/feedback.py").run()
    assert "Who owns the data?" not in " ".join(t.value for t in other.text)


def test_a_guest_sees_team_pages_read_only(store, key, demo):
    code = auth.create_invite(store, FACILITATOR, key, role="guest", name="Expert")
    guest = _app(auth.sign_in_with_code(store, key, code, "Expert").token)
    guest.switch_page("pages/home.py").run()
    assert not guest.exception
    assert all(t.disabled for t in guest.text_input)


def test_the_team_replies_and_resolves_in_its_inbox(store, key, demo, teams):
    fid = clinic.give_feedback(store, FACILITATOR, teams["riverton"].id, tool="budget",
                               kind="must_fix", text="Show the year-3 gap plan.")
    team = _app(auth.sign_in_team(store, key, demo["riverton"], "Ana").token)
    team.switch_page("pages/feedback.py").run()
    next(t for t in team.text_area if t.label == "Your reply").input("Added state funds.")
    next(b for b in team.button if b.label == "Send reply").click().run()
    assert not team.exception
    next(b for b in team.button if b.label == "Mark resolved").click().run()
    item = store.feedback(FACILITATOR, teams["riverton"].id)[0]
    assert item["id"] == fid and item["status"] == "resolved"
    assert item["replies"][0]["text"] == "Added state funds."
