"""Pages on a full disk or a read-only database: the message on the page, the text kept, no
crash, nothing stored; and once the fault is gone the same action saves.

Through app.py with AppTest, as a team member and a facilitator: an autosaved field, a rows
editor (its on_change callback runs outside app.py's error handling), a form that adds rows,
the budget upload, a guidebook contribution, clinic feedback and a reply, and signing in.
"""

from __future__ import annotations

import json
import re
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.reliability.faults import LONG
from toolkit import auth
from toolkit.demo import create_demo
from toolkit.store import Store

APP = str(Path(__file__).resolve().parents[2] / "app.py")
FULL = "The workshop database cannot save right now (the disk is full)."
READ_ONLY = "The workshop database is read-only, so it cannot save right now."


def shown(text: str) -> str:
    """What a person reads: markdown escapes and zero-width breaks taken out."""
    return re.sub(r"\\(.)", r"\1", text).replace("\u200b", "")


def _count(db: Path, sql: str) -> int:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql).fetchone()[0]


@pytest.fixture
def room(isolated_db):
    """The demo workshop with Ana of Riverton, Lee of Lakeport and Fran signed in; no
    connection left open (a full disk is simulated by rebuilding the file)."""
    key = auth.server_key(isolated_db)
    with Store(isolated_db) as store:
        codes = create_demo(store, key, shared_extras=False)
        password = auth.ensure_facilitator_password(store)
        tokens = {
            "ana": auth.sign_in_team(store, key, codes["riverton"], "Ana").token,
            "lee": auth.sign_in_team(store, key, codes["lakeport"], "Lee").token,
            "fran": auth.sign_in_facilitator(store, password, "Fran").token,
        }
    return {"codes": codes, **tokens}


def _open(token: str | None, page: str | None = None, **state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if token:
        at.session_state["token"] = token
    for name, value in state.items():
        at.session_state[name] = value
    at.run()
    if page:
        at.switch_page(page).run()
    return _ok(at)


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.title) == 1  # the page is all there, not cut off by an error
    return at


def _errors(at: AppTest) -> list[str]:
    return [shown(e.value) for e in at.error]


def _versions(db: Path) -> int:
    return _count(db, "SELECT count(*) FROM revisions")


def test_an_autosaved_field_on_a_full_disk_says_so_and_keeps_the_text_in_the_box(
        isolated_db, faults, room):
    at = _open(room["ana"], "pages/home.py")
    before = _versions(isolated_db)
    faults.full(isolated_db)
    at.text_area(key="f:initiative:problem:1").input(LONG).run()
    _ok(at)
    assert f"{FULL} Your text is still in the box; tell a facilitator." in _errors(at)
    assert at.text_area(key="f:initiative:problem:1").value == LONG
    assert _versions(isolated_db) == before
    # Space freed: the next change to the box saves, and the message goes.
    faults.clear()
    at.text_area(key="f:initiative:problem:1").input(LONG + "Since 2019.").run()
    _ok(at)
    assert not _errors(at)
    assert _versions(isolated_db) == before + 1


def test_an_autosaved_field_on_a_read_only_database_says_so(isolated_db, faults, room):
    at = _open(room["ana"], "pages/home.py")
    faults.read_only()
    at.text_input(key="f:initiative:title:1").input("Safer East Side streets").run()
    _ok(at)
    assert f"{READ_ONLY} Your text is still in the box; tell a facilitator." in _errors(at)
    assert at.text_input(key="f:initiative:title:1").value == "Safer East Side streets"


def _edit_table(at: AppTest, key_prefix: str, edits: dict) -> AppTest:
    """Send a data editor's edits as the browser does. AppTest cannot type into a data
    editor, so the edit state goes into the next run's widget states directly."""
    editor = next(e for e in at.data_editor if (e.key or "").startswith(key_prefix))
    states = at._tree.get_widget_states()
    state = states.widgets.add()
    state.id = editor.proto.id
    state.string_value = json.dumps({"edited_rows": {}, "added_rows": [], "deleted_rows": [],
                                     **edits})
    return at._run(states)


def test_a_rows_editor_on_a_full_disk_shows_the_message_instead_of_crashing(isolated_db,
                                                                            faults, room):
    at = _open(room["lee"], "pages/action_plan.py", **{"plan_tab:2": "Goals and measures"})
    before = _versions(isolated_db)
    faults.full(isolated_db)
    _edit_table(at, "rows:action_plan:goals:", {"added_rows": [{"text": LONG[:390]}]})
    _ok(at)
    assert f"{FULL} Nothing was changed; tell a facilitator." in _errors(at)
    assert _versions(isolated_db) == before
    faults.clear()  # the person changes the row again once space is freed
    _edit_table(at, "rows:action_plan:goals:", {"added_rows": [{"text": LONG[:380]}]})
    _ok(at)
    assert _versions(isolated_db) == before + 1


def test_a_form_that_adds_a_row_on_a_read_only_database_shows_the_message(isolated_db, faults,
                                                                          room):
    at = _open(room["ana"], "pages/budget.py")
    before = _versions(isolated_db)
    faults.read_only()
    next(t for t in at.text_input if t.label == "Name").input("Library hours")
    next(b for b in at.button if b.label == "Create").click().run()
    _ok(at)
    assert f"{READ_ONLY} Nothing was saved; tell a facilitator." in _errors(at)
    assert _versions(isolated_db) == before


def test_a_budget_upload_on_a_full_disk_keeps_no_lines_and_says_why(isolated_db, faults, room):
    at = _open(room["lee"], "pages/budget.py")
    faults.full(isolated_db)
    rows = "".join(f"Department {n % 12},Object {n},General,{1000 + n}\n" for n in range(400))
    data = f"Dept,Object,Fund,Amount\n{rows}".encode()
    at.file_uploader[0].set_value(("lakeport.csv", data, "text/csv")).run()
    next(b for b in at.button if b.label == "Import this budget").click().run()
    _ok(at)
    assert f"{FULL} Nothing was changed; tell a facilitator." in _errors(at)
    assert _count(isolated_db, "SELECT count(*) FROM budget_imports WHERE team_id = 2") == 0
    assert _count(isolated_db, "SELECT count(*) FROM budget_lines WHERE import_id NOT IN "
                               "(SELECT id FROM budget_imports)") == 0
    assert at.file_uploader[0].value  # the file is still there to import again


def test_a_guidebook_contribution_on_a_read_only_database_shows_the_message(isolated_db,
                                                                           faults, room):
    at = _open(room["lee"], "pages/guidebook.py")
    faults.read_only()
    at.text_input(key="contribute:0:name").input("Northern Permit Collaborative")
    at.text_area(key="contribute:0:help").input("Shares a one-page intake form.")
    at.text_input(key="contribute:0:web").input("https://permits.example.org")
    at.multiselect(key="contribute:0:topics").set_value(["permitting"])
    next(b for b in at.button if b.label == "Add to the guidebook").click().run()
    _ok(at)
    assert f"{READ_ONLY} Nothing was changed; tell a facilitator." in _errors(at)
    assert at.text_input(key="contribute:0:name").value == "Northern Permit Collaborative"


def test_clinic_feedback_refused_by_the_database_keeps_the_facilitators_text(isolated_db,
                                                                            faults, room):
    at = _open(room["fran"], "pages/clinic.py")
    before = _count(isolated_db, "SELECT count(*) FROM feedback")
    faults.read_only()
    box = next(t for t in at.text_area if t.label == "Feedback")
    box.input("Say which neighbourhoods the patrols will cover.")
    next(b for b in at.button if b.label == "Send to the team").click().run()
    _ok(at)
    assert f"{READ_ONLY} Nothing was changed; tell a facilitator." in _errors(at)
    at.run()  # the next run too: a form that clears on submit would be empty now
    box = next(t for t in at.text_area if t.label == "Feedback")
    assert box.value == "Say which neighbourhoods the patrols will cover."
    faults.clear()
    next(b for b in at.button if b.label == "Send to the team").click().run()
    _ok(at)
    assert _count(isolated_db, "SELECT count(*) FROM feedback") == before + 1
    assert next(t for t in at.text_area if t.label == "Feedback").value == ""  # a fresh form


def test_a_reply_refused_by_the_database_keeps_the_teams_text(isolated_db, faults, room):
    at = _open(room["ana"], "pages/feedback.py")
    next(r for r in at.radio if r.label == "Show").set_value("All").run()
    boxes = [t for t in at.text_area if t.label == "Your reply"]
    before = _count(isolated_db, "SELECT count(*) FROM feedback_replies")
    faults.full(isolated_db)
    boxes[0].input(LONG[:1900])
    next(b for b in at.button if b.label == "Send reply").click().run()
    _ok(at)
    assert f"{FULL} Nothing was changed; tell a facilitator." in _errors(at)
    # The error is shown where the reply was, and the rest of the thread still shows.
    assert len([t for t in at.text_area if t.label == "Your reply"]) == len(boxes) == 2
    at.run()  # the next run too: a form that clears on submit would be empty now
    assert next(t for t in at.text_area if t.label == "Your reply").value == LONG[:1900]
    assert _count(isolated_db, "SELECT count(*) FROM feedback_replies") == before


def test_signing_in_while_the_database_cannot_save_explains_why_and_signs_nobody_in(
        isolated_db, faults, room):
    at = _open(None)
    sessions = _count(isolated_db, "SELECT count(*) FROM sessions")
    faults.read_only()
    at.text_input[0].input(room["codes"]["mesa-verde"])
    at.text_input[1].input("Maria")
    next(b for b in at.button if b.label == "Join").click().run()
    _ok(at)
    assert (f"{READ_ONLY} Signing in needs to save, so nobody can sign in until that is "
            "fixed; people already signed in can keep reading; tell a facilitator."
            in _errors(at))
    assert "token" not in at.session_state
    assert _count(isolated_db, "SELECT count(*) FROM sessions") == sessions
    # Someone already signed in still reads their pages.
    _open(room["ana"], "pages/home.py")


def test_signing_out_while_the_database_cannot_save_still_signs_the_browser_out(
        isolated_db, faults, room):
    at = _open(room["ana"], "pages/home.py")
    faults.read_only()
    next(b for b in at.sidebar.button if b.label == "Sign out").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "token" not in at.session_state
    assert any("/auth/signout" in c.value for c in at.caption)  # on to clear the cookie


def test_the_cookie_routes_answer_without_an_error_when_the_database_cannot_save(
        isolated_db, faults, room):
    from starlette.requests import Request

    import server

    def request(path: str, query: str = "", cookie: str = "") -> Request:
        headers = [(b"cookie", cookie.encode())] if cookie else []
        return Request({"type": "http", "method": "GET", "path": path, "headers": headers,
                        "query_string": query.encode()})

    with Store(isolated_db) as store:
        signed_in = auth.sign_in_team(store, auth.server_key(isolated_db),
                                      room["codes"]["lakeport"], "Lee")
        ticket = auth.issue_ticket(store, signed_in)
    faults.read_only()
    response = server.session_route(request("/auth/session", f"ticket={ticket}"))
    assert response.status_code == 303 and "set-cookie" not in response.headers
    response = server.signout_route(request("/auth/signout",
                                            cookie=f"{auth.COOKIE_NAME}={room['ana']}"))
    assert response.status_code == 303
    assert f'{auth.COOKIE_NAME}=""' in response.headers["set-cookie"]  # the cookie is cleared
