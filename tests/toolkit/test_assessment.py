import pytest

from tests.helpers import FACILITATOR, member
from toolkit import assessment as am
from toolkit import workshop as ws
from toolkit.store import SYSTEM, AccessDenied

CONTENT = am.load_assessment()
AREA = CONTENT.areas[0]


def _round(**answers) -> am.Round:
    return am.Round(answers={k: am.Answer(**v) for k, v in answers.items()})


def test_an_area_scores_the_mean_of_its_answered_levels():
    s = [x.id for x in AREA.statements]
    scores = am.score_round(_round(**{s[0]: {"level": 1}, s[1]: {"level": 4}}), CONTENT)
    first = scores[0]
    assert (first.score, first.answered, first.unanswered) == (2.5, 2, len(s) - 2)
    assert all(x.score is None for x in scores[1:])


def test_not_sure_is_counted_apart_and_neither_raises_nor_lowers_a_score():
    s = [x.id for x in AREA.statements]
    with_doubt = am.score_round(_round(**{s[0]: {"level": 3}, s[1]: {"not_sure": True}}),
                                CONTENT)[0]
    without = am.score_round(_round(**{s[0]: {"level": 3}}), CONTENT)[0]
    assert with_doubt.score == without.score == 3
    assert (with_doubt.not_sure, with_doubt.answered) == (1, 1)


def test_only_not_sure_answers_leave_the_area_without_a_score():
    s = [x.id for x in AREA.statements]
    assert am.score_round(_round(**{s[0]: {"not_sure": True}}), CONTENT)[0].score is None


def test_overall_weights_each_area_once():
    a, b = CONTENT.areas[0], CONTENT.areas[1]
    answers = {st.id: {"level": 4} for st in a.statements}
    answers[b.statements[0].id] = {"level": 1}
    assert am.overall(am.score_round(_round(**answers), CONTENT)) == 2.5


def test_the_weakest_three_come_with_actions_linked_questions_and_guidebook_topics():
    doc = am.demo_document("riverton")
    steps = am.weakest(am.score_round(doc.latest, CONTENT), CONTENT)
    assert len(steps) == 3
    assert [s.score for s in steps] == sorted(s.score for s in steps)
    assert all(s.actions and s.guidebook_topics for s in steps)
    assert any(s.question_titles for s in steps)


def _scores(level: int) -> list[am.AreaScore]:
    return am.score_round(_round(**{s.id: {"level": level} for s in AREA.statements}), CONTENT)


def test_the_cohort_median_is_withheld_below_five_teams():
    view = am.cohort_medians({n: _scores(2) for n in range(4)})
    assert view.medians[AREA.id] is None and view.teams_counted[AREA.id] == 4
    view = am.cohort_medians({n: _scores(level) for n, level in enumerate([1, 2, 2, 3, 4])})
    assert view.medians[AREA.id] == 2


def test_a_team_sees_cohort_medians_but_never_another_teams_answers(store, key, teams):
    workshop_id = teams["riverton"].workshop_id
    for n, level in enumerate([2, 2, 2, 3, 3]):
        team, _ = ws.add_team(store, SYSTEM, key, workshop_id=workshop_id,
                              profile=ws.TeamProfile(city=f"Town {n}"))
        store.save(SYSTEM, team.id, am.AssessmentDoc(rounds=[_round(
            **{s.id: {"level": level} for s in AREA.statements})]), base_version=0)
    ana = member(teams["lakeport"])
    view = am.cohort_view(store, ana, workshop_id)
    # The five new towns and the demo's Riverton (1.5 in this area) have answered.
    assert view.teams_counted[AREA.id] == 6
    assert view.medians[AREA.id] == 2
    with pytest.raises(AccessDenied):
        store.load(ana, teams["riverton"].id, am.AssessmentDoc)
    rows = store.cohort_documents(ana, workshop_id, am.AssessmentDoc.KIND)
    assert all('"team' not in body for body in rows)  # bodies only, no team ids or names


def test_a_team_cannot_ask_for_another_workshops_cohort(store, key, teams):
    other = store.create_workshop(FACILITATOR, slug="other", name="Other")
    with pytest.raises(AccessDenied):
        store.cohort_documents(member(teams["lakeport"]), other.id, am.AssessmentDoc.KIND)


def test_teammates_answering_different_statements_both_land(store, teams):
    team = teams["lakeport"]
    rnd = am.Round()
    store.save(SYSTEM, team.id, am.AssessmentDoc(rounds=[rnd]), base_version=0)
    base = store.load(member(team), team.id, am.AssessmentDoc)
    s = [x.id for x in AREA.statements]
    assert am.set_answer(store, member(team, "Ana"), team.id, rnd.id, s[0],
                         am.Answer(level=2), base=base)[0] == "saved"
    outcome, saved, _ = am.set_answer(store, member(team, "Ben"), team.id, rnd.id, s[1],
                                      am.Answer(level=3), base=base)
    assert outcome == "saved"
    assert {k: v.level for k, v in saved.body.latest.answers.items()} == {s[0]: 2, s[1]: 3}


def test_a_teammates_answer_to_the_same_statement_is_not_overwritten(store, teams):
    team = teams["lakeport"]
    rnd = am.Round()
    store.save(SYSTEM, team.id, am.AssessmentDoc(rounds=[rnd]), base_version=0)
    base = store.load(member(team), team.id, am.AssessmentDoc)
    sid = AREA.statements[0].id
    am.set_answer(store, member(team, "Ana"), team.id, rnd.id, sid, am.Answer(level=2),
                  base=base)
    outcome, saved, message = am.set_answer(store, member(team, "Ben"), team.id, rnd.id, sid,
                                            am.Answer(level=4), base=base)
    assert outcome == "conflict" and "Ana answered this statement" in message
    assert saved.body.latest.answers[sid].level == 2


def test_an_evidence_link_must_be_https():
    with pytest.raises(ValueError, match="https://"):
        am.Answer(level=2, evidence_link="javascript:alert(1)")
    assert am.Answer(evidence_link="https://example.org/x").evidence_link


def test_history_shows_each_round_per_area():
    doc = am.demo_document("riverton")
    past = am.history(doc, CONTENT)
    assert [r.label for r, _ in past] == ["Before the Institute", "End of the workshop"]
    assert past[1][1]["financing"] > past[0][1]["financing"]
