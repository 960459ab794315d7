"""A team completes the self-assessment in a real browser and sees its radar chart."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import join, settle
from toolkit import assessment as am

pytestmark = pytest.mark.browser


def test_complete_the_assessment_and_see_the_radar_chart(server, context):
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 2600})
    join(page, server.url, server.codes["lakeport"], "Lee")
    page.goto(server.url + "/assessment")
    settle(page)
    page.get_by_role("button", name="Start the assessment").click()
    page.get_by_role("tab", name="Answer").wait_for()
    settle(page)
    content = am.load_assessment()
    total = sum(len(a.statements) for a in content.areas)
    for n, area in enumerate(content.areas):
        page.get_by_text(f"{area.name} (0 of", exact=False).first.click()
        settle(page)
        for statement in area.statements:
            group = page.get_by_role("radiogroup", name=statement.text)
            # Alternate levels, and leave one "not sure", as a real team would.
            choice = "Not sure" if statement is area.statements[-1] and n == 0 else \
                f"{1 + n % 4}. "
            group.get_by_text(choice).first.click()
            # Wait until the choice shows as made before the next click, so a click never
            # lands on a radio group that is being redrawn.
            expect(group.locator("input:checked")).to_have_count(1, timeout=30_000)
            settle(page)
    page.get_by_text(f"{total} of {total} statements answered").wait_for()
    page.get_by_role("tab", name="Results").click()
    page.locator(".js-plotly-plot").first.wait_for()
    page.get_by_text("Chart in words:").first.wait_for()
    page.get_by_role("heading", name="Next steps for the three weakest areas").wait_for()
