"""The team's questions document: preparing meetings, scoring, comparing, what to ask next."""

from __future__ import annotations

import datetime as dt
import random

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as hs
from pydantic import ValidationError

from tests.helpers import member
from toolkit import content, editing
from toolkit import questions as qs
from toolkit.store import SYSTEM


@pytest.fixture(scope="module")
def ten() -> qs.QuestionsFile:
    return qs.load_questions()


def _plan(ten, *, names=("Vendor A", "Vendor B"), question_ids=None,
          answers: dict | None = None) -> qs.QuestionsPlan:
    """A meeting asking `question_ids` of respondents r0, r1, ...; answers keyed (r, q)."""
    meeting = qs.Meeting(id="m1", title="Pitch", audience="vendor",
                         question_ids=question_ids or [q.id for q in ten.questions[:4]])
    people = [qs.Respondent(id=f"r{i}", name=n, meeting_id="m1") for i, n in enumerate(names)]
    rows = [qs.Answer(respondent_id=r, question_id=q, **fields)
            for (r, q), fields in (answers or {}).items()]
    return qs.QuestionsPlan(meetings=[meeting], respondents=people, answers=rows)


def _flag(ten, question_id: str, n: int = 0) -> str:
    return ten.by_id(question_id).red_flags[n]


# --- preparing a meeting ------------------------------------------------------------------


def test_a_new_meeting_starts_with_the_questions_written_for_its_audience(ten):
    meeting = qs.new_meeting(ten, title="University data partnership", audience="partner")
    assert meeting.question_ids == ["data_ownership", "representative_data",
                                    "ai_never_speaks_for_city", "total_cost", "exit_plan"]
    vendor = qs.new_meeting(ten, title="Pitch", audience="vendor")
    assert len(vendor.question_ids) == 10


def test_a_meeting_without_a_name_is_refused_with_a_plain_message(ten):
    with pytest.raises(qs.QuestionTextError, match="Give the meeting a name"):
        qs.new_meeting(ten, title="   ", audience="vendor")


@pytest.mark.parametrize("text", [None, "", "   ", "\n\t"])
def test_a_custom_question_with_no_text_is_refused_with_a_clear_message(text):
    with pytest.raises(qs.QuestionTextError) as caught:
        qs.custom_question(text)
    assert str(caught.value) == ("Type your question first. A question with no words cannot "
                                 "be asked or scored.")


def test_a_custom_question_with_no_text_cannot_be_saved_by_going_round_the_helper():
    with pytest.raises(ValidationError) as caught:
        qs.QuestionsPlan.model_validate({"custom_questions": [{"text": "   "}]})
    message = editing.plain_validation_message(caught.value, qs.PLAN_LABELS)
    assert message.startswith("Your question:")


def test_an_overlong_custom_question_is_refused_with_its_length():
    with pytest.raises(qs.QuestionTextError, match="has 301 characters"):
        qs.custom_question("x" * 301)


def test_a_custom_question_keeps_its_words_and_gets_an_id_no_core_question_can_have(ten):
    own = qs.custom_question("  Who on the East Side has seen the sensor map?  ")
    assert own.text == "Who on the East Side has seen the sensor map?"
    assert own.id.startswith(qs.CUSTOM_PREFIX)
    assert own.id not in {q.id for q in ten.questions}


def test_questions_move_up_and_down_and_the_ends_stay_put():
    meeting = qs.Meeting(question_ids=["a", "b", "c"])
    assert qs.move_question(meeting, "c", -1).question_ids == ["a", "c", "b"]
    assert qs.move_question(meeting, "a", 1).question_ids == ["b", "a", "c"]
    assert qs.move_question(meeting, "a", -1).question_ids == ["a", "b", "c"]
    assert qs.move_question(meeting, "c", 1).question_ids == ["a", "b", "c"]
    assert qs.move_question(meeting, "zzz", 1) == meeting


def test_a_question_added_twice_is_listed_once():
    meeting = qs.add_questions(qs.Meeting(question_ids=["a"]), ["b", "a", "b"])
    assert meeting.question_ids == ["a", "b"]


def test_more_questions_than_fit_on_one_card_are_refused_saying_how_many_to_remove(ten):
    meeting = qs.new_meeting(ten, title="Pitch", audience="vendor")
    own = [f"c-{i}" for i in range(4)]
    with pytest.raises(qs.QuestionTextError, match="up to 12 questions.*Remove 2 first"):
        qs.add_questions(meeting, own)
    assert len(qs.add_questions(meeting, own[:2]).question_ids) == 12


def test_removing_a_question_drops_its_wording_too():
    meeting = qs.Meeting(question_ids=["a", "b"], wording={"a": "Our words"})
    assert qs.remove_question(meeting, "a") == meeting.model_copy(
        update={"question_ids": ["b"], "wording": {}})


def test_rewording_back_to_the_original_or_to_blank_drops_the_edit(ten):
    original = ten.by_id("exit_plan").question
    meeting = qs.Meeting(question_ids=["exit_plan"])
    edited = qs.reword(meeting, "exit_plan", "How do we leave you?", original)
    assert edited.wording == {"exit_plan": "How do we leave you?"}
    assert qs.reword(edited, "exit_plan", f" {original} ", original).wording == {}
    assert qs.reword(edited, "exit_plan", "  ", original).wording == {}


def test_meeting_questions_use_the_teams_wording_and_skip_ids_that_no_longer_exist(ten):
    own = qs.CustomQuestion(id="c-map", text="Who has seen the sensor map?",
                            strong_answer="Residents of each block, before install.")
    meeting = qs.Meeting(question_ids=["exit_plan", "gone", "c-map", "total_cost"],
                         wording={"total_cost": "What does year three cost?"})
    plan = qs.QuestionsPlan(meetings=[meeting], custom_questions=[own])
    asked = qs.meeting_questions(plan, meeting, ten)
    assert [(q.position, q.id) for q in asked] == [(1, "exit_plan"), (2, "c-map"),
                                                   (3, "total_cost")]
    assert asked[1].is_custom and asked[1].red_flags == () and asked[1].follow_ups == ()
    assert asked[1].strong_answer == ("Residents of each block, before install.",)
    assert asked[2].text == "What does year three cost?" and asked[2].reworded
    assert asked[2].original == ten.by_id("total_cost").question
    assert asked[2].red_flags == tuple(ten.by_id("total_cost").red_flags)


# --- recording answers --------------------------------------------------------------------


def test_an_answer_id_always_names_its_respondent_and_question():
    answer = qs.Answer(id="made-up", respondent_id="r1", question_id="exit_plan", score=2)
    assert answer.id == "r1/exit_plan"


@pytest.mark.parametrize("score", [-1, 4, 10])
def test_a_score_outside_the_rubric_is_refused(score):
    with pytest.raises(ValidationError):
        qs.Answer(respondent_id="r1", question_id="exit_plan", score=score)


def test_answer_with_changes_one_part_and_keeps_the_rest(ten):
    flag = _flag(ten, "exit_plan")
    plan = _plan(ten, answers={("r0", "exit_plan"): {"notes": "No exit plan", "flags": [flag]}})
    answer = qs.answer_with(plan, "r0", "exit_plan", score=1)
    assert (answer.notes, answer.flags, answer.score) == ("No exit plan", [flag], 1)
    fresh = qs.answer_with(plan, "r1", "exit_plan", notes="Fine")
    assert (fresh.id, fresh.score) == ("r1/exit_plan", None)


def test_a_selection_splits_into_listed_flags_and_the_teams_own(ten):
    listed = ten.by_id("exit_plan").red_flags
    flags, own = qs.split_flags([listed[1], " Said 'trust us' ", listed[1], ""], listed)
    assert (flags, own) == ([listed[1]], ["Said 'trust us'"])


def test_adding_a_blank_red_flag_is_refused_and_a_repeat_is_ignored():
    answer = qs.Answer(respondent_id="r", question_id="q", custom_flags=["Vague on price"])
    with pytest.raises(qs.QuestionTextError, match="Type the red flag"):
        qs.add_custom_flag(answer, "  ")
    assert qs.add_custom_flag(answer, "Vague on price") == answer
    assert qs.add_custom_flag(answer, "No references").custom_flags == [
        "Vague on price", "No references"]


def test_an_eleventh_flag_of_the_teams_own_is_refused_plainly():
    answer = qs.Answer(respondent_id="r", question_id="q",
                       custom_flags=[f"flag {i}" for i in range(10)])
    with pytest.raises(qs.QuestionTextError, match="up to 10 red flags"):
        qs.add_custom_flag(answer, "one more")


# --- scoring and comparing ----------------------------------------------------------------


def test_totals_count_points_questions_asked_and_answered_and_flags(ten):
    ids = ["buying_in_the_open", "exit_plan", "total_cost", "data_ownership"]
    plan = _plan(ten, question_ids=ids, answers={
        ("r0", "buying_in_the_open"): {"score": 3},
        ("r0", "exit_plan"): {"score": 0, "flags": [_flag(ten, "exit_plan", 0),
                                                    _flag(ten, "exit_plan", 1)]},
        ("r0", "total_cost"): {"score": 2, "custom_flags": ["No price cap"]},
    })
    total = qs.compare(plan, "m1", ten).totals[0]
    assert (total.questions, total.asked, total.scored, total.answered) == (4, 3, 3, 2)
    assert (total.points, total.possible, total.flags) == (5, 9, 3)
    assert total.status == "partial"
    assert total.average == pytest.approx(5 / 3)
    assert total.summary == ("5 of 9 points (average 1.7 of 3); 3 of 4 questions asked, "
                             "2 answered; 3 red flags.")


def test_a_respondent_with_no_answers_gets_a_status_not_a_zero_that_looks_like_a_score(ten):
    plan = _plan(ten, answers={("r0", "buying_in_the_open"): {"score": 2}})
    comparison = qs.compare(plan, "m1", ten)
    silent = comparison.totals[1]
    assert silent.status == "no_answers"
    assert silent.average is None and silent.share is None
    assert silent.points_text == "No answers recorded yet"
    assert "Not the same as a score of zero" in silent.summary
    assert [t.respondent.name for t in comparison.ranked()] == ["Vendor A"]
    assert [t.respondent.name for t in comparison.without_scores()] == ["Vendor B"]
    assert [t.respondent.name for t in comparison.standings()] == ["Vendor A", "Vendor B"]
    assert qs.chart_totals(comparison)[0] == comparison.ranked()
    assert "No answers recorded yet for Vendor B." in qs.key_findings(comparison)


def test_a_meeting_where_nobody_has_answered_says_so_instead_of_ranking(ten):
    comparison = qs.compare(_plan(ten), "m1", ten)
    assert comparison.ranked() == []
    assert qs.key_findings(comparison)[0] == ("No answers have been scored yet, so there is no "
                                              "comparison.")
    assert qs.ask_next(comparison, ten) == []


def test_a_meeting_with_no_respondents_says_no_one_has_been_asked(ten):
    comparison = qs.compare(_plan(ten, names=()), "m1", ten)
    assert qs.key_findings(comparison) == ["No one has been asked these questions yet."]


def test_notes_without_a_score_count_as_asked_but_not_scored(ten):
    plan = _plan(ten, answers={("r0", "buying_in_the_open"): {"notes": "Dodged it"}})
    comparison = qs.compare(plan, "m1", ten)
    total = comparison.totals[0]
    assert (total.asked, total.scored, total.status) == (1, 0, "not_scored")
    assert total.points_text == "Notes only, not scored yet"
    assert comparison.cell("buying_in_the_open", "r0").text == "notes, no score"


def test_a_zero_means_asked_with_no_answer_and_counts_in_the_points_possible(ten):
    plan = _plan(ten, answers={("r0", "buying_in_the_open"): {"score": 0}})
    total = qs.compare(plan, "m1", ten).totals[0]
    assert (total.asked, total.scored, total.answered, total.points, total.possible) == (
        1, 1, 0, 0, 3)
    assert total.points_text == "0 of 3"


def test_answers_to_questions_taken_off_the_meeting_do_not_count(ten):
    plan = _plan(ten, question_ids=["exit_plan"], answers={
        ("r0", "exit_plan"): {"score": 1}, ("r0", "total_cost"): {"score": 3}})
    assert qs.compare(plan, "m1", ten).totals[0].points == 1


def test_the_matrix_says_score_and_flag_count_in_words_not_colour(ten):
    plan = _plan(ten, question_ids=["exit_plan", "total_cost"], answers={
        ("r0", "exit_plan"): {"score": 0, "flags": [_flag(ten, "exit_plan", 0),
                                                    _flag(ten, "exit_plan", 1)]},
        ("r1", "exit_plan"): {"score": 2, "custom_flags": ["Vague"]},
        ("r1", "total_cost"): {"flags": [_flag(ten, "total_cost")]},
    })
    assert qs.compare(plan, "m1", ten).matrix() == [
        ["0 · 2 flags", "2 · 1 flag"],
        [qs.NOT_ASKED, "no score · 1 flag"],
    ]


def test_ranking_is_by_share_of_points_possible_then_fewer_flags(ten):
    plan = _plan(ten, names=("All asked", "Two asked", "Flagged"), answers={
        **{("r0", q.id): {"score": 2} for q in ten.questions[:4]},
        ("r1", "buying_in_the_open"): {"score": 3}, ("r1", "products_not_people"): {"score": 3},
        **{("r2", q.id): {"score": 2, "custom_flags": ["x"]} for q in ten.questions[:4]},
    })
    assert [t.respondent.name for t in qs.compare(plan, "m1", ten).ranked()] == [
        "Two asked", "All asked", "Flagged"]


def test_comparing_a_meeting_that_does_not_exist_raises_key_error(ten):
    with pytest.raises(KeyError):
        qs.compare(_plan(ten), "nope", ten)


@settings(max_examples=60, deadline=None)
@given(hs.lists(hs.one_of(hs.none(), hs.integers(0, 3)), min_size=4, max_size=4),
       hs.lists(hs.integers(0, 3), min_size=4, max_size=4))
def test_totals_never_exceed_what_was_possible(scores, flag_counts):
    ten = qs.load_questions()
    ids = [q.id for q in ten.questions[:4]]
    answers = {}
    for question_id, score, n in zip(ids, scores, flag_counts, strict=True):
        if score is not None or n:
            answers[("r0", question_id)] = {
                "score": score, "flags": list(ten.by_id(question_id).red_flags[:n])}
    total = qs.compare(_plan(ten, question_ids=ids, answers=answers), "m1", ten).totals[0]
    assert 0 <= total.points <= total.possible == 3 * total.scored
    assert total.questions >= total.asked >= total.scored >= total.answered
    assert total.flags == sum(flag_counts[i] for i, s in enumerate(scores)
                              if s is not None or flag_counts[i])
    assert (total.share is None) == (total.scored == 0)


# --- what to ask next ---------------------------------------------------------------------


def test_what_to_ask_next_starts_with_the_lowest_scores_and_most_red_flags(ten):
    plan = _plan(ten, question_ids=["exit_plan", "total_cost", "data_ownership",
                                    "buying_in_the_open"], answers={
        ("r0", "exit_plan"): {"score": 1},
        ("r0", "total_cost"): {"score": 0, "flags": [_flag(ten, "total_cost")]},
        ("r1", "data_ownership"): {"score": 2, "flags": [_flag(ten, "data_ownership", i)
                                                         for i in range(3)]},
        ("r1", "buying_in_the_open"): {"score": 3},
        ("r1", "exit_plan"): {"score": 2},
    })
    steps = qs.ask_next(qs.compare(plan, "m1", ten), ten)
    assert [(s.respondent.id, s.question.id, s.weakness) for s in steps] == [
        ("r0", "total_cost", 4), ("r1", "data_ownership", 4), ("r0", "exit_plan", 2)]
    assert steps[0].follow_ups == tuple(ten.by_id("total_cost").follow_ups)
    assert steps[0].reason == "Scored 0 (no answer), 1 red flag"


def test_strong_and_adequate_answers_without_flags_are_not_asked_again(ten):
    plan = _plan(ten, answers={("r0", "buying_in_the_open"): {"score": 3},
                               ("r0", "products_not_people"): {"score": 2}})
    assert qs.ask_next(qs.compare(plan, "m1", ten), ten) == []


def test_a_weak_answer_to_the_teams_own_question_gets_a_probe_from_the_rubric(ten):
    own = qs.CustomQuestion(id="c-map", text="Who has seen the sensor map?")
    plan = _plan(ten, question_ids=["c-map"], answers={("r0", "c-map"): {"score": 1}})
    plan = plan.model_copy(update={"custom_questions": [own]})
    (step,) = qs.ask_next(qs.compare(plan, "m1", ten), ten)
    assert step.follow_ups == ("Ask again and ask for an answer that is specific and in "
                               "writing, with a named owner, and it covers what a strong "
                               "answer includes.",)


def test_what_to_ask_next_can_be_for_one_respondent_and_is_limited(ten):
    ids = [q.id for q in ten.questions]
    plan = _plan(ten, question_ids=ids,
                 answers={(r, q): {"score": 0} for r in ("r0", "r1") for q in ids})
    comparison = qs.compare(plan, "m1", ten)
    assert len(qs.ask_next(comparison, ten)) == 8
    only = qs.ask_next(comparison, ten, limit=50, respondent_id="r1")
    assert len(only) == 10 and {s.respondent.id for s in only} == {"r1"}


# --- key findings, from the demo ------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_comparison(ten) -> qs.Comparison:
    plan = qs.demo_document("riverton")
    return qs.compare(plan, plan.meetings[0].id, ten)


def test_key_findings_name_the_strongest_and_weakest_from_the_recorded_scores(demo_comparison):
    findings = qs.key_findings(demo_comparison)
    assert findings[0] == ("3 of 3 respondents have scored answers. Strongest: Cobalt Case "
                           "Systems, 25 of 33 points (average 2.3 of 3).")
    assert findings[1] == "Weakest: Lumen Ridge Acoustics, 8 of 27 points (average 0.9 of 3)."
    assert any(f.startswith("Most red flags: Lumen Ridge Acoustics, with 16") for f in findings)
    assert any("Contracts that renew on their own" in f for f in findings)
    assert findings[-1] == ("Still to ask: Lumen Ridge Acoustics, 2 questions; Riverton "
                            "Department of Technology, 4 questions.")


def test_key_findings_change_when_the_scores_change(ten):
    plan = _plan(ten, answers={("r0", "buying_in_the_open"): {"score": 1},
                               ("r1", "buying_in_the_open"): {"score": 3}})
    assert "Strongest: Vendor B" in qs.key_findings(qs.compare(plan, "m1", ten))[0]
    plan.answers[1].score = 0
    assert "Strongest: Vendor A" in qs.key_findings(qs.compare(plan, "m1", ten))[0]


# --- fifty respondents ----------------------------------------------------------------------


def test_fifty_respondents_give_a_matrix_in_pages_a_limited_chart_and_short_findings(ten):
    rng = random.Random(7)
    ids = [q.id for q in ten.questions]
    names = [f"Vendor {i:02d}" for i in range(50)]
    answers = {(f"r{i}", q): {"score": rng.randint(0, 3),
                              "flags": [_flag(ten, q)] if rng.random() < 0.3 else []}
               for i in range(49) for q in ids}  # the last one has no answers yet
    plan = _plan(ten, names=names, question_ids=ids, answers=answers)
    plan = qs.QuestionsPlan.model_validate_json(plan.model_dump_json())  # within every limit
    comparison = qs.compare(plan, "m1", ten)
    matrix = comparison.matrix()
    assert len(matrix) == 10 and all(len(row) == 50 for row in matrix)
    pages = qs.pages_of(comparison.respondents, 10)
    assert [len(p) for p in pages] == [10] * 5
    shown, left_out = qs.chart_totals(comparison, 15)
    assert (len(shown), len(left_out)) == (15, 34)
    assert shown[0].share >= shown[-1].share >= left_out[0].share
    assert len(qs.ask_next(comparison, ten)) == 8
    findings = qs.key_findings(comparison)
    assert len(findings) <= 8 and all(len(f) < 400 for f in findings)
    assert "No answers recorded yet for Vendor 49." in findings


# --- the demo and links ---------------------------------------------------------------------


def test_the_demo_document_belongs_to_riverton_only():
    assert isinstance(qs.demo_document("riverton"), qs.QuestionsPlan)
    assert qs.demo_document("lakeport") is None


def test_the_demo_names_its_maintainer_and_review_date():
    demo = content.load(qs.DEMO_FILE, qs.DemoQuestionsFile)
    assert demo.maintainer and demo.last_reviewed == dt.date(2026, 11, 22)


def test_the_demo_has_two_vendors_and_the_citys_it_department_with_real_answers(ten):
    plan = qs.demo_document("riverton")
    kinds = sorted(r.kind for r in plan.respondents)
    assert kinds == ["department", "vendor", "vendor"]
    comparison = qs.compare(plan, plan.meetings[0].id, ten)
    assert all(t.scored >= 5 and t.flags >= 1 for t in comparison.totals)
    assert all(a.notes for a in plan.answers)
    assert plan.custom_questions and plan.meetings[0].wording


def test_the_demo_has_no_broken_links_and_ticks_only_listed_flags(ten):
    assert qs.reference_problems(qs.demo_document("riverton"), ten) == []


def test_the_demo_file_has_no_key_the_document_would_silently_ignore():
    raw = yaml.safe_load((content.CONTENT_DIR / qs.DEMO_FILE).read_text(encoding="utf-8"))
    doc = raw["document"]
    models = {"meetings": qs.Meeting, "custom_questions": qs.CustomQuestion,
              "respondents": qs.Respondent, "answers": qs.Answer}
    assert set(doc) <= set(qs.QuestionsPlan.model_fields)
    for field, model in models.items():
        for row in doc.get(field, []):
            assert set(row) <= set(model.model_fields), (field, row)


def test_broken_links_are_each_named(ten):
    plan = qs.QuestionsPlan(
        meetings=[qs.Meeting(id="m1", title="Pitch", question_ids=["exit_plan", "nope"])],
        respondents=[qs.Respondent(id="r1", name="A", meeting_id="m1"),
                     qs.Respondent(id="r2", name="B", meeting_id="gone")],
        answers=[qs.Answer(respondent_id="r1", question_id="exit_plan", flags=["Made up"]),
                 qs.Answer(respondent_id="r1", question_id="total_cost", score=1),
                 qs.Answer(respondent_id="ghost", question_id="exit_plan", score=1)])
    assert qs.reference_problems(plan, ten) == [
        "meeting 'Pitch' lists unknown question 'nope'",
        "respondent 'B' points to unknown meeting 'gone'",
        "answer 'r1/exit_plan' ticks 'Made up', which is not on the question's list",
        "answer 'r1/total_cost' is to a question its meeting does not ask",
        "answer 'ghost/exit_plan' belongs to no respondent",
    ]


# --- saving ---------------------------------------------------------------------------------


def test_two_people_recording_different_answers_at_once_both_land(store, teams, ten):
    team = teams["lakeport"]
    ana, lee = member(team, "Ana"), member(team, "Lee")
    plan = _plan(ten)
    base = store.save(ana, team.id, plan, base_version=0)
    one = qs.answer_with(plan, "r0", "buying_in_the_open", score=2)
    two = qs.answer_with(plan, "r1", "buying_in_the_open", score=1)
    first = editing.edit_list(store, ana, team.id, qs.QuestionsPlan, "answers",
                              upserts=[one], base=base, what="answer")
    second = editing.edit_list(store, lee, team.id, qs.QuestionsPlan, "answers",
                               upserts=[two], base=base, what="answer")
    assert (first.outcome, second.outcome) == ("saved", "saved")
    saved = store.load(SYSTEM, team.id, qs.QuestionsPlan).body
    assert {a.id: a.score for a in saved.answers} == {"r0/buying_in_the_open": 2,
                                                      "r1/buying_in_the_open": 1}


def test_two_people_changing_the_same_answer_get_a_conflict_not_an_overwrite(store, teams, ten):
    team = teams["lakeport"]
    ana, lee = member(team, "Ana"), member(team, "Lee")
    plan = _plan(ten, answers={("r0", "exit_plan"): {"score": 1}})
    base = store.save(ana, team.id, plan, base_version=0)
    editing.edit_list(store, ana, team.id, qs.QuestionsPlan, "answers", base=base,
                      upserts=[qs.answer_with(plan, "r0", "exit_plan", score=3)])
    late = editing.edit_list(store, lee, team.id, qs.QuestionsPlan, "answers", base=base,
                             upserts=[qs.answer_with(plan, "r0", "exit_plan", score=0)],
                             what="answer")
    assert late.outcome == "conflict" and "changed the same answer" in late.message
    assert store.load(SYSTEM, team.id, qs.QuestionsPlan).body.answers[0].score == 3


def test_a_plan_with_only_a_custom_question_counts_as_started():
    assert not qs.QuestionsPlan().started
    assert qs.QuestionsPlan(custom_questions=[qs.custom_question("Why now?")]).started
