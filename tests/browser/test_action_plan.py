"""A team builds a small plan from its starter pack in the browser and takes it home as a PDF."""

import csv
import io

import pytest
from pypdf import PdfReader

from tests.browser.helpers import join, serious_violations, settle

pytestmark = pytest.mark.browser


def _type_date(page, label: str, digits: str) -> None:
    # Streamlit 1.67 draws a date as year, month and day fields; typing moves across them.
    group = page.get_by_role("group", name=label, exact=True)
    group.get_by_role("spinbutton").first.click()
    page.keyboard.type(digits)


def test_start_from_the_starter_pack_add_a_milestone_and_take_the_plan_home(server, context):
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 2600})
    join(page, server.url, server.codes["lakeport"], "Lee")
    page.goto(server.url + "/action-plan")
    settle(page)
    page.get_by_role("heading", name="Start from a starter pack").wait_for()
    assert serious_violations(page) == []

    page.get_by_role("button", name="Start from this starter pack").click()
    page.get_by_text("Nothing you wrote was changed").wait_for()
    settle(page)

    page.get_by_role("tab", name="Workplan").click()
    settle(page)  # only the open tab runs, so switching tabs runs the page again
    page.get_by_text("Add a milestone").click()
    page.get_by_role("textbox", name="Milestone").fill("Launch the online permit form")
    page.get_by_role("textbox", name="Owner").fill("Permit center manager")
    _type_date(page, "Start", "20270301")
    _type_date(page, "End", "20270226")  # ends before it starts: kept, and explained
    page.get_by_role("button", name="Add milestone").click()
    # The Workplan tab stays open after the save, and says what to fix.
    page.get_by_text("Milestone 'Launch the online permit form' ends on Feb 26, 2027, "
                     "before it starts on Mar 1, 2027.").wait_for()
    settle(page)
    assert page.locator(".js-plotly-plot").count() >= 1  # the timeline, with its text version
    page.get_by_text("Text version: 12 milestones").wait_for()
    assert serious_violations(page) == []

    with page.expect_download() as info:
        page.get_by_role("button", name="Download milestones (CSV)").click()
    rows = list(csv.reader(io.StringIO(open(info.value.path(), encoding="utf-8-sig").read())))
    assert rows[0][:2] == ["#", "Milestone"]
    assert rows[-1][1:4] == ["Launch the online permit form", "", "Permit center manager"]

    page.get_by_role("tab", name="Readiness").click()
    settle(page)
    page.get_by_role("heading", name="Readiness").wait_for()
    assert serious_violations(page) == []
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the action plan (PDF)").click()
    data = open(info.value.path(), "rb").read()
    assert data.startswith(b"%PDF")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)
    assert "2. Project action plan" in text
    assert "Launch the online permit form" in text
    assert "ends on Feb 26, 2027, before it starts on Mar 1, 2027" in text
