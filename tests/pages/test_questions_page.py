"""The questions page through app.py: prepare a meeting, record answers, compare them."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import as_read, member
from toolkit import auth
from toolkit import questions as qs
from toolkit.store import SYSTEM

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def _page(token: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["token"] = token
    at.run()
    at.switch_page("pages/questions.py").run()
    _ok(at)
    return at


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.title) == 1
    return at


def _by_label(widgets, label):
    return next(w for w in widgets if w.label == label)


def _click(at: AppTest, label: str) -> AppTest:
    _by_label(at.button, label).click()
    return _ok(at.run())


def _shown(at: AppTest) -> str:
    # The page escapes user text for markdown; read it the way a person sees it.
    return as_read(" ".join(m.value for m in at.markdown))


def _plan(store, team) -> qs.QuestionsPlan:
    return store.load(SYSTEM, team.id, qs.QuestionsPlan).body


@pytest.fixture
def lakeport(store, key, demo):
    return auth.sign_in_team(store, key, demo["lakeport"], "Lee").token


@pytest.fixture
def with_meeting(store, teams):
    """Lakeport with a vendor meeting of the ten questions and nobody asked yet."""
    team = teams["lakeport"]
    meeting = qs.new_meeting(qs.load_questions(), title="Permit software pitches",
                             audience="vendor", project="Online permit intake")
    store.save(member(team), team.id, qs.QuestionsPlan(meetings=[meeting]), base_version=0)
    return meeting


def _add_respondent(at: AppTest, name: str) -> AppTest:
    _by_label(at.text_input, "Name of the company, department or group").input(name)
    return _click(at, "Add respondent")


# --- prepare --------------------------------------------------------------------------------


def test_a_team_without_a_meeting_is_asked_to_prepare_one_and_can(store, teams, lakeport):
    at = _page(lakeport)
    assert any("Start by preparing a meeting" in i.value for i in at.info)
    _by_label(at.text_input, "Meeting name").input("Permit software pitches")
    _by_label(at.selectbox, "Who you will ask").set_value("provider")
    _by_label(at.text_input, "Project being pitched").input("Online permit intake")
    at = _click(at, "Create the meeting")
    (meeting,) = _plan(store, teams["lakeport"]).meetings
    assert (meeting.title, meeting.audience, meeting.project) == (
        "Permit software pitches", "provider", "Online permit intake")
    assert meeting.question_ids == qs.suggested_question_ids(qs.load_questions(), "provider")
    assert [t.label for t in at.text_area][:2] == ["Question 1", "Question 2"]


def test_a_meeting_without_a_name_is_refused_with_a_plain_message(store, teams, lakeport):
    at = _page(lakeport)
    at = _click(at, "Create the meeting")
    assert any("Give the meeting a name" in e.value for e in at.error)
    assert _plan(store, teams["lakeport"]).meetings == []


def test_a_question_of_your_own_with_no_text_is_refused_and_nothing_saved(store, teams,
                                                                          lakeport,
                                                                          with_meeting):
    at = _page(lakeport)
    _by_label(at.text_area, "Your question").input("   ")
    at = _click(at, "Add your question")
    assert any("Type your question first" in e.value for e in at.error)
    assert _plan(store, teams["lakeport"]).custom_questions == []


def test_a_question_of_your_own_is_added_to_the_end_of_the_meeting(store, teams, lakeport,
                                                                   with_meeting):
    at = _page(lakeport)
    _by_label(at.text_area, "Your question").input("Who fixes it on a Saturday?")
    at = _click(at, "Add your question")
    plan = _plan(store, teams["lakeport"])
    (own,) = plan.custom_questions
    assert own.text == "Who fixes it on a Saturday?"
    assert plan.meetings[0].question_ids[-1] == own.id
    assert _by_label(at.text_area, "Question 11").value == "Who fixes it on a Saturday?"


def test_moving_a_question_down_saves_the_new_order(store, teams, lakeport, with_meeting):
    at = _page(lakeport)
    next(b for b in at.button if b.key == f"down:{with_meeting.id}:buying_in_the_open").click()
    _ok(at.run())
    order = _plan(store, teams["lakeport"]).meetings[0].question_ids
    assert order[:2] == ["products_not_people", "buying_in_the_open"]


def test_rewording_a_question_saves_the_teams_words_for_this_meeting(store, teams, lakeport,
                                                                     with_meeting):
    at = _page(lakeport)
    _by_label(at.text_area, "Question 10").input("How do we leave you, and what does it cost?")
    _ok(at.run())
    meeting = _plan(store, teams["lakeport"]).meetings[0]
    assert meeting.wording == {"exit_plan": "How do we leave you, and what does it cost?"}
    assert any("Question 10 of the ten, reworded" in c.value for c in at.caption)


def test_adding_questions_past_a_full_card_is_refused(store, teams, lakeport, with_meeting):
    team = teams["lakeport"]
    saved = store.load(SYSTEM, team.id, qs.QuestionsPlan)
    own = [qs.custom_question(f"Own question {i}") for i in range(3)]
    plan = saved.body.model_copy(update={
        "custom_questions": own,
        "meetings": [qs.add_questions(with_meeting, [own[0].id, own[1].id])]})
    store.save(SYSTEM, team.id, plan, base_version=saved.version)
    at = _page(lakeport)
    assert any("most questions a card can hold (12)" in i.value for i in at.info)
    assert not [b for b in at.button if b.label == "Add to the meeting"]


# --- record and compare ---------------------------------------------------------------------


def test_recording_answers_for_two_vendors_and_comparing_them(store, teams, lakeport,
                                                              with_meeting):
    ten = qs.load_questions()
    flag = ten.by_id("buying_in_the_open").red_flags[0]
    at = _page(lakeport)
    assert any("Add the vendor, department or partner you asked" in i.value for i in at.info)

    at = _add_respondent(at, "Vendor A")
    _by_label(at.radio, "Score for question 1").set_value(2)
    at = _ok(at.run())
    _by_label(at.text_area, "Notes on question 1").input("Would post every task order.")
    at = _ok(at.run())
    _by_label(at.multiselect, "Red flags heard (question 1)").select(flag)
    at = _ok(at.run())

    at = _add_respondent(at, "Vendor B")
    assert _by_label(at.selectbox, "Whose answers").value is not None
    _by_label(at.radio, "Score for question 1").set_value(0)
    at = _ok(at.run())
    _by_label(at.radio, "Score for question 2").set_value(1)
    at = _ok(at.run())

    plan = _plan(store, teams["lakeport"])
    people = {r.name: r.id for r in plan.respondents}
    a = plan.answer(people["Vendor A"], "buying_in_the_open")
    assert (a.score, a.notes, a.flags) == (2, "Would post every task order.", [flag])
    b = plan.answer(people["Vendor B"], "buying_in_the_open")
    assert b.score == 0 and plan.answer(people["Vendor B"], "products_not_people").score == 1

    matrix = at.dataframe[0].value
    assert list(matrix.columns) == ["Question", "Vendor A", "Vendor B"]
    assert list(matrix.iloc[0])[1:] == ["2 · 1 flag", "0"]
    assert list(matrix.iloc[2])[1:] == ["—", "—"]
    totals = at.dataframe[1].value
    assert list(totals["Respondent"]) == ["Vendor A", "Vendor B"]
    assert list(totals["Points"]) == ["2 of 3", "1 of 6"]
    captions = " ".join(c.value for c in at.caption).replace("\\", "")
    assert "Text version. Vendor A, 2 of 3 points; Vendor B, 1 of 6 points." in captions
    shown = _shown(at)
    assert "Strongest: Vendor A, 2 of 3 points" in shown
    assert "**Vendor B**, question 1: How will we buy this" in shown


def test_a_red_flag_of_your_own_is_added_and_ticked(store, teams, lakeport, with_meeting):
    at = _add_respondent(_page(lakeport), "Vendor A")
    box = _by_label(at.text_input, "Another red flag you heard (question 1)")
    box.input("Would not name a single other city")
    at = _ok(at.run())
    plan = _plan(store, teams["lakeport"])
    answer = plan.answer(plan.respondents[0].id, "buying_in_the_open")
    assert answer.custom_flags == ["Would not name a single other city"]
    ticked = _by_label(at.multiselect, "Red flags heard (question 1)").value
    assert ticked == ["Would not name a single other city"]
    assert _by_label(at.text_input, "Another red flag you heard (question 1)").value == ""


def test_a_respondent_without_a_name_is_refused(store, teams, lakeport, with_meeting):
    at = _add_respondent(_page(lakeport), "  ")
    assert any("Type a name" in e.value for e in at.error)
    assert _plan(store, teams["lakeport"]).respondents == []


def test_a_respondent_with_no_answers_is_shown_as_not_yet_answered(store, teams, lakeport,
                                                                   with_meeting):
    at = _add_respondent(_page(lakeport), "Vendor A")
    totals = at.dataframe[1].value
    assert list(totals["Points"]) == ["No answers recorded yet"]
    assert list(totals["Average (0 to 3)"]) == [""]
    assert "No answers have been scored yet" in _shown(at)


def test_a_teammates_answer_saved_meanwhile_is_kept(store, teams, lakeport, with_meeting):
    team = teams["lakeport"]
    at = _add_respondent(_page(lakeport), "Vendor A")
    saved = store.load(SYSTEM, team.id, qs.QuestionsPlan)
    rid = saved.body.respondents[0].id
    theirs = qs.answer_with(saved.body, rid, "exit_plan", score=3)
    store.save(member(team, "Ana"), team.id,
               saved.body.model_copy(update={"answers": [theirs]}), base_version=saved.version)
    _by_label(at.radio, "Score for question 1").set_value(1)
    _ok(at.run())
    plan = _plan(store, team)
    assert {a.question_id: a.score for a in plan.answers} == {"exit_plan": 3,
                                                              "buying_in_the_open": 1}


def test_the_demo_team_sees_its_comparison_and_what_to_ask_next(store, teams, key, demo):
    at = _page(auth.sign_in_team(store, key, demo["riverton"], "Ana").token)
    assert [h.value for h in at.header] == ["Prepare the meeting", "Record the answers",
                                            "Compare the answers"]
    matrix = at.dataframe[0].value
    assert list(matrix.columns)[1:] == ["Lumen Ridge Acoustics", "Cobalt Case Systems",
                                        "Riverton Department of Technology"]
    text = _shown(at)
    assert "Strongest: Cobalt Case Systems" in text
    assert "What is the worst mistake this tool could make" in text


def test_fifty_respondents_show_the_matrix_ten_at_a_time(store, teams, lakeport, with_meeting):
    team = teams["lakeport"]
    saved = store.load(SYSTEM, team.id, qs.QuestionsPlan)
    people = [qs.Respondent(name=f"Vendor {i:02d}", meeting_id=with_meeting.id)
              for i in range(50)]
    answers = [qs.Answer(respondent_id=r.id, question_id=q, score=i % 4)
               for i, r in enumerate(people[:49]) for q in with_meeting.question_ids]
    store.save(SYSTEM, team.id, saved.body.model_copy(
        update={"respondents": people, "answers": answers}), base_version=saved.version)
    at = _page(lakeport)
    pager = _by_label(at.selectbox, "50 respondents: show")
    assert pager.options[-1] == "Respondents 41 to 50"
    assert len(at.dataframe[0].value.columns) == 11
    pager.set_value("Respondents 41 to 50")
    at = _ok(at.run())
    assert list(at.dataframe[0].value.columns)[-1] == "Vendor 49"
    captions = " ".join(c.value for c in at.caption).replace("\\", "")
    assert "34 more respondents with lower shares are in the table." in captions
    assert "Not shown, because nothing is scored yet: Vendor 49." in captions


def test_a_facilitator_can_open_a_teams_questions(store, demo):
    password = auth.ensure_facilitator_password(store)
    at = _page(auth.sign_in_facilitator(store, password).token)
    assert at.title[0].value == "3. Ten tech questions"


def test_markup_typed_by_a_team_is_shown_as_text(store, teams, lakeport, with_meeting):
    team = teams["lakeport"]
    hostile = "S&P <b>x</b> $E=mc^2$ :red[alarm] [link](http://example.invalid) 1. **bold**"
    saved = store.load(SYSTEM, team.id, qs.QuestionsPlan)
    person = qs.Respondent(name=hostile, meeting_id=with_meeting.id)
    answer = qs.Answer(respondent_id=person.id, question_id="buying_in_the_open", score=0,
                       custom_flags=[hostile])
    store.save(SYSTEM, team.id, saved.body.model_copy(
        update={"respondents": [person], "answers": [answer]}), base_version=saved.version)
    at = _page(lakeport)
    assert f"Strongest: {hostile}, 0 of 3 points" in _shown(at)
    assert f"**{hostile}**, question 1" in _shown(at)
    raw = " ".join(m.value for m in at.markdown)
    assert "[link](http" not in raw and "$E=mc" not in raw and ":red[" not in raw
