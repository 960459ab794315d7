"""A team prepares a meeting, records two vendors' answers in chromium and compares them."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.helpers import join, serious_violations, settle

pytestmark = pytest.mark.browser


def _add_respondent(page, name: str) -> None:
    box = page.get_by_role("textbox", name="Name of the company, department or group")
    if not box.is_visible():
        page.get_by_text("Add someone you asked").click()
    box.fill(name)
    page.get_by_role("button", name="Add respondent").click()
    settle(page)
    expect(page.get_by_role("combobox", name="Whose answers")).to_have_value(f"{name} (vendor)")


def _score(page, question: int, label: str) -> None:
    group = page.get_by_role("radiogroup", name=f"Score for question {question}", exact=True).first
    group.get_by_text(label, exact=True).click()
    settle(page)
    expect(page.get_by_role("radiogroup", name=f"Score for question {question}", exact=True).first
           .get_by_role("radio", name=label)).to_be_checked()


def test_recording_two_vendors_answers_shows_them_side_by_side(server, context):
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 1600})
    join(page, server.url, server.codes["mesa-verde"], "Rosa")
    page.goto(server.url + "/questions")
    settle(page)

    page.get_by_role("textbox", name="Meeting name").fill("Bus arrival app pitches")
    page.get_by_role("textbox", name="Project being pitched").fill("Real-time bus arrivals")
    page.get_by_role("button", name="Create the meeting").click()
    page.get_by_role("textbox", name="Question 1", exact=True).wait_for()
    settle(page)

    page.get_by_role("tab", name="Record").click()
    _add_respondent(page, "Transit Data Co")
    _score(page, 1, "2 Adequate")
    notes = page.get_by_role("textbox", name="Notes on question 1", exact=True)
    notes.fill("Would post every order; first phase on Route 9 only.")
    notes.press("Tab")  # leaving the field saves it
    settle(page)

    _add_respondent(page, "Route Sense Inc")
    _score(page, 1, "0 No answer")
    flag = page.get_by_role("textbox", name="Another red flag you heard (question 1)", exact=True)
    flag.fill("Would not say who else uses it")
    flag.press("Enter")
    settle(page)
    _score(page, 2, "1 Weak")

    page.reload()
    settle(page)
    page.get_by_role("tab", name="Compare").click()
    settle(page)
    page.get_by_text("Text version. Transit Data Co, 2 of 3 points; Route Sense Inc, "
                     "1 of 6 points.").wait_for()
    page.get_by_text("Strongest: Transit Data Co, 2 of 3 points").wait_for()
    assert page.get_by_text("Would not say who else uses it").first.is_visible()
    assert serious_violations(page) == []
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the comparison").click()
    assert info.value.suggested_filename == "mesa-verde-question-comparison.xlsx"
    data = io.BytesIO(Path(info.value.path()).read_bytes())
    sheet = load_workbook(data)["Compare Bus arrival app pitches"]
    assert [sheet.cell(1, c).value for c in (3, 5)] == ["Transit Data Co: score",
                                                       "Route Sense Inc: score"]
    assert (sheet["C2"].value, sheet["E2"].value, sheet["F2"].value) == (2, 0, 1)

    # What was recorded survives the reload: the first vendor's notes are still there.
    page.get_by_role("tab", name="Record").click()
    page.get_by_role("combobox", name="Whose answers").click()
    page.get_by_role("option", name="Transit Data Co (vendor)").click()
    settle(page)
    assert page.get_by_role("textbox", name="Notes on question 1", exact=True).input_value() == (
        "Would post every order; first phase on Route 9 only.")
