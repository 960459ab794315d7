"""A team uploads a real city budget, confirms the mapping, makes a move and sees the chart."""

from pathlib import Path

import pytest

from tests.browser.helpers import join, settle

pytestmark = pytest.mark.browser
BUDGETS = Path(__file__).resolve().parents[3] / "shared" / "data" / "budgets"


@pytest.mark.skipif(not BUDGETS.exists(), reason="shared budget files are not beside the repo")
def test_upload_a_real_budget_map_it_move_money_and_see_the_chart(server, context):
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 2400})
    join(page, server.url, server.codes["mesa-verde"], "Rosa")
    page.goto(server.url + "/budget")
    settle(page)
    page.locator("input[type=file]").set_input_files(
        str(BUDGETS / "chicago_2021_budget_ordinance_appropriations.csv"))
    page.get_by_role("button", name="Import this budget").wait_for(timeout=60_000)
    # The proposed mapping is shown for the team to check before importing.
    assert page.get_by_text("Which column is which?").is_visible()
    page.get_by_role("button", name="Import this budget").click()
    page.get_by_text("3,384 lines totalling").wait_for(timeout=60_000)
    page.get_by_text("$13,522,521,000.00").first.wait_for()

    page.get_by_role("tab", name="Reallocate").click()
    page.get_by_role("button", name="New scenario").click()
    page.get_by_role("textbox", name="Name").fill("Overtime to outreach")
    page.get_by_role("button", name="Create").click()
    scenario = page.get_by_role("combobox", name="Scenario")
    page.wait_for_function("(el) => el.value === 'Overtime to outreach (proposal)'",
                           arg=scenario.element_handle())
    settle(page)
    page.get_by_role("combobox", name="Source").click()
    page.get_by_role("option").first.click()
    page.get_by_text("A percentage of the source", exact=True).click()
    percent = page.get_by_role("spinbutton", name="Percent")
    percent.fill("1")
    percent.press("Tab")
    page.get_by_role("button", name="Add move").click()
    page.get_by_role("heading", name="Before and after, by department").wait_for(timeout=30_000)
    page.get_by_text("unchanged.").first.wait_for()
    assert page.locator(".js-plotly-plot").count() >= 2  # before/after bars and the flow
    page.get_by_text("Text version:").first.wait_for()
