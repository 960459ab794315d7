"""Every page through app.py with AppTest, as a team member and as a facilitator."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import FACILITATOR, shown
from toolkit import auth
from toolkit import workshop as ws
from toolkit.store import SYSTEM

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TEAM_PAGES = ["pages/home.py", "pages/assessment.py", "pages/budget.py", "pages/action_plan.py",
              "pages/questions.py", "pages/engagement.py", "pages/guidebook.py",
              "pages/blueprint.py", "pages/followup.py"]
FACILITATOR_PAGES = ["pages/workshop.py", "pages/teams.py", "pages/clinic.py",
                     "pages/peer_round.py", "pages/followup_admin.py", *TEAM_PAGES]


def _app(token: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    if token:
        at.session_state["token"] = token
    return at.run()


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.title) == 1, "every page has exactly one H1"
    return at


def _input(at: AppTest, label: str):
    return next(w for w in at.text_input if w.label == label)


def test_a_visitor_sees_only_the_sign_in_page(demo):
    at = _ok(_app())
    assert at.title[0].value == "Sign in to ISC Blueprint"


def test_joining_with_the_code_on_the_card_opens_the_team_home(store, demo):
    at = _app()
    _input(at, "Join code").input(demo["riverton"].lower())
    _input(at, "Your name").input("Ana")
    next(b for b in at.button if b.label == "Join").click()
    at.run()  # signed in; the browser is sent to swap the ticket for a cookie
    at.run()
    _ok(at)
    assert at.title[0].value == "Riverton: team home"


def test_a_wrong_join_code_gets_a_plain_message_and_no_session(demo):
    at = _app()
    _input(at, "Join code").input("AAAA-BBBB-CCCCC")
    _input(at, "Your name").input("Ana")
    next(b for b in at.button if b.label == "Join").click()
    at.run()
    assert "does not match any team" in at.error[0].value
    assert "token" not in at.session_state


def test_a_wrong_facilitator_password_is_refused(store, demo):
    auth.ensure_facilitator_password(store)
    at = _app()
    next(w for w in at.text_input if w.label == "Facilitator password").input("guess")
    next(b for b in at.button if b.label == "Sign in").click()
    at.run()
    assert "not right" in at.error[0].value


@pytest.mark.parametrize("page", [*TEAM_PAGES, "pages/feedback.py", "pages/peer.py"])
def test_every_team_page_renders_for_a_team_member(team_token, page):
    at = _app(team_token)
    at.switch_page(page).run()
    _ok(at)


@pytest.mark.parametrize("page", FACILITATOR_PAGES)
def test_every_page_renders_for_a_facilitator(facilitator_token, page):
    at = _app(facilitator_token)
    at.switch_page(page).run()
    _ok(at)


def test_a_team_member_cannot_open_facilitator_pages(team_token, demo):
    at = _app(team_token)
    for page in ("pages/teams.py", "pages/workshop.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)
    rendered = " ".join(str(e.value) for e in at.markdown) + str(at.dataframe)
    for code in demo.values():
        assert code not in rendered


def test_editing_the_initiative_title_saves_it_at_once(store, team_token, teams):
    at = _app(team_token)
    _input(at, "Initiative title").input("Stop the shootings on Elm Street").run()
    _ok(at)
    saved = store.load(SYSTEM, teams["riverton"].id, ws.Initiative)
    assert saved.body.title == "Stop the shootings on Elm Street"
    assert saved.saved_by == "Ana"
    assert any("All changes saved" in c.value for c in at.caption)


def test_a_teammates_save_of_the_same_field_is_not_overwritten(store, key, demo, teams,
                                                                 team_token):
    ana = _app(team_token)
    ben_token = auth.sign_in_team(store, key, demo["riverton"], "Ben").token
    ben = _app(ben_token)
    _input(ben, "Initiative title").input("Ben's title").run()
    _input(ana, "Initiative title").input("Ana's title").run()
    assert "Ben changed initiative title" in ana.error[0].value
    assert _input(ana, "Initiative title").value == "Ben's title"
    assert any(t.value == "Ana's title" for t in ana.text_area if t.label == "Your text, not saved")
    assert store.load(SYSTEM, teams["riverton"].id, ws.Initiative).body.title == "Ben's title"


def test_an_oversized_entry_is_cut_to_the_limit_the_field_shows(store, team_token, teams):
    at = _app(team_token)
    _input(at, "City").set_value("x" * 500)  # the server enforces max_chars too
    at.run()
    assert store.load(SYSTEM, teams["riverton"].id, ws.TeamProfile).body.city == "x" * 80


def test_emptying_a_required_field_is_saved_and_named_as_missing(store, team_token, teams):
    at = _app(team_token)
    _input(at, "Mayor").input("   ").run()
    _ok(at)
    assert store.load(SYSTEM, teams["riverton"].id, ws.TeamProfile).body.mayor == ""
    assert "Your Blueprint still needs: Mayor." in at.warning[0].value


def test_the_blueprint_page_offers_the_pdf(team_token):
    at = _app(team_token)
    at.switch_page("pages/blueprint.py").run()
    _ok(at)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download the one-page mayor's brief (PDF)", "Download the Blueprint (PDF)",
                      "Download the workbook (Excel)", "Download the portable file (JSON)"]
    assert at.multiselect[0].value == ["assessment", "budget", "action_plan", "questions",
                                       "clinic", "sources"]


def test_a_facilitator_sees_join_codes_only_after_asking(facilitator_token, demo):
    at = _app(facilitator_token)
    at.switch_page("pages/teams.py").run()
    assert demo["riverton"] not in str(at.dataframe[0].value)
    at.toggle[0].set_value(True).run()
    assert demo["riverton"] in at.dataframe[0].value.to_string()


def test_a_facilitator_can_add_a_team_and_gets_its_code(store, facilitator_token, demo):
    at = _app(facilitator_token)
    at.switch_page("pages/teams.py").run()
    _input(at, "City").input("Port Alder")
    _input(at, "State").input("WA")
    next(b for b in at.button if b.label == "Add team").click()
    at.run()
    _ok(at)
    assert "Added Port Alder" in at.success[0].value
    assert store.find_team(SYSTEM, "port-alder").city == "Port Alder"


def test_a_facilitator_views_the_team_picked_in_the_sidebar(facilitator_token, teams):
    at = _app(facilitator_token)
    at.switch_page("pages/home.py").run()
    at.sidebar.selectbox[0].set_value(teams["mesa-verde"].id).run()
    _ok(at)
    assert at.title[0].value == "Mesa Verde: team home"


def test_signing_out_ends_the_session(store, team_token):
    at = _app(team_token)
    next(b for b in at.sidebar.button if b.label == "Sign out").click()
    at.run()
    assert auth.session_for_token(store, team_token) is None
    at.run()
    assert at.title[0].value == "Sign in to ISC Blueprint"


def test_a_broken_content_file_shows_which_file_and_field_not_a_traceback(
        team_token, tmp_path, monkeypatch):
    import shutil

    from toolkit import content

    broken = tmp_path / "content"
    shutil.copytree(content.CONTENT_DIR, broken)
    (broken / "tools.yaml").write_text("maintainer: x\nlast_reviewed: 2026-01-01\ntools: []\n")
    monkeypatch.setenv("ISC_CONTENT_DIR", str(broken))
    content.clear_cache()
    at = _app(team_token)
    assert not at.exception
    assert "tools.yaml" in at.error[0].value and "tools" in at.error[0].value


def test_an_earlier_version_of_the_initiative_can_be_restored(store, team_token, teams):
    at = _app(team_token)
    _input(at, "Initiative title").input("A worse title").run()
    assert store.load(SYSTEM, teams["riverton"].id, ws.Initiative).body.title == "A worse title"
    # The panel reads the versions only while it is open.
    assert not [b for b in at.button if b.label == "Restore"]
    at.session_state[f"history:initiative:{teams['riverton'].id}"] = True
    at.run()
    restore = [b for b in at.button if b.label == "Restore"]
    restore[-1].click().run()  # the oldest version: the demo's own title
    _ok(at)
    saved = store.load(SYSTEM, teams["riverton"].id, ws.Initiative)
    assert saved.body.title.startswith("Cut gun homicides")
    assert saved.version == 3


def test_a_facilitator_adds_teams_from_a_csv_and_bad_rows_are_named(store, facilitator_token,
                                                                     demo):
    at = _app(facilitator_token)
    at.switch_page("pages/teams.py").run()
    data = b"City,State,Priority area\nPort Alder,WA,Mobility\nRiverton,OH,\nNowhere,,Housing\n"
    at.file_uploader[0].set_value(("teams.csv", data, "text/csv")).run()
    errors = " ".join(shown(e.value) for e in at.error)
    assert "Row 3: Riverton already has a team" in errors
    assert "Row 4: priority area 'Housing'" in errors
    next(b for b in at.button if b.label == "Add these 1 teams").click().run()
    _ok(at)
    assert store.find_team(SYSTEM, "port-alder").city == "Port Alder"


def test_join_cards_wait_for_the_address_people_will_open(facilitator_token):
    at = _app(facilitator_token)
    at.switch_page("pages/teams.py").run()
    button = next(b for b in at.get("download_button") if "join cards" in b.proto.label)
    assert button.proto.disabled
    next(t for t in at.text_input if t.label == "Address people will open").input(
        "http://10.0.0.5:8501").run()
    button = next(b for b in at.get("download_button") if "join cards" in b.proto.label)
    assert not button.proto.disabled


def test_a_team_restores_its_work_from_a_portable_file(store, key, demo, teams):
    from toolkit import portable

    source = portable.dumps(portable.export_team(store, SYSTEM, teams["mesa-verde"].id))
    token = auth.sign_in_team(store, key, demo["lakeport"], "Lee").token
    at = _app(token)
    at.switch_page("pages/blueprint.py").run()
    at.file_uploader[0].set_value(("mesa.json", source.encode(), "application/json")).run()
    assert "mesa-verde" in " ".join(shown(m.value) for m in at.markdown)
    at.checkbox[0].check().run()
    next(b for b in at.button if b.label == "Restore").click().run()
    _ok(at)
    title = store.load(SYSTEM, teams["lakeport"].id, ws.Initiative).body.title
    assert title == "Reliable buses on the two busiest corridors"


def test_a_broken_portable_file_is_refused_on_the_page(team_token):
    at = _app(team_token)
    at.switch_page("pages/blueprint.py").run()
    at.file_uploader[0].set_value(("x.json", b"{oops", "application/json")).run()
    assert "x.json: The file is not valid JSON" in shown(at.error[0].value)


def test_a_peer_round_started_by_the_facilitator_shows_each_team_its_assigned_case_study(
        store, key, demo, teams, facilitator_token):
    at = _app(facilitator_token)
    at.switch_page("pages/peer_round.py").run()
    next(b for b in at.button if b.label == "Start the round").click().run()
    _ok(at)
    assert any("Open: Peer round 1" in s.value for s in at.success)
    riverton = _app(auth.sign_in_team(store, key, demo["riverton"], "Ana").token)
    riverton.switch_page("pages/peer.py").run()
    _ok(riverton)
    shown = [h.value for h in riverton.subheader]
    assert len(shown) == 1 and shown[0] != "Riverton, OH"


def test_the_facilitator_timer_counts_down_for_teams(store, key, demo, facilitator_token):
    at = _app(facilitator_token)
    at.switch_page("pages/peer_round.py").run()
    next(b for b in at.button if b.label.startswith("Read the case study")).click().run()
    team = _app(auth.sign_in_team(store, key, demo["riverton"], "Ana").token)
    team.switch_page("pages/peer.py").run()
    assert any("Read the case study:" in i.value and "left" in i.value for i in team.info)


def test_presentation_mode_never_shows_join_codes(store, key, demo, facilitator_token):
    code = auth.create_invite(store, FACILITATOR, key, role="guest", name="Expert")
    at = _app(facilitator_token)
    at.switch_page("pages/present.py").run()
    _ok(at)
    shown = [at.title[0].value, *[e.value for e in at.markdown], *[m.value for m in at.metric]]
    for team_id in [t.id for t in store.list_teams(SYSTEM)]:
        at.sidebar.radio[0].set_value(team_id).run()
        _ok(at)
        shown += [at.title[0].value, *[e.value for e in at.markdown],
                  *[h.value for h in at.header], *[t.value for t in at.text]]
    everything = " ".join(str(x) for x in shown)
    assert "Riverton, OH" in everything and "Cut gun homicides" in everything
    for secret in [*demo.values(), code]:
        assert secret not in everything
        assert auth.normalize_code(secret) not in everything.replace("-", "")


def test_a_facilitator_opens_team_pages_read_only_until_choosing_to_edit(
        store, facilitator_token, teams):
    at = _app(facilitator_token)
    at.switch_page("pages/home.py").run()
    assert all(t.disabled for t in at.text_input)
    at.sidebar.toggle[0].set_value(True).run()
    _input(at, "Initiative title").input("Facilitator's correction").run()
    _ok(at)
    saved = store.load(SYSTEM, teams["riverton"].id, ws.Initiative)
    assert saved.body.title == "Facilitator's correction" and saved.saved_by == "Fran"
