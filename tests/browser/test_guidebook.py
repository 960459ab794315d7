"""A team searches the guidebook, saves an entry with a note and contributes one, in chromium."""

from __future__ import annotations

import pytest

from tests.browser.helpers import join, serious_violations, settle, sign_in_facilitator
from toolkit import guidebook as gb
from toolkit.store import SYSTEM, Store

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def seeded(server):
    """The demo server with the guidebook seeded and Lakeport's demo list (the lead engineer
    wires this into `isc demo`; until then the test does it)."""
    with Store(server.db) as store:
        gb.seed_guidebook(store)
        teams = {t.slug: t for t in store.list_teams(SYSTEM)}
        gb.load_demo(store, teams["lakeport"].id)
    return server


def _store(server) -> Store:
    return Store(server.db, migrate=False)


def test_search_save_an_entry_and_contribute_one(seeded, context):
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 2600})
    join(page, seeded.url, seeded.codes["mesa-verde"], "Rosa")
    page.goto(seeded.url + "/guidebook")
    settle(page)
    assert page.get_by_role("heading", name="5. Resource guidebook", level=1).is_visible()

    search = page.get_by_role("textbox", name="Search by name, topic, place")
    search.fill("plain language")
    search.press("Enter")
    page.get_by_text("entries match, best match first").wait_for()
    settle(page)
    result = page.get_by_test_id("stExpander").filter(has_text="Center for Plain Language").first
    result.locator("summary").click()
    result.get_by_text("What they can help with").wait_for()
    assert result.get_by_role("link", name="centerforplainlanguage.org").is_visible()
    result.get_by_role("textbox", name="Why you will call them").fill(
        "Train the staff who write our rider notices")
    result.get_by_role("button", name="Save to Who we will call").click()
    page.get_by_text("Saved Center for Plain Language to Who we will call.").wait_for()
    settle(page)
    with _store(seeded) as store:
        team_id = next(t.id for t in store.list_teams(SYSTEM) if t.slug == "mesa-verde")
        saved = store.guide_saved(SYSTEM, team_id)
    assert [(s.entry.name, s.note) for s in saved] == [
        ("Center for Plain Language", "Train the staff who write our rider notices")]
    page.get_by_role("tab", name="Who we will call (1)").click()
    page.get_by_role("heading", name="Center for Plain Language").wait_for()

    page.get_by_role("tab", name="Add an entry").click()
    page.get_by_role("textbox", name="Name").fill("Mesa Verde Riders Union <b>")
    page.get_by_role("textbox", name="What they can help with").fill(
        "Riders who will test new arrival signs on Route 9.")
    page.get_by_role("textbox", name="How to reach them").fill(
        "Ask the transit office for an introduction.")
    page.get_by_role("textbox", name="City").fill("Mesa Verde")
    page.get_by_role("textbox", name="State (two letters)").fill("NM")
    page.get_by_role("combobox", name="Topics (up to six)").click()
    page.get_by_role("option", name="Mobility").click()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Add to the guidebook").click()
    page.get_by_text("Added Mesa Verde Riders Union <b>.").wait_for()
    settle(page)
    with _store(seeded) as store:
        [entry] = store.guide_search(SYSTEM, contributed_by=team_id,
                                     statuses=("pending",)).entries
    assert (entry.name, entry.topics, entry.state) == ("Mesa Verde Riders Union <b>",
                                                       ("mobility",), "NM")
    assert serious_violations(page) == []


def test_a_facilitator_approves_the_waiting_entry_and_the_page_passes_axe(seeded, context):
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 2600})
    sign_in_facilitator(page, seeded.url, seeded.password)
    page.goto(seeded.url + "/guidebook")
    settle(page)
    page.get_by_role("tab", name="Moderation").click()
    with _store(seeded) as store:
        waiting = store.guide_search(SYSTEM, statuses=("pending",)).entries
    page.get_by_role("button", name="Approve").first.click()
    page.get_by_text("every team can find it now").wait_for()
    settle(page)
    with _store(seeded) as store:
        after = store.guide_search(SYSTEM, statuses=("pending",)).total
    assert after == len(waiting) - 1
    assert serious_violations(page) == []
