"""Refused saves keep the person's text: a teammate's conflicting change, an ended sign-in."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import member
from toolkit import auth
from toolkit import questions as qs
from toolkit import workshop as ws
from toolkit.store import SYSTEM

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def _app(token: str, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["token"] = token
    at.run()
    if page:
        at.switch_page(page).run()
    return _ok(at)


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def _by_label(widgets, label):
    return next(w for w in widgets if w.label == label)


def _labels(widgets) -> list[str]:
    return [w.label for w in widgets]


def _join(store, key, demo, slug: str, name: str) -> str:
    return auth.sign_in_team(store, key, demo[slug], name).token


def _goal(store, team) -> str:
    return store.load(SYSTEM, team.id, ws.Initiative).body.goal


# --- a teammate changed the same field -------------------------------------------------------


@pytest.fixture
def both_on_home(store, key, demo):
    """Ana and Ben of Riverton, each with the team home open."""
    return (_app(_join(store, key, demo, "riverton", "Ana")),
            _app(_join(store, key, demo, "riverton", "Ben")))


def test_the_second_save_of_a_field_shows_the_conflict_and_keeps_their_text(store, teams,
                                                                            both_on_home):
    ana, ben = both_on_home
    _by_label(ana.text_area, "Goal").input("Ana's goal").run()
    _ok(_by_label(ben.text_area, "Goal").input("Ben's goal").run())
    assert _goal(store, teams["riverton"]) == "Ana's goal"  # not overwritten
    assert any(e.value.startswith("Ana changed goal while you were editing") for e in ben.error)
    assert _by_label(ben.text_area, "Goal").value == "Ana's goal"  # the box shows what is saved
    assert _by_label(ben.text_area, "Your text, not saved").value == "Ben's goal"


def test_saving_the_kept_text_instead_replaces_the_teammates_on_purpose(store, teams,
                                                                       both_on_home):
    ana, ben = both_on_home
    _by_label(ana.text_area, "Goal").input("Ana's goal").run()
    _by_label(ben.text_area, "Goal").input("Ben's goal").run()
    # Ben merges the two in the kept box, then saves it.
    _by_label(ben.text_area, "Your text, not saved").input("Ana's goal, and Ben's").run()
    _ok(_by_label(ben.button, "Save my text instead").click().run())
    assert _goal(store, teams["riverton"]) == "Ana's goal, and Ben's"
    assert _by_label(ben.text_area, "Goal").value == "Ana's goal, and Ben's"
    assert "Your text, not saved" not in _labels(ben.text_area)
    assert not ben.error


def test_a_second_conflict_on_the_kept_text_is_refused_again(store, teams, both_on_home):
    ana, ben = both_on_home
    _by_label(ana.text_area, "Goal").input("Ana's goal").run()
    _by_label(ben.text_area, "Goal").input("Ben's goal").run()
    _by_label(ana.text_area, "Goal").input("Ana's second goal").run()  # while Ben reads
    _ok(_by_label(ben.button, "Save my text instead").click().run())
    assert _goal(store, teams["riverton"]) == "Ana's second goal"
    assert _by_label(ben.text_area, "Your text, not saved").value == "Ben's goal"


def test_discarding_the_kept_text_leaves_the_saved_text(store, teams, both_on_home):
    ana, ben = both_on_home
    _by_label(ana.text_area, "Goal").input("Ana's goal").run()
    _by_label(ben.text_area, "Goal").input("Ben's goal").run()
    _ok(_by_label(ben.button, "Discard my text").click().run())
    assert "Your text, not saved" not in _labels(ben.text_area) and not ben.error
    assert _goal(store, teams["riverton"]) == "Ana's goal"


def test_teammates_editing_different_fields_of_the_page_both_land(store, teams, both_on_home):
    ana, ben = both_on_home
    _by_label(ana.text_input, "Initiative title").input("Ana's title").run()
    _ok(_by_label(ben.text_area, "Goal").input("Ben's goal").run())
    saved = store.load(SYSTEM, teams["riverton"].id, ws.Initiative).body
    assert (saved.title, saved.goal) == ("Ana's title", "Ben's goal")
    assert not ben.error
    assert _by_label(ben.text_input, "Initiative title").value == "Ana's title"


def test_old_values_a_slow_browser_sends_back_do_not_undo_a_teammates_change(store, teams,
                                                                           both_on_home):
    ana, ben = both_on_home
    before = _by_label(ben.text_input, "Initiative title").value
    _by_label(ana.text_input, "Initiative title").input("Ana's title").run()
    _by_label(ben.text_area, "Goal").input("Ben's goal").run()  # brings Ana's title along
    # Ben clicks again before that run reached his browser: it still shows the old title.
    _ok(_by_label(ben.text_input, "Initiative title").input(before).run())
    saved = store.load(SYSTEM, teams["riverton"].id, ws.Initiative).body
    assert (saved.title, saved.goal) == ("Ana's title", "Ben's goal")
    assert _by_label(ben.text_input, "Initiative title").value == "Ana's title"


def test_old_text_echoed_after_a_conflict_does_not_overwrite_the_teammate(store, teams,
                                                                          both_on_home):
    ana, ben = both_on_home
    _by_label(ana.text_area, "Goal").input("Ana's goal").run()
    _by_label(ben.text_area, "Goal").input("Ben's goal").run()  # refused, kept below
    _ok(_by_label(ben.text_area, "Goal").input("Ben's goal").run())  # the slow browser echoes
    assert _goal(store, teams["riverton"]) == "Ana's goal"
    assert _by_label(ben.text_area, "Your text, not saved").value == "Ben's goal"


# --- a teammate changed the same answer --------------------------------------------------------


@pytest.fixture
def answer(store, teams):
    """Lakeport has asked Vendor A question 1 and noted the answer."""
    team = teams["lakeport"]
    meeting = qs.new_meeting(qs.load_questions(), title="Permit software pitches",
                             audience="vendor", project="Online permit intake")
    vendor = qs.Respondent(name="Vendor A", meeting_id=meeting.id)
    first = meeting.question_ids[0]
    plan = qs.QuestionsPlan(meetings=[meeting], respondents=[vendor], answers=[
        qs.Answer(respondent_id=vendor.id, question_id=first, score=1, notes="Said yes")])
    store.save(member(team), team.id, plan, base_version=0)
    return vendor.id, first


def _answer(store, team, ids) -> qs.Answer:
    return store.load(SYSTEM, team.id, qs.QuestionsPlan).body.answer(*ids)


def test_notes_refused_by_a_teammates_notes_are_kept_beside_the_box(store, key, demo, teams,
                                                                     answer):
    ana = _app(_join(store, key, demo, "lakeport", "Ana"), "pages/questions.py")
    lee = _app(_join(store, key, demo, "lakeport", "Lee"), "pages/questions.py")
    _by_label(ana.text_area, "Notes on question 1").input("Ana's notes").run()
    _ok(_by_label(lee.text_area, "Notes on question 1").input("Lee's notes").run())
    assert _answer(store, teams["lakeport"], answer).notes == "Ana's notes"
    assert _by_label(lee.text_area, "Notes on question 1").value == "Ana's notes"
    assert _by_label(lee.text_area, "Your notes on question 1, not saved").value == "Lee's notes"
    assert any("Ana changed the same answer" in e.value for e in lee.error)
    _ok(_by_label(lee.button, "Done with my change").click().run())
    assert "Your notes on question 1, not saved" not in _labels(lee.text_area)


def test_a_score_and_notes_changed_by_two_people_at_once_both_land(store, key, demo, teams,
                                                                    answer):
    ana = _app(_join(store, key, demo, "lakeport", "Ana"), "pages/questions.py")
    lee = _app(_join(store, key, demo, "lakeport", "Lee"), "pages/questions.py")
    _by_label(ana.radio, "Score for question 1").set_value(3).run()
    _ok(_by_label(lee.text_area, "Notes on question 1").input("Lee's notes").run())
    saved = _answer(store, teams["lakeport"], answer)
    assert (saved.score, saved.notes) == (3, "Lee's notes")
    assert not lee.error


# --- the sign-in ended while the page was open -------------------------------------------------


def test_text_typed_after_the_sign_in_ended_is_shown_on_the_sign_in_page(store, key, demo,
                                                                        teams):
    token = _join(store, key, demo, "riverton", "Ana")
    at = _app(token)
    auth.sign_out(store, token)  # in another tab
    _ok(_by_label(at.text_area, "Goal").input("Typed too late").run())
    assert at.title[0].value == "Sign in to ISC Blueprint"
    assert any("sign-in has ended" in i.value for i in at.info)
    assert any("were not saved" in w.value for w in at.warning)
    assert _by_label(at.text_area, "Goal (not saved)").value == "Typed too late"
    assert _goal(store, teams["riverton"]) != "Typed too late"


def test_the_text_not_saved_comes_back_after_signing_in_again_to_the_same_team(store, key, demo,
                                                                              teams):
    token = _join(store, key, demo, "riverton", "Ana")
    at = _app(token)
    auth.sign_out(store, token)
    _by_label(at.text_area, "Goal").input("Typed too late").run()
    _by_label(at.text_input, "Join code").input(demo["riverton"])
    _by_label(at.text_input, "Your name").input("Ana")
    _ok(_by_label(at.button, "Join").click().run())
    # The browser now loads the page afresh: a new Streamlit session with the new cookie.
    again = _app(at.session_state["token"])
    assert again.title[0].value == "Riverton: team home"
    assert _by_label(again.text_area, "Goal (not saved)").value == "Typed too late"
    _ok(_by_label(again.button, "Dismiss").click().run())
    assert "Goal (not saved)" not in _labels(again.text_area)


def test_text_not_saved_is_not_handed_to_someone_who_signs_in_as_another_team(store, key, demo):
    token = _join(store, key, demo, "riverton", "Ana")
    at = _app(token)
    auth.sign_out(store, token)
    _by_label(at.text_area, "Goal").input("Riverton's private draft").run()
    _by_label(at.text_input, "Join code").input(demo["lakeport"])
    _by_label(at.text_input, "Your name").input("Lee")
    _ok(_by_label(at.button, "Join").click().run())
    other = _app(at.session_state["token"])
    assert other.title[0].value == "Lakeport: team home"
    assert all("not saved" not in t.label for t in other.text_area)
