"""A facilitator and two teams in separate browsers: feedback reaches the right team only."""

import pytest

from tests.browser.helpers import join, settle, sign_in_facilitator

pytestmark = pytest.mark.browser


def test_feedback_left_by_the_facilitator_appears_for_the_right_team_only(server, browser):
    contexts = [browser.new_context(viewport={"width": 1280, "height": 1600})
                for _ in range(3)]
    try:
        facilitator, riverton, lakeport = (ctx.new_page() for ctx in contexts)
        sign_in_facilitator(facilitator, server.url, server.password)
        join(riverton, server.url, server.codes["riverton"], "Ana")
        join(lakeport, server.url, server.codes["lakeport"], "Lee")

        facilitator.goto(server.url + "/clinic")
        settle(facilitator)
        facilitator.get_by_role("combobox", name="Team to view").click()
        facilitator.get_by_role("option", name="Riverton, OH").click()
        settle(facilitator)
        facilitator.get_by_role("textbox", name="Feedback").fill(
            "Which neighborhoods will the survey cover?")
        facilitator.get_by_role("button", name="Send to the team").click()
        facilitator.get_by_text("Sent. The team sees it").wait_for()

        riverton.goto(server.url + "/feedback")
        settle(riverton)
        riverton.get_by_text("Which neighborhoods will the survey cover?").wait_for()

        lakeport.goto(server.url + "/feedback")
        settle(lakeport)
        lakeport.get_by_text("No feedback yet").wait_for()
        assert lakeport.get_by_text("Which neighborhoods").count() == 0
    finally:
        for ctx in contexts:
            ctx.close()
