"""A team filled with hostile text, visited in chromium: nothing runs, nothing is fetched from
elsewhere, no page breaks, and the text is there to read exactly as typed."""

from __future__ import annotations

import pytest

from tests.browser.helpers import settle, sign_in_facilitator
from tests.hostile import battery
from toolkit import auth
from toolkit.store import Store

pytestmark = pytest.mark.browser

TEAM_PATHS = ["home", "assessment", "feedback", "peer-review", "follow-up", "budget",
              "action-plan", "questions", "engagement", "guidebook", "blueprint"]
FACILITATOR_PATHS = ["workshop", "teams", "clinic", "peer-round", "present", "follow-up-admin"]
# Markup that would be live if a person's text reached the page as HTML or markdown.
LIVE = ('img[src*="203.0.113.9"], img[src="x"], iframe, a[href^="javascript"], '
        'a[href*="203.0.113.9"], script:not([src]):not([type])')


def _text(page, where: str = "stMain") -> str:
    # md() puts a zero-width space after "http:" so a pasted address is not made a link.
    return page.locator(f'[data-testid="{where}"]').inner_text().replace("\u200b", "")


def _check(page, where: str, problems: dict[str, list[str]]) -> None:
    found = []
    if page.evaluate("() => window.__pwned") is not None:
        found.append("window.__pwned was set: a script ran")
    if page.locator('[data-testid="stException"]').count():
        found.append("an exception is on the page")
    live = page.locator(f'[data-testid="stMain"] :is({LIVE}), '
                        f'[data-testid="stSidebar"] :is({LIVE})').count()
    if live:
        found.append(f"{live} live elements from a person's text")
    if found:
        problems[where] = found


def test_hostile_text_everywhere_is_shown_as_text_and_nothing_runs(server, context):
    with Store(server.db) as store:
        planted = battery.plant_team(store, auth.server_key(server.db))
    outside: list[str] = []
    context.on("request", lambda r: outside.append(r.url)
               if not r.url.startswith((server.url, "data:", "blob:")) else None)
    problems: dict[str, list[str]] = {}

    page = context.new_page()
    page.goto(server.url + "/")
    page.get_by_role("textbox", name="Join code").fill(server.codes["riverton"])
    page.get_by_role("textbox", name="Your name").first.fill(battery.IMG[:60])
    page.get_by_role("button", name="Join", exact=True).click()
    page.get_by_role("heading", name="Priority initiative").wait_for()
    for path in TEAM_PATHS:
        page.goto(f"{server.url}/{path}")
        settle(page)
        _check(page, f"team /{path}", problems)
        if path == "home":
            assert page.locator("h1").first.inner_text() == f"{battery.IMG}: team home"
            assert page.get_by_role("textbox", name="Mayor").input_value() == battery.SCRIPT
            assert battery.IMG[:60] in _text(page, "stSidebar")  # the member's own name, as typed
        if path == "feedback":
            body = _text(page)
            assert f"› {battery.REMOTE_IMAGE}" in body
            assert battery.SCRIPT in body and battery.JS_LINK in body
        if path == "budget":
            assert battery.BUDGET_FILENAME in _text(page)  # the file's name, as uploaded

    facilitator = context.browser.new_context(viewport={"width": 1280, "height": 900})
    facilitator.on("request", lambda r: outside.append(r.url)
                   if not r.url.startswith((server.url, "data:", "blob:")) else None)
    fpage = facilitator.new_page()
    sign_in_facilitator(fpage, server.url, server.password)
    for path in FACILITATOR_PATHS:
        fpage.goto(f"{server.url}/{path}")
        settle(fpage)
        _check(fpage, f"facilitator /{path}", problems)
        if path == "clinic":
            assert f"Viewing the work of team {battery.IMG}" in _text(fpage)
    facilitator.close()

    assert problems == {}
    assert outside == []
    assert planted["team"].slug == "riverton"
