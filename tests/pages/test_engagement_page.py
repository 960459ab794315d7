"""The engagement page through app.py: map groups, plan tactics, close the loop, check text."""

from pathlib import Path
from typing import ClassVar

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import put
from toolkit import auth
from toolkit import engagement as eg
from toolkit.store import SYSTEM
from toolkit.workshop import Document

APP = str(Path(__file__).resolve().parents[2] / "app.py")


class FakeActionPlan(Document):
    """The action plan's saved JSON, as another tool would write it."""

    KIND: ClassVar[str] = "action_plan"
    milestones: list[dict] = []


def _page(token: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["token"] = token
    at.run()
    at.switch_page("pages/engagement.py").run()
    _ok(at)
    return at


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.title) == 1
    assert not at.error, [e.value for e in at.error]


def _unescaped(text: str) -> str:
    """What a person reads: the escapes and the zero-width spaces common.md adds are unseen."""
    return text.replace("\\", "").replace("\u200b", "")


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def _by_label(widgets, label):
    return next(w for w in widgets if w.label == label)


def _frame_with(at, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _plan(store, team) -> eg.EngagementPlan:
    return store.load(SYSTEM, team.id, eg.EngagementPlan).body


@pytest.fixture
def riverton(store, key, demo):
    return auth.sign_in_team(store, key, demo["riverton"], "Ana").token


@pytest.fixture
def mesa_verde(store, key, demo, teams):
    put(store, SYSTEM, teams["mesa-verde"].id, eg.demo_document("mesa-verde"))
    return auth.sign_in_team(store, key, demo["mesa-verde"], "Rosa").token


def test_a_new_plan_opens_every_part_and_asks_how_input_will_change_a_decision(riverton):
    at = _page(riverton)
    assert at.title[0].value == "4. Resident engagement"
    assert [h.value for h in at.header] == [
        "Who to involve", "How deeply each group takes part", "Tactics", "Languages and access",
        "Closing the loop", "Trust: data about residents", "Digital inclusion roadmap",
        "Plain-language check"]
    assert any(w.value.startswith("Required: say how residents' input will change a decision")
               for w in at.warning)
    assert any("IAP2 Spectrum of Public Participation" in c.value for c in at.caption)


def test_suggested_groups_for_the_teams_area_are_added_and_marked_suggested(store, teams,
                                                                           riverton):
    at = _page(riverton)
    picker = _by_label(at.multiselect, "Add suggested groups")
    assert "violence_interrupters" in picker.options or any(
        "Street outreach" in o for o in picker.options)
    picker.set_value(["youth", "faith_groups"])
    _button(at, "Add these groups").click().run()
    _ok(at)
    plan = _plan(store, teams["riverton"])
    assert [(g.name, g.suggested, g.content_id) for g in plan.groups] == [
        ("Faith groups and their leaders", True, "faith_groups"),
        ("Young people and youth programs", True, "youth")]
    # Added groups are no longer offered.
    assert "youth" not in _by_label(at.multiselect, "Add suggested groups").options


def test_a_group_added_by_hand_lands_on_the_grid_in_the_right_quadrant(store, teams, riverton):
    at = _page(riverton)
    _by_label(at.text_input, "Group name").input("Night-shift nurses")
    _by_label(at.radio, "Influence: how much say they have").set_value(1)
    _by_label(at.radio, "How much the initiative affects them").set_value(5)
    _button(at, "Add group").click().run()
    _ok(at)
    group = _plan(store, teams["riverton"]).groups[0]
    assert (group.name, group.influence, group.affected) == ("Night-shift nurses", 1, 5)
    grid = _frame_with(at, "Where on the grid")
    assert grid.to_dict("records") == [{
        "#": 1, "Group": "Night-shift nurses", "Influence": 1, "Affected": 5,
        "Where on the grid": "Low influence, highly affected",
        "What to do": "Go to them and give them a real say"}]


def test_a_group_without_a_name_is_refused_with_a_plain_message(store, teams, riverton):
    at = _page(riverton)
    _button(at, "Add group").click().run()
    assert [e.value for e in at.error] == ["Give the group a name."]
    assert _plan(store, teams["riverton"]).groups == []


def test_planning_only_online_tactics_warns_who_is_left_out(store, teams, riverton):
    team = teams["riverton"]
    youth = eg.Stakeholder(name="Young people")
    put(store, SYSTEM, team.id, eg.EngagementPlan(groups=[youth]))
    at = _page(riverton)
    _by_label(at.selectbox, "Tactic").set_value("open_online_survey")
    _by_label(at.multiselect, "For which groups").set_value([youth.id])
    _by_label(at.text_input, "Owner").input("Youth office")
    _button(at, "Add to the plan").click().run()
    _ok(at)
    planned = _plan(store, team).tactics
    assert [(t.tactic, t.groups, t.owner) for t in planned] == [
        ("open_online_survey", [youth.id], "Youth office")]
    warnings = [_unescaped(w.value) for w in at.warning]
    assert any(w.startswith("Every tactic in this plan is online. It will leave out people "
                            "without home internet") for w in warnings)


def test_a_tactic_without_groups_is_refused(store, teams, riverton):
    team = teams["riverton"]
    put(store, SYSTEM, team.id, eg.EngagementPlan(groups=[eg.Stakeholder(name="Youth")]))
    at = _page(riverton)
    _by_label(at.selectbox, "Tactic").set_value("focus_groups")
    _button(at, "Add to the plan").click().run()
    assert [e.value for e in at.error] == ["Choose at least one group this tactic is for."]
    assert _plan(store, team).tactics == []


def test_the_statement_of_how_input_changes_a_decision_saves_as_typed(store, teams, riverton):
    at = _page(riverton)
    box = _by_label(at.text_area, "How input will change a decision (required)")
    box.input("Residents choose which two blocks get lighting first.").run()
    _ok(at)
    assert _plan(store, teams["riverton"]).input_changes_decision == (
        "Residents choose which two blocks get lighting first.")
    assert not any(w.value.startswith("Required:") for w in at.warning)


def test_the_plain_language_check_reports_grade_jargon_and_plainer_words(store, teams,
                                                                         riverton):
    at = _page(riverton)
    _by_label(at.text_input, "Title").input("Meeting notice")
    _by_label(at.text_area, "Text residents will read").input(
        "We will utilize stakeholder feedback to prioritize streetlights.")
    _button(at, "Add and check").click().run()
    _ok(at)
    texts = _plan(store, teams["riverton"]).texts
    assert [(x.title, x.kind) for x in texts] == [("Meeting notice", "notice")]
    jargon = _frame_with(at, "Try instead").to_dict("records")
    assert [(j["You wrote"], j["Try instead"]) for j in jargon] == [
        ("utilize", "use"), ("stakeholder", "people affected, partners"),
        ("prioritize", "put first, rank")]
    expected = eg.check_plain_language(texts[0].text).grade_text()
    assert expected.startswith("Reads at grade")
    assert expected in [m.value for m in [*at.success, *at.warning]]


def test_a_spanish_text_is_kept_intact_and_not_given_an_english_grade(store, teams, riverton):
    at = _page(riverton)
    spanish = "¿Cuánto tiempo esperó su autobús hoy? Díganos en la parada."
    _by_label(at.text_input, "Title").input("Pregunta")
    _by_label(at.text_input, "Language of the text").input("Spanish")
    _by_label(at.selectbox, "Kind").set_value("survey_question")
    _by_label(at.text_area, "Text residents will read").input(spanish)
    _button(at, "Add and check").click().run()
    _ok(at)
    saved = _plan(store, teams["riverton"]).texts[0]
    assert (saved.text, saved.language, saved.kind) == (spanish, "Spanish", "survey_question")
    assert any(i.value.endswith("Reading grade applies to English text only.")
               for i in at.info)


def test_the_demo_plan_shows_its_groups_grid_and_texts(mesa_verde):
    at = _page(mesa_verde)
    grid = _frame_with(at, "Where on the grid")
    assert len(grid) == 9
    assert set(grid["What to do"]) == {q.advice for q in eg.QUADRANTS.values()}
    assert "Ayúdenos a que su autobús llegue a tiempo (Notice)" in [
        _unescaped(s.value) for s in at.subheader]
    assert any(t.value.startswith("Los autobuses de la Avenida Central") for t in at.text_area)
    assert not any("online" in w.value for w in at.warning)
    assert len(at.get("plotly_chart")) == 1


def test_milestones_of_an_existing_action_plan_are_offered_for_tactics(store, teams,
                                                                       riverton):
    team = teams["riverton"]
    put(store, SYSTEM, team.id, FakeActionPlan(milestones=[
        {"id": "m1", "name": "Outreach workers hired", "end": "2027-03-31"}]))
    put(store, SYSTEM, team.id, eg.EngagementPlan(groups=[eg.Stakeholder(name="Youth")]))
    at = _page(riverton)
    picker = _by_label(at.selectbox, "Action-plan milestone")
    assert picker.options == ["Outreach workers hired (due Mar 31, 2027)"]


def test_a_facilitator_can_open_a_teams_engagement_page(store, demo, mesa_verde):
    password = auth.ensure_facilitator_password(store)
    token = auth.sign_in_facilitator(store, password, "Fran").token
    at = _page(token)
    assert any(c.value.startswith("Viewing the work of team") for c in at.caption)
    # Read-only until the facilitator chooses to edit.
    assert not any(b.label == "Add group" for b in at.button)
    at.sidebar.toggle[0].set_value(True).run()
    assert any(b.label == "Add group" for b in at.button)


def test_a_guest_reads_the_plan_but_is_offered_nothing_to_change(store, mesa_verde):
    guest = auth._start_session(store, role="guest", name="Expert guest", team_id=None,
                                client="")
    at = _page(guest.token)
    labels = {b.label for b in at.button}
    assert not labels & {"Add group", "Add these groups", "Add to the plan", "Add and check",
                         "Yes, delete it"}


def test_deleting_a_text_asks_first_and_then_removes_only_that_text(store, teams, mesa_verde):
    team = teams["mesa-verde"]
    before = _plan(store, team).texts
    at = _page(mesa_verde)
    next(b for b in at.button if b.label == "Yes, delete it").click().run()
    _ok(at)
    assert [x.id for x in _plan(store, team).texts] == [x.id for x in before[1:]]


def test_a_language_is_added_with_the_teams_estimate_and_its_missing_plan_is_named(
        store, teams, riverton):
    at = _page(riverton)
    _by_label(at.text_input, "Language").input("Spanish")
    _by_label(at.number_input, "Share of residents (%)").set_value(24.5)
    _by_label(at.text_input, "Where the estimate comes from").input("Census, check yearly")
    _button(at, "Add language").click().run()
    _ok(at)
    need = _plan(store, teams["riverton"]).languages[0]
    assert (need.language, need.share_percent, need.source) == (
        "Spanish", 24.5, "Census, check yearly")
    assert ("Spanish: say how you will interpret and translate (who does it, for which "
            "tactics and texts).") in [_unescaped(w.value) for w in at.warning]


def test_a_language_without_a_name_is_refused(store, teams, riverton):
    at = _page(riverton)
    _button(at, "Add language").click().run()
    assert [e.value for e in at.error] == ["Name the language."]
    assert _plan(store, teams["riverton"]).languages == []


def test_data_to_collect_and_never_collect_are_added_and_a_missing_reason_is_named(
        store, teams, riverton):
    at = _page(riverton)
    _by_label(at.text_input, "Data").input("Home address")
    _button(at, "Add data you will collect").click().run()
    _ok(at)
    _button(at, "Add the suggested list of data never to collect (6)").click().run()
    _ok(at)
    plan = _plan(store, teams["riverton"])
    assert [(d.what, d.why) for d in plan.data_collected] == [("Home address", "")]
    assert "Immigration or citizenship status" in [n.what for n in plan.never_collect]
    assert any("Data 'Home address': say why you need it." in _unescaped(c.value)
               for c in at.caption)


def test_groups_at_risk_are_added_to_the_roadmap_from_content(store, teams, riverton):
    at = _page(riverton)
    _by_label(at.multiselect, "Groups at risk of being left out").set_value(
        ["older_adults", "limited_english"])
    _button(at, "Add to the roadmap").click().run()
    _ok(at)
    rows = _plan(store, teams["riverton"]).inclusion
    assert [r.group for r in rows] == ["People who speak limited English", "Older adults"]
    assert all(r.actions and r.partners and not r.measures for r in rows)
    assert "older_adults" not in _by_label(at.multiselect,
                                           "Groups at risk of being left out").options


def test_markdown_typed_in_a_group_name_is_shown_as_typed_not_as_a_link(store, teams,
                                                                        riverton):
    name = "![x](http://example.com/a.png) [click](http://example.com) **loud** :red[x]"
    put(store, SYSTEM, teams["riverton"].id, eg.EngagementPlan(groups=[eg.Stakeholder(
        name=name, influence=1, affected=5, level="inform")]))
    at = _page(riverton)
    warning = next(w.value for w in at.warning if "only informed" in w.value)
    assert "\\!\\[x\\]\\(http\\:" in warning and "\\*\\*loud\\*\\*" in warning
    assert _unescaped(warning).startswith(name)
