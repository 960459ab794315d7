"""In a real browser against the real server: a team member opening facilitator addresses, a
download clicked after the session ended, and pages that fail without showing a traceback."""

from __future__ import annotations

import pytest

from tests.browser import conftest as browser_fixtures
from tests.browser.helpers import join, settle
from toolkit.store import SYSTEM, Store, utcnow

pytestmark = pytest.mark.browser
# The browser tests' real server and chromium, shared by name (one server for this module).
server = browser_fixtures.server
browser = browser_fixtures.browser
context = browser_fixtures.context

MESSAGE = "Something went wrong on this page; your saved work is safe."
STAFF_PATHS = ["workshop", "teams", "clinic", "peer-round", "present", "follow-up-admin"]
TRACEBACK = ("Traceback", 'File "', "ValidationError", "pydantic", "site-packages",
             "Error:")


def _body(page) -> str:
    return page.locator("body").inner_text()


def _team_id(server, slug: str) -> int:
    with Store(server.db, migrate=False) as store:
        return store.find_team(SYSTEM, slug).id


def test_a_team_member_typing_a_facilitator_address_gets_its_own_pages(server, context):
    page = context.new_page()
    join(page, server.url, server.codes["lakeport"], "Lee")
    for path in STAFF_PATHS:
        page.goto(f"{server.url}/{path}")
        settle(page)
        heading = page.locator("h1").first.inner_text()
        assert heading.startswith("Lakeport"), (path, heading)
        text = _body(page)
        for code in server.codes.values():
            assert code not in text


def test_a_download_clicked_after_the_session_ended_gives_no_file(server, context):
    page = context.new_page()
    join(page, server.url, server.codes["riverton"], "Ana")
    page.goto(server.url + "/blueprint")
    settle(page)
    downloads = []
    page.on("download", lambda d: downloads.append(d))
    # Signed out elsewhere (another tab, or a facilitator ended it) after the page was drawn.
    with Store(server.db, migrate=False) as store, store._write() as conn:
        conn.execute("UPDATE sessions SET revoked_at = ? WHERE team_id = ?",
                     (utcnow().isoformat(), _team_id(server, "riverton")))
    page.get_by_role("button", name="Download the Blueprint (PDF)").click()
    page.get_by_role("heading", name="Sign in to ISC Blueprint").wait_for()
    page.get_by_text("Your sign-in has ended").wait_for()
    page.wait_for_timeout(2000)  # room for a file that should not come
    assert downloads == []


def _corrupt_initiative(server, slug: str) -> str:
    """Damage a team's saved initiative so reading it fails; returns the body to restore."""
    team_id = _team_id(server, slug)
    with Store(server.db, migrate=False) as store, store._write() as conn:
        body = conn.execute("SELECT body FROM documents WHERE team_id = ? AND kind = "
                            "'initiative'", (team_id,)).fetchone()[0]
        conn.execute("UPDATE documents SET body = '{\"title\": 7}' WHERE team_id = ? AND "
                     "kind = 'initiative'", (team_id,))
    return body


def _restore_initiative(server, slug: str, body: str) -> None:
    with Store(server.db, migrate=False) as store, store._write() as conn:
        conn.execute("UPDATE documents SET body = ? WHERE team_id = ? AND kind = "
                     "'initiative'", (body, _team_id(server, slug)))


def test_a_page_that_fails_shows_a_plain_message_and_no_traceback(server, context):
    page = context.new_page()
    join(page, server.url, server.codes["mesa-verde"], "Rosa")
    body = _corrupt_initiative(server, "mesa-verde")
    try:
        page.reload()
        page.get_by_text(MESSAGE).wait_for()
        text = _body(page)
        for leak in TRACEBACK:
            assert leak not in text, leak
    finally:
        _restore_initiative(server, "mesa-verde", body)
    page.reload()
    settle(page)
    assert MESSAGE not in _body(page)
    log = server.db.with_suffix(".log").read_text()
    assert "A page failed" in log and "Traceback" in log


def test_a_save_that_fails_shows_a_plain_message_and_no_traceback(server, context):
    page = context.new_page()
    join(page, server.url, server.codes["mesa-verde"], "Rosa")
    body = _corrupt_initiative(server, "mesa-verde")
    try:
        field = page.get_by_role("textbox", name="Initiative title")
        field.fill("Buses every ten minutes")
        field.press("Tab")
        page.get_by_text(MESSAGE).first.wait_for()
        page.wait_for_timeout(500)
        text = _body(page)
        for leak in TRACEBACK:
            assert leak not in text, leak
    finally:
        _restore_initiative(server, "mesa-verde", body)
