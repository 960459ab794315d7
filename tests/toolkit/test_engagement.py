"""The engagement plan: grid placement, warnings, readiness and the plain-language check."""

from __future__ import annotations

import datetime as dt

import pytest
import textstat
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from tests.helpers import member, put
from toolkit import editing
from toolkit import engagement as eg
from toolkit.store import SYSTEM


@pytest.fixture(scope="module")
def eng() -> eg.EngagementFile:
    return eg.load_engagement_content()


@pytest.fixture(scope="module")
def plain() -> eg.PlainLanguageFile:
    return eg.load_plain_language()


def group(name: str, influence: int = 3, affected: int = 3, level: str = "consult",
          **kw) -> eg.Stakeholder:
    return eg.Stakeholder(name=name, influence=influence, affected=affected, level=level, **kw)


def tactic(tactic_id: str, *groups: eg.Stakeholder, **kw) -> eg.PlannedTactic:
    return eg.PlannedTactic(tactic=tactic_id, groups=[g.id for g in groups], **kw)


# --- the grid -------------------------------------------------------------------------------


def test_ratings_of_three_or_more_count_as_high_on_the_grid():
    assert eg.HIGH_FROM == 3
    assert eg.quadrant(influence=3, affected=3) == "partner"
    assert eg.quadrant(influence=2, affected=3) == "reach"
    assert eg.quadrant(influence=3, affected=2) == "satisfy"
    assert eg.quadrant(influence=2, affected=2) == "inform"
    assert eg.quadrant(influence=1, affected=5) == "reach"
    assert eg.quadrant(influence=5, affected=1) == "satisfy"


@given(st.integers(1, 5), st.integers(1, 5))
def test_every_pair_of_ratings_falls_in_the_quadrant_its_two_halves_name(influence, affected):
    q = eg.quadrant(influence, affected)
    expected_label = (("High influence" if influence >= 3 else "Low influence") + ", "
                      + ("highly affected" if affected >= 3 else "less affected"))
    assert eg.QUADRANTS[q].label == expected_label


def test_each_quadrant_has_its_own_marker_shape_so_colour_is_never_the_only_clue():
    shapes = [q.symbol for q in eg.QUADRANTS.values()]
    assert len(set(shapes)) == 4


def test_groups_with_the_same_ratings_are_spread_apart_but_stay_in_their_quadrant():
    groups = [group(f"G{i}", influence=2, affected=5) for i in range(3)] + [group("Alone", 4, 1)]
    placed = eg.place_groups(groups)
    assert [p.number for p in placed] == [1, 2, 3, 4]
    same = placed[:3]
    assert len({(p.x, p.y) for p in same}) == 3
    for p in same:
        assert p.quadrant == "reach"
        assert abs(p.x - 5) <= 0.25 and abs(p.y - 2) <= 0.25
    assert (placed[3].x, placed[3].y, placed[3].quadrant) == (1, 4, "satisfy")


def test_the_grid_in_words_names_every_group_under_its_quadrant():
    words = eg.grid_in_words(eg.place_groups([group("Riders", 2, 5), group("Council", 5, 2),
                                              group("Operators", 4, 4)]))
    assert "High influence, highly affected (work closely with them): Operators" in words
    assert "Low influence, highly affected (go to them and give them a real say): Riders" in words
    assert "High influence, less affected (consult them and keep them on board): Council" in words
    assert "Low influence, less affected" not in words
    assert eg.grid_in_words([]) == "No groups are on the grid yet."


def test_a_rating_outside_one_to_five_is_refused():
    with pytest.raises(ValidationError):
        group("Too much", influence=6)
    with pytest.raises(ValidationError):
        group("Too little", affected=0)


# --- online only ------------------------------------------------------------------------------


def test_a_plan_with_only_online_tactics_warns_and_names_who_is_left_out(eng):
    riders = group("Riders")
    plan = eg.EngagementPlan(groups=[riders], tactics=[
        tactic("open_online_survey", riders), tactic("text_message_survey", riders)])
    warning = eg.online_only_warning(plan, eng)
    assert warning is not None
    assert warning.message.startswith("Every tactic in this plan is online.")
    # From content: the inclusion groups tied to internet, devices and skills...
    for who in ("People without home internet", "People without a suitable device",
                "People with limited digital skills", "Older adults"):
        assert who in warning.left_out
        assert who.lower() in warning.message
    # ...and whom the chosen tactics tend to miss.
    assert "people without a phone or with prepaid limits" in warning.left_out
    assert any(f.message == warning.message for f in eg.warnings(plan, eng))


def test_one_in_person_tactic_removes_the_online_only_warning(eng):
    riders = group("Riders")
    plan = eg.EngagementPlan(groups=[riders], tactics=[
        tactic("open_online_survey", riders), tactic("pop_up_events", riders)])
    assert eg.online_only_warning(plan, eng) is None


def test_a_plan_without_tactics_has_no_online_only_warning(eng):
    assert eg.online_only_warning(eg.EngagementPlan(groups=[group("Riders")]), eng) is None


def test_a_group_reached_only_online_is_named_even_when_others_meet_in_person(eng):
    riders, seniors = group("Riders"), group("Older adults")
    plan = eg.EngagementPlan(groups=[riders, seniors], tactics=[
        tactic("open_online_survey", seniors), tactic("pop_up_events", riders)])
    assert eg.groups_reached_only_online(plan, eng) == [seniors]
    assert "Older adults can only take part online. Add an in-person, phone or paper way." in [
        f.message for f in eg.warnings(plan, eng)]


# --- participation -----------------------------------------------------------------------------


def test_a_level_deeper_than_the_tactics_can_reach_is_named_with_tactics_that_fit(eng):
    disabled = group("People with disabilities", level="collaborate")
    plan = eg.EngagementPlan(groups=[disabled],
                             tactics=[tactic("representative_survey", disabled)])
    messages = [f.message for f in eg.participation_checks(plan, eng)]
    assert len(messages) == 1
    assert messages[0].startswith("You plan to collaborate People with disabilities, but its "
                                  "tactics only reach consult. Add a tactic such as")
    assert "resident advisory boards" in messages[0]


def test_a_highly_affected_group_that_is_only_informed_is_questioned(eng):
    plan = eg.EngagementPlan(groups=[group("Riders", influence=1, affected=5, level="inform"),
                                     group("Council", influence=5, affected=1, level="inform")])
    messages = [f.message for f in eg.participation_checks(plan, eng)]
    assert messages == ["Riders is highly affected but only informed. Think about consulting "
                        "or involving them."]


# --- languages -------------------------------------------------------------------------------


def test_language_coverage_names_languages_without_a_plan_a_tactic_or_a_text(eng):
    riders = group("Riders")
    plan = eg.EngagementPlan(
        groups=[riders],
        languages=[eg.LanguageNeed(language="English", share_percent=70),
                   eg.LanguageNeed(language="Spanish", share_percent=25)],
        tactics=[tactic("pop_up_events", riders, languages=["English", "Vietnamese"])],
        texts=[eg.ResidentText(title="Notice", language="English", text="Come and talk.")])
    messages = [f.message for f in eg.language_coverage(plan, eng)]
    assert messages == [
        "Spanish: say how you will interpret and translate (who does it, for which tactics "
        "and texts).",
        "No tactic is planned in Spanish yet.",
        "No resident-facing text is written in Spanish yet.",
        "Tactics are planned in Vietnamese, which is not on your language list. Add it with an "
        "estimate of who speaks it.",
    ]


def test_languages_match_whatever_their_case_and_english_needs_no_translation_plan(eng):
    riders = group("Riders")
    plan = eg.EngagementPlan(
        groups=[riders],
        languages=[eg.LanguageNeed(language="English"),
                   eg.LanguageNeed(language="Spanish", translation="By people")],
        tactics=[tactic("pop_up_events", riders, languages=["spanish "])],
        texts=[eg.ResidentText(language="SPANISH", text="Hola.")])
    assert eg.language_coverage(plan, eng) == []


# --- the action plan's milestones --------------------------------------------------------------


def test_milestones_are_read_from_the_action_plans_json_whatever_its_shape():
    body = {"goal": "x", "milestones": [
        {"id": "m2", "name": "Launch the pilot", "end": "2027-06-30"},
        {"id": "m1", "title": "Hire the product owner", "due": "2027-02-01T00:00:00"},
        {"name": "no id, skipped"}],
        "phases": [{"name": "Phase 1", "milestones": [{"id": "m3", "milestone": "Survey"}]}]}
    refs = eg.action_plan_milestones(body)
    assert [(m.id, m.name, m.due) for m in refs] == [
        ("m1", "Hire the product owner", dt.date(2027, 2, 1)),
        ("m2", "Launch the pilot", dt.date(2027, 6, 30)),
        ("m3", "Survey", None)]


@pytest.mark.parametrize("body", [None, {}, [], "text", {"milestones": "soon"},
                                  {"milestones": [{"id": 7, "end": "not a date"}]}])
def test_an_action_plan_without_usable_milestones_gives_none_and_never_fails(body):
    assert eg.action_plan_milestones(body) == []


def test_a_tactic_linked_to_a_missing_or_earlier_milestone_is_flagged(eng):
    riders = group("Riders")
    refs = [eg.MilestoneRef("m1", "Survey results in", dt.date(2027, 3, 31))]
    plan = eg.EngagementPlan(groups=[riders], tactics=[
        tactic("pop_up_events", riders, when=dt.date(2027, 4, 15), milestone="m1"),
        tactic("representative_survey", riders, when=dt.date(2027, 3, 1), milestone="gone"),
        tactic("focus_groups", riders, when=dt.date(2027, 3, 1), milestone="m1")])
    assert [f.message for f in eg.milestone_checks(plan, eng, refs)] == [
        "Pop-ups where people already are is planned for April 15, 2027, after its milestone "
        "'Survey results in' is due.",
        "Representative surveys is linked to a milestone that is no longer in the action plan. "
        "Link it again."]
    assert eg.milestone_checks(plan, eng, None) == []  # no action plan yet: nothing to check


def test_the_timeline_lists_tactics_by_date_with_their_milestone_and_undated_last(eng):
    riders = group("Riders")
    refs = [eg.MilestoneRef("m1", "Pilot starts", dt.date(2027, 5, 1))]
    plan = eg.EngagementPlan(groups=[riders], tactics=[
        tactic("focus_groups", riders),
        tactic("pop_up_events", riders, when=dt.date(2027, 4, 1), month_only=True,
               milestone="m1"),
        tactic("community_meeting", riders, when=dt.date(2027, 2, 9))])
    rows = eg.timeline(plan, eng, refs)
    assert [(r.when, r.tactic, r.milestone) for r in rows] == [
        ("February 9, 2027", "Community meetings", ""),
        ("April 2027", "Pop-ups where people already are", "Pilot starts (due May 01, 2027)"),
        ("Not scheduled", "Focus groups", "")]


# --- readiness -------------------------------------------------------------------------------


def test_an_empty_plan_names_every_part_that_is_missing(eng):
    found = eg.readiness(eg.EngagementPlan(), eng)
    parts = {f.part for f in found}
    assert parts == {"Stakeholders", "Tactics", "Languages & access",
                     "Closing the loop & trust", "Digital inclusion", "Plain-language check"}
    assert eg.Finding("Closing the loop & trust", "Required: say how residents' input will "
                      "change a decision.") in found


def test_readiness_names_the_exact_row_that_lacks_something(eng):
    riders = group("Riders", level="involve")
    seniors = group("Older adults")
    plan = eg.demo_document("mesa-verde").model_copy(update={
        "groups": [riders, seniors],
        "tactics": [tactic("pop_up_events", riders, owner="")],
        "languages": [eg.LanguageNeed(language="Tagalog")],
        "data_collected": [eg.DataUse(what="Home address")],
        "inclusion": [eg.InclusionStep(group="Older adults", actions="Classes")],
        "input_changes_decision": "",
    })
    messages = [f.message for f in eg.readiness(plan, eng)]
    assert messages == [
        "Riders: name the decisions they take part in.",
        "Older adults has no tactic planned yet.",
        "Pop-ups where people already are: give it a date or a month.",
        "Pop-ups where people already are: name who owns it.",
        "Tagalog: estimate the share or number of residents who speak it.",
        "Required: say how residents' input will change a decision.",
        "Data 'Home address': say why you need it.",
        "Older adults: say how you will measure progress.",
    ]


def test_a_tactic_whose_groups_were_all_removed_asks_for_groups_again(eng):
    plan = eg.EngagementPlan(tactics=[eg.PlannedTactic(tactic="focus_groups",
                                                       groups=["deleted"])])
    assert "Focus groups: choose the groups it is for." in [
        f.message for f in eg.readiness(plan, eng)]


# --- the plain-language check -----------------------------------------------------------------


def test_twenty_one_syllable_words_in_one_sentence_read_at_grade_four(plain):
    # Flesch-Kincaid: 0.39 x 20 words per sentence + 11.8 x 1 syllable per word - 15.59 = 4.01
    report = eg.check_plain_language(" ".join(["bus"] * 20) + ".", plain)
    assert report.grade == 4.0
    assert report.language is None and report.words == 20
    assert report.long_sentences == ()
    assert report.grade_ok and report.ok
    assert report.grade_text() == "Reads at grade 4.0, which meets the goal of grade 8 or lower."


def test_a_sentence_of_twenty_one_words_is_long_and_twenty_is_not(plain):
    report = eg.check_plain_language(" ".join(["bus"] * 21) + ". " + " ".join(["car"] * 20)
                                     + ".", plain)
    assert [(s.words, s.text[:7]) for s in report.long_sentences] == [(21, "bus bus")]
    assert report.max_sentence_words == 20
    assert not report.ok


def test_dense_official_text_is_above_the_goal_and_gets_textstats_own_grade(plain):
    text = ("Pursuant to the aforementioned municipal ordinance, the administration will "
            "operationalize interoperability requirements notwithstanding organizational "
            "considerations.")
    report = eg.check_plain_language(text, plain)
    assert report.grade == textstat.flesch_kincaid_grade(text)
    assert report.grade > 20
    assert not report.grade_ok
    assert report.grade_text().endswith("which is above the goal of grade 8 or lower.")


def test_lines_without_end_marks_count_as_sentences_so_answer_options_do_not_inflate_the_grade(
        plain):
    question = ("How long did you wait for your bus today\nLess than ten minutes\n"
                "Ten to twenty minutes\nMore than twenty minutes")
    report = eg.check_plain_language(question, plain)
    assert report.grade == textstat.flesch_kincaid_grade(
        "How long did you wait for your bus today. Less than ten minutes. Ten to twenty "
        "minutes. More than twenty minutes.")
    # Read as one run-on sentence, the same question would score four grades higher.
    assert report.grade + 4 < textstat.flesch_kincaid_grade(question)
    assert eg.sentences(question)[1:] == ["Less than ten minutes", "Ten to twenty minutes",
                                          "More than twenty minutes"]


def test_jargon_is_found_in_any_form_and_offered_plainer_words_in_order(plain):
    report = eg.check_plain_language(
        "Stakeholders utilized the portal. We will Utilize feedback in order to prioritize "
        "fixes and facilitating meetings.", plain)
    assert [(j.found, j.term) for j in report.jargon] == [
        ("Stakeholders", "stakeholder"), ("utilized", "utilize"), ("Utilize", "utilize"),
        ("in order to", "in order to"), ("prioritize", "prioritize"),
        ("facilitating", "facilitate")]
    first = report.jargon[0]
    assert first.plain == ("people affected", "partners")
    assert first.note == 'Name the actual group when you can, such as "bus riders".'
    assert report.jargon[1].plain == ("use",)


def test_the_longest_jargon_term_wins_and_words_inside_other_words_are_not_jargon(plain):
    report = eg.check_plain_language("The capital expenditure covers implementation. "
                                     "Implementers and users agree.", plain)
    assert [j.term for j in report.jargon] == ["capital expenditure", "implementation"]


def test_plain_text_has_no_jargon(plain):
    report = eg.check_plain_language("Tell us which stops and times are the worst.", plain)
    assert report.jargon == () and report.ok


@pytest.mark.parametrize(("text", "language"), [
    ("Los autobuses de la Avenida Central llegan tarde con frecuencia. Queremos cambiar eso "
     "y necesitamos su ayuda.", "Spanish"),
    ("¿Cuánto tiempo esperó su autobús hoy?", "Spanish"),
    ("公交车将准时到达。请告诉我们您的意见。", "Chinese"),
    ("バスは時間どおりに来ますか。", "Japanese"),
    ("ستصل الحافلات في الوقت المحدد. أخبرنا برأيك.", "Arabic"),
    ("Автобусы будут приходить вовремя.", "Cyrillic-script"),
    ("버스가 제시간에 옵니다.", "Korean"),
])
def test_text_that_is_not_english_gets_no_grade_and_says_why(plain, text, language):
    report = eg.check_plain_language(text, plain)
    assert report.language == language
    assert report.grade is None
    assert report.language_note == "Reading grade applies to English text only."
    assert "Reading grade applies to English text only." in report.grade_text()
    assert report.grade_ok  # no grade, so no false alarm either


def test_textstat_would_give_spanish_a_misleading_grade_which_the_check_withholds(plain):
    text = "Los autobuses llegarán a tiempo en la Avenida Central."
    assert textstat.flesch_kincaid_grade(text) > 0  # a number, but a meaningless one
    assert eg.check_plain_language(text, plain).grade is None


def test_english_with_a_spanish_place_name_is_still_english(plain):
    report = eg.check_plain_language(
        "Meet us at the Plaza de la Paz stop on Saturday. We will have shade, water and "
        "seats for you and your family.", plain)
    assert report.language is None and report.grade is not None


def test_a_bilingual_text_in_one_box_is_flagged_rather_than_graded(plain):
    report = eg.check_plain_language(
        "The bus is late. We want to fix it. El autobús llega tarde. Queremos arreglarlo con "
        "su ayuda para que llegue a tiempo.", plain)
    assert report.language == "English mixed with Spanish"
    assert report.grade is None


def test_an_empty_text_has_nothing_to_check(plain):
    for text in ("", "   \n ", "1234 56"):
        report = eg.check_plain_language(text, plain)
        assert (report.words, report.grade, report.jargon) == (0, None, ())
        assert report.grade_text() == "Nothing to check yet."


def test_a_resident_text_above_the_goal_shows_up_among_the_warnings(eng, plain):
    plan = eg.EngagementPlan(texts=[eg.ResidentText(
        title="Notice", text="Pursuant to the aforementioned ordinance, interoperability "
                             "requirements necessitate organizational reconsideration.")])
    messages = [f.message for f in eg.warnings(plan, eng, None, plain)]
    assert any(m.startswith("'Notice' reads at grade ") and m.endswith("aim for 8 or lower.")
               for m in messages)


# --- suggestions, demo and storage -----------------------------------------------------------


def test_suggested_groups_come_from_the_area_and_are_never_added_twice(eng):
    mobility = eg.suggested_groups("mobility", eng)
    assert "transit_riders" in [g.id for g in mobility]
    assert eg.suggested_groups("", eng) == eng.stakeholder_groups["other"]
    plan = eg.EngagementPlan(groups=[group("Older adults")])
    new = eg.new_suggested("mobility", ["transit_riders", "older_adults", "nope"], plan, eng)
    assert [(g.name, g.suggested, g.content_id) for g in new] == [
        ("Bus and train riders", True, "transit_riders")]
    assert new[0].note.startswith("They know which trips")


def test_a_roadmap_row_starts_from_the_content_for_that_group(eng):
    barrier = next(b for b in eng.inclusion_barriers if b.id == "older_adults")
    row = eg.roadmap_row(barrier)
    assert (row.barrier_id, row.group) == ("older_adults", "Older adults")
    assert "Keep a phone and in-person route for every service" in row.actions
    assert "senior centers" in row.partners and row.measures == ""


def test_the_demo_plan_is_complete_mixed_in_channels_and_plain(eng, plain):
    plan = eg.demo_document("mesa-verde")
    assert eg.demo_document("riverton") is None
    assert plan.started and eg.readiness(plan, eng) == []
    assert eg.online_only_warning(plan, eng) is None
    assert {p.quadrant for p in eg.place_groups(plan.groups)} == set(eg.QUADRANTS)
    assert "representative_survey" in [t.tactic for t in plan.tactics]
    assert {x.language for x in plan.texts} == {"English", "Spanish"}
    for x in plan.texts:
        report = eg.check_plain_language(x.text, plain)
        if x.language == "English":
            assert report.ok, (x.title, report)
        else:
            assert report.language == "Spanish"
    ids = {g.id for g in plan.groups}
    assert all(set(t.groups) <= ids for t in plan.tactics)


def test_text_in_spanish_chinese_and_arabic_is_stored_and_read_back_intact(store, teams):
    team = teams["riverton"]
    actor = member(team)
    texts = ["¿Cuánto tiempo esperó su autobús hoy? Ñandú, acción.",
             "公交车将准时到达。请告诉我们您的意见。", "ستصل الحافلات في الوقت المحدد"]
    plan = eg.EngagementPlan(
        groups=[group("Vecinos del barrio Año Nuevo")],
        texts=[eg.ResidentText(title=t[:20], text=t) for t in texts])
    put(store, actor, team.id, plan)
    loaded = store.load(actor, team.id, eg.EngagementPlan).body
    assert [x.text for x in loaded.texts] == texts
    assert loaded.groups[0].name == "Vecinos del barrio Año Nuevo"


def test_two_teammates_adding_different_groups_at_once_both_land(store, teams):
    team = teams["lakeport"]
    base = store.load(SYSTEM, team.id, eg.EngagementPlan)
    first = editing.edit_list(store, member(team, "Ana"), team.id, eg.EngagementPlan, "groups",
                              upserts=[group("Owners")], base=base)
    second = editing.edit_list(store, member(team, "Lee"), team.id, eg.EngagementPlan,
                               "groups", upserts=[group("Contractors")], base=base)
    assert (first.outcome, second.outcome) == ("saved", "saved")
    names = [g.name for g in store.load(SYSTEM, team.id, eg.EngagementPlan).body.groups]
    assert names == ["Owners", "Contractors"]


def test_a_text_over_its_limit_is_refused_with_a_plain_message():
    with pytest.raises(ValidationError) as caught:
        eg.ResidentText(title="Long", text="x" * 4001)
    assert editing.plain_validation_message(caught.value, eg.FIELD_LABELS) == (
        "Text: use 4000 characters or fewer.")
