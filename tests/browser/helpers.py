"""Steps the browser tests share: wait for Streamlit, sign in, scan with axe."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

_axe = Axe()


def settle(page) -> None:
    """Wait until the page has its H1 and Streamlit has finished running the script."""
    page.locator("h1").first.wait_for()
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !document.querySelector('[data-testid=\"stStatusWidget\"]').innerText"
        ".includes('Running')"
    )
    page.wait_for_timeout(400)


def join(page, url: str, code: str, name: str) -> None:
    page.goto(url + "/")
    page.get_by_role("textbox", name="Join code").fill(code)
    page.get_by_role("textbox", name="Your name").first.fill(name)
    page.get_by_role("button", name="Join", exact=True).click()
    page.get_by_role("heading", name="Priority initiative").wait_for()
    settle(page)


def sign_in_facilitator(page, url: str, password: str) -> None:
    page.goto(url + "/")
    page.get_by_role("tab", name="Facilitator").click()
    page.get_by_role("textbox", name="Facilitator password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_role("heading", name="Workshop", exact=True).wait_for()
    settle(page)


def serious_violations(page) -> list[str]:
    results = _axe.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
