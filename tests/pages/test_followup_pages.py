"""The follow-up pages through app.py: a team records a check-in; a facilitator runs webinars."""

import datetime as dt

import pytest

from tests.helpers import open_page, shown
from toolkit import auth
from toolkit import followup as fu
from toolkit.action_plan import demo_document as plan_demo
from toolkit.store import SYSTEM


@pytest.fixture
def riverton(store, key, demo, teams):
    if not store.load(SYSTEM, teams["riverton"].id, type(plan_demo("riverton"))).version:
        store.save(SYSTEM, teams["riverton"].id, plan_demo("riverton"), base_version=0)
    return auth.sign_in_team(store, key, demo["riverton"], "Ana").token


@pytest.fixture
def facilitator(store, demo):
    return auth.sign_in_facilitator(store, auth.ensure_facilitator_password(store), "Fran").token


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def test_a_team_records_a_check_in_prefilled_from_its_plan_and_sees_it_listed(store, teams, riverton):
    at = open_page(riverton, "pages/followup.py")
    next(t for t in at.text_input if t.label == "Name of the check-in").input("May webinar")
    next(t for t in at.text_area if t.label == "Blockers").input("Hospital lawyers, still")
    _button(at, "Save check-in").click().run()
    assert not at.exception, [e.value for e in at.exception]
    saved = store.load(SYSTEM, teams["riverton"].id, fu.FollowUp).body
    check_in = saved.check_ins[-1]  # the demo's two check-ins stay; the new one is added
    assert len(saved.check_ins) == len(fu.demo_document("riverton").check_ins) + 1
    assert check_in.label == "May webinar" and check_in.blockers == "Hospital lawyers, still"
    assert len(check_in.milestones) == len(plan_demo("riverton").milestones)
    assert check_in.recorded_by == "Ana"
    assert any(e.label.startswith("May webinar") for e in at.expander)


def test_the_progress_tab_draws_each_measure_with_a_text_version(store, teams, riverton):
    at = open_page(riverton, "pages/followup.py")  # the demo holds Riverton's check-ins
    assert len(at.get("plotly_chart")) >= 5
    words = " ".join(c.value for c in at.caption)
    assert "Text version: Gun homicides in the four East Side neighborhoods" in words
    assert "40 on Jan 31, 2027, 38 on Mar 31, 2027" in words


def test_a_team_without_an_action_plan_is_told_what_to_do(store, key, demo):
    token = auth.sign_in_team(store, key, demo["lakeport"], "Lee").token
    at = open_page(token, "pages/followup.py")
    assert any("no action plan yet" in i.value for i in at.info)


def test_a_facilitator_schedules_a_webinar_and_marks_attendance(store, teams, facilitator):
    at = open_page(facilitator, "pages/followup_admin.py")
    next(t for t in at.text_input if t.label == "Title").input("Measures, honestly")
    next(d for d in at.date_input if d.label == "Date").set_value(dt.date(2027, 5, 14))
    next(s for s in at.selectbox if s.label == "Time zone").set_value("America/Denver")
    next(t for t in at.text_input if t.label == "Join link").input("https://meet.example.org/x")
    _button(at, "Schedule webinar").click().run()
    assert not at.exception, [e.value for e in at.exception]
    (webinar,) = store.webinars(SYSTEM, teams["riverton"].workshop_id)
    assert (webinar.title, webinar.timezone) == ("Measures, honestly", "America/Denver")
    assert fu.local_start(webinar).hour == 14
    next(c for c in at.checkbox if c.label == "Riverton").check().run()
    assert not at.exception
    assert store.attendance_counts(SYSTEM, webinar.workshop_id) == {webinar.id: 1}


def test_a_link_that_is_not_https_is_refused_with_a_plain_message(store, teams, facilitator):
    at = open_page(facilitator, "pages/followup_admin.py")
    next(t for t in at.text_input if t.label == "Title").input("Bad link")
    next(t for t in at.text_input if t.label == "Join link").input("http://meet.example.org")
    _button(at, "Schedule webinar").click().run()
    assert "https://" in shown(at.error[0].value)
    assert store.webinars(SYSTEM, teams["riverton"].workshop_id) == []
