"""A team records a check-in in the real browser, with one measure's value, and sees the chart."""

import pytest

from tests.browser.helpers import join, serious_violations, settle

pytestmark = pytest.mark.browser


def test_record_a_check_in_with_a_measure_value_and_see_the_chart(server, context):
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 2600})
    join(page, server.url, server.codes["riverton"], "Ana")
    page.goto(server.url + "/follow-up")
    settle(page)
    page.get_by_role("heading", name="New check-in").wait_for()
    assert serious_violations(page) == []

    page.get_by_role("textbox", name="Name of the check-in").fill("May webinar")
    # The second table holds the plan's measures; type the first one's actual value.
    grid = page.locator("[data-testid=stDataFrame]").nth(1)
    box = grid.bounding_box()
    # Glide's grid is a canvas: the Actual value column starts after the fixed-width
    # Measure (320), Unit (150), Baseline (80) and Target (80) columns.
    page.mouse.dblclick(box["x"] + 320 + 150 + 80 + 80 + 50, box["y"] + 52)
    # Type only once the cell's editor has the focus, or the keys go to the grid.
    page.wait_for_function("() => document.activeElement"
                           " && document.activeElement.tagName === 'INPUT'"
                           " && !document.activeElement.closest('[data-testid=stTextInput]')")
    page.keyboard.type("39", delay=120)
    page.wait_for_timeout(300)
    page.keyboard.press("Enter")
    # The grid commits the edit asynchronously; typing elsewhere at once would drop it.
    page.wait_for_timeout(500)
    page.get_by_role("textbox", name="Blockers").fill("The hospital has not signed yet.")
    page.get_by_role("button", name="Save check-in").click()
    page.get_by_text("May webinar", exact=False).first.wait_for(timeout=30_000)
    settle(page)

    page.get_by_role("tab", name="Progress").click()
    settle(page)
    page.get_by_role("heading", name="Measures over time").wait_for()
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    page.get_by_text("Text version: Gun homicides in the four East Side neighborhoods "
                     "(people killed per year): baseline 41").wait_for()
    page.get_by_text("actual 39 on").first.wait_for()
    page.screenshot(path="/tmp/fu-try/browser-progress.png", full_page=True)
