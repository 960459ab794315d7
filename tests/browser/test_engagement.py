"""A team maps three groups on the engagement page and sees them on the 2x2 grid."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import join, serious_violations, settle

pytestmark = pytest.mark.browser

GROUPS = [  # name, influence, how much affected, the grid corner it belongs in
    ("Night-shift nurses", "1", "5", "Go to them and give them a real say"),
    ("City council", "5", "2", "Consult them and keep them on board"),
    ("Violence interrupters", "4", "4", "Work closely with them"),
]


def _add_group(page, name: str, influence: str, affected: str) -> None:
    # The form sits in an expander that is open while the plan is empty and closed after.
    expander = page.locator("details", has_text="Add your own group")
    if not expander.evaluate("d => d.open"):
        expander.locator("summary").click()
    box = page.get_by_role("textbox", name="Group name")
    expect(box).to_be_editable()
    box.fill(name)
    page.get_by_role("radiogroup", name="Influence: how much say they have").get_by_text(
        influence, exact=True).click()
    page.get_by_role("radiogroup", name="How much the initiative affects them").get_by_text(
        affected, exact=True).click()
    page.get_by_role("button", name="Add group").click()
    expect(page.get_by_text("Text version:")).to_contain_text(name)
    settle(page)


def test_map_three_groups_and_see_them_on_the_grid(server, context):
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 2600})
    join(page, server.url, server.codes["riverton"], "Ana")
    page.goto(server.url + "/engagement")
    settle(page)
    page.get_by_text("Add groups to see them on the grid.").wait_for()

    for name, influence, affected, _ in GROUPS:
        _add_group(page, name, influence, affected)

    chart = page.locator(".js-plotly-plot")
    chart.wait_for()
    # One numbered marker per group, and a legend entry for each corner that has a group.
    numbers = sorted(chart.locator(".textpoint").all_text_contents())
    assert numbers == ["1", "2", "3"]
    legend = set(chart.locator(".legendtext").all_text_contents())
    assert legend == {corner for *_, corner in GROUPS}

    # The text version says the same in words.
    words = page.get_by_text("Text version:").inner_text()
    assert "High influence, highly affected (work closely with them): Violence interrupters" in words
    assert ("Low influence, highly affected (go to them and give them a real say): "
            "Night-shift nurses") in words
    assert "High influence, less affected (consult them and keep them on board): City council" \
        in words

    # Still there after a refresh: every add was saved at once.
    page.reload()
    settle(page)
    assert "Night-shift nurses" in page.get_by_text("Text version:").inner_text()
    assert serious_violations(page) == []
