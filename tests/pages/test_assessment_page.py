"""The self-assessment page through app.py."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import as_read
from toolkit import assessment as am
from toolkit import auth
from toolkit.store import SYSTEM

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def _page(token: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["token"] = token
    at.run()
    at.switch_page("pages/assessment.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def lakeport(store, key, demo):
    return auth.sign_in_team(store, key, demo["lakeport"], "Lee").token


def test_a_team_starts_the_assessment_and_each_answer_is_saved(store, teams, lakeport):
    at = _page(lakeport)
    next(b for b in at.button if b.label == "Start the assessment").click().run()
    assert not at.exception
    first = am.load_assessment().areas[0].statements[0]
    radio = next(r for r in at.radio if r.label == first.text)
    radio.set_value(2).run()
    assert not at.exception
    doc = store.load(SYSTEM, teams["lakeport"].id, am.AssessmentDoc).body
    assert doc.latest.answers[first.id].level == 2
    radio = next(r for r in at.radio if r.label == first.text)
    radio.set_value("not_sure").run()
    doc = store.load(SYSTEM, teams["lakeport"].id, am.AssessmentDoc).body
    assert doc.latest.answers[first.id].not_sure


def test_a_bad_evidence_link_is_refused_with_a_message(store, teams, lakeport):
    at = _page(lakeport)
    next(b for b in at.button if b.label == "Start the assessment").click().run()
    link = next(t for t in at.text_input if t.label == "Evidence link (optional)")
    link.input("javascript:alert(1)").run()
    assert any("https://" in as_read(e.value) for e in at.error)
    doc = store.load(SYSTEM, teams["lakeport"].id, am.AssessmentDoc).body
    assert not doc.latest.answers


def test_the_demo_team_sees_results_next_steps_and_change_over_time(store, key, demo):
    token = auth.sign_in_team(store, key, demo["riverton"], "Ana").token
    at = _page(token)
    assert any(m.label == "Overall (1 to 4)" for m in at.metric)
    headers = [h.value for h in at.header]
    assert "Next steps for the three weakest areas" in headers
    assert any("Responsible use of AI" in s.value for s in at.subheader)


def test_a_team_is_told_the_cohort_median_waits_for_five_teams(store, key, demo):
    token = auth.sign_in_team(store, key, demo["riverton"], "Ana").token
    at = _page(token)
    assert any("at least 5 teams" in i.value for i in at.info)


def test_a_facilitator_sees_each_citys_scores(store, demo):
    password = auth.ensure_facilitator_password(store)
    at = _page(auth.sign_in_facilitator(store, password).token)
    assert "1 of 3 teams have answered" in " ".join(m.value for m in at.markdown)
