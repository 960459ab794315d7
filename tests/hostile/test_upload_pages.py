"""Each uploader on its page: a bad file shows a plain message naming it, with no exception
on screen and nothing saved; a good file in an awkward encoding previews correctly."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.helpers import open_page, shown
from tests.hostile import battery, files
from toolkit import portable
from toolkit.store import SYSTEM

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def _upload(at: AppTest, key_start: str, name: str, data: bytes, mime: str) -> AppTest:
    uploader = next(u for u in at.get("file_uploader") if u.proto.id.find(key_start) >= 0
                    or (u.key or "").startswith(key_start))
    uploader.set_value((name, data, mime)).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _errors(at: AppTest) -> str:
    return " ".join(shown(e.value) for e in at.error)


def test_a_zip_bomb_on_the_budget_page_is_refused_and_the_budget_kept(store, teams, team_token):
    before = store.current_budget(SYSTEM, teams["riverton"].id)
    at = open_page(team_token, "pages/budget.py")
    _upload(at, "budget_upload", "bomb.xlsx", files.zip_bomb(60), "application/vnd.ms-excel")
    assert '"bomb.xlsx" would unpack to far more data than a budget needs' in _errors(at)
    assert not any(b.label == "Import this budget" for b in at.button)
    assert store.current_budget(SYSTEM, teams["riverton"].id) == before


def test_a_budget_file_named_with_markup_shows_its_name_as_text(store, teams, team_token):
    at = open_page(team_token, "pages/budget.py")
    name = "![x](http:203.0.113.9) <img src=x onerror=alert(1)>.pdf"
    _upload(at, "budget_upload", name, files.PDF, "application/pdf")
    assert f'"{name}" is a PDF document' in _errors(at)
    assert battery.live_on_page(at) == [] and "![x](http" not in at.error[0].value


def test_a_pdf_on_the_guidebook_import_is_refused_and_nothing_added(store, facilitator_token):
    before = store.guide_search(SYSTEM, limit=1).total
    at = open_page(facilitator_token, "pages/guidebook.py")
    _upload(at, "gb_upload", "guide.csv", files.PDF, "text/csv")
    assert '"guide.csv" is a PDF document, not a CSV file' in _errors(at)
    assert store.guide_search(SYSTEM, limit=1).total == before


def test_a_workbook_named_csv_on_the_teams_page_is_refused_and_no_team_added(
        store, facilitator_token):
    before = len(store.list_teams(SYSTEM))
    at = open_page(facilitator_token, "pages/teams.py")
    _upload(at, "teams_csv", "teams.csv", files.XLSX, "text/csv")
    assert '"teams.csv" is an Excel workbook or a zip archive, not a CSV file' in _errors(at)
    assert not any(b.label.startswith("Add these") for b in at.button)
    assert len(store.list_teams(SYSTEM)) == before


def test_a_utf16_teams_file_previews_with_its_accents_and_markup_as_text(store,
                                                                        facilitator_token):
    at = open_page(facilitator_token, "pages/teams.py")
    data = f"city,state\nEspañola,NM\n\"{battery.IMG.replace(chr(34), chr(34) * 2)}\",OH\n"
    _upload(at, "teams_csv", "teams.csv", data.encode("utf-16"), "text/csv")
    assert _errors(at) == ""
    preview = at.dataframe[-1].value
    assert list(preview["City"]) == ["Española", battery.IMG]
    next(b for b in at.button if b.label == "Add these 2 teams").click().run()
    assert not at.exception
    assert {t.city for t in store.list_teams(SYSTEM)} >= {"Española", battery.IMG}
    assert battery.live_on_page(at) == []


def test_a_deeply_nested_json_on_the_blueprint_page_is_refused(store, teams, team_token):
    before = store.document_bodies(SYSTEM, teams["riverton"].id)
    at = open_page(team_token, "pages/blueprint.py")
    _upload(at, "restore", "deep.json", b"[" * 100_000 + b"]" * 100_000, "application/json")
    assert "deep.json: The file nests its data more than 32 levels deep" in _errors(at)
    assert not at.checkbox
    assert store.document_bodies(SYSTEM, teams["riverton"].id) == before


def test_another_teams_json_is_flagged_on_the_blueprint_page_before_restoring(store, teams,
                                                                             team_token):
    raw = portable.dumps(portable.export_team(store, SYSTEM, teams["mesa-verde"].id))
    at = open_page(team_token, "pages/blueprint.py")
    _upload(at, "restore", "mesa.json", raw.encode(), "application/json")
    warnings = " ".join(shown(w.value) for w in at.warning)
    assert "work of team 'mesa-verde', not of your team ('riverton')" in warnings


def test_plan_problems_naming_a_hostile_workstream_are_shown_as_text(store, teams, team_token):
    from tests.helpers import put
    from toolkit import action_plan as ap

    team = teams["riverton"]
    plan = store.load(SYSTEM, team.id, ap.ActionPlan).body
    streams = [w.model_copy(update={"name": battery.IMG, "assignments": {}})
               for w in plan.workstreams[:1]]
    put(store, SYSTEM, team.id, plan.model_copy(update={"workstreams": streams}))
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["token"] = team_token
    at.session_state[f"plan_tab:{team.id}"] = "Roles"  # the page runs only its open tab
    at.run()
    at.switch_page("pages/action_plan.py").run()
    assert not at.exception
    messages = " ".join(shown(e.value) for e in [*at.error, *at.warning])
    assert f"Workstream '{battery.IMG}' has no one accountable" in messages
    assert battery.live_on_page(at) == []
