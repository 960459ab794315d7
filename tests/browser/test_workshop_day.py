"""A team joins, edits, refreshes, downloads its Blueprint; every page passes axe."""

import io
import json

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.browser.helpers import join, serious_violations, settle, sign_in_facilitator

pytestmark = pytest.mark.browser

TEAM_PATHS = ["home", "budget", "action-plan", "questions", "engagement", "guidebook",
              "blueprint"]
FACILITATOR_PATHS = ["workshop", "teams", *TEAM_PATHS]


def test_a_team_joins_edits_refreshes_and_downloads_its_blueprint(server, context):
    page = context.new_page()
    join(page, server.url, server.codes["lakeport"], "Lee")
    assert context.cookies()[0]["httpOnly"] is True

    title = page.get_by_role("textbox", name="Initiative title")
    title.fill("Open a restaurant in ten working days")
    title.press("Tab")  # leaving the field saves it
    page.get_by_text("Last saved by Lee").first.wait_for()

    page.reload()
    settle(page)
    assert page.get_by_role("textbox", name="Initiative title").input_value() == (
        "Open a restaurant in ten working days")

    page.goto(server.url + "/blueprint")
    settle(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the Blueprint (PDF)").click()
    data = open(info.value.path(), "rb").read()
    assert data.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Open a restaurant in ten working days" in text

    def download(label: str) -> bytes:
        with page.expect_download() as info:
            page.get_by_role("button", name=label).click()
        return open(info.value.path(), "rb").read()

    brief = PdfReader(io.BytesIO(download("Download the one-page mayor's brief (PDF)")))
    assert len(brief.pages) == 1
    book = load_workbook(io.BytesIO(download("Download the workbook (Excel)")))
    assert book.sheetnames[0] == "Blueprint"
    portable = json.loads(download("Download the portable file (JSON)"))
    assert portable["schema"] == "isc-blueprint"
    assert portable["documents"]["initiative"]["title"] == "Open a restaurant in ten working days"


def test_signing_out_clears_the_cookie_and_returns_to_sign_in(server, context):
    page = context.new_page()
    join(page, server.url, server.codes["riverton"], "Ana")
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Sign in to ISC Blueprint").wait_for()
    assert not [c for c in context.cookies() if c["name"] == "isc_session"]
    page.reload()
    page.get_by_role("heading", name="Sign in to ISC Blueprint").wait_for()


def test_every_page_has_no_serious_accessibility_violations(server, context):
    page = context.new_page()
    # The app must work offline: nothing may be fetched from anywhere but this server.
    outside = []
    context.on("request", lambda r: outside.append(r.url)
               if not r.url.startswith((server.url, "data:", "blob:")) else None)
    page.goto(server.url + "/")
    settle(page)
    problems = {"sign-in": serious_violations(page)}
    join(page, server.url, server.codes["mesa-verde"], "Rosa")
    for path in TEAM_PATHS:
        page.goto(f"{server.url}/{path}")
        settle(page)
        problems[f"team /{path}"] = serious_violations(page)
    facilitator = context.browser.new_context(viewport={"width": 1280, "height": 900})
    fpage = facilitator.new_page()
    sign_in_facilitator(fpage, server.url, server.password)
    for path in FACILITATOR_PATHS:
        fpage.goto(f"{server.url}/{path}")
        settle(fpage)
        problems[f"facilitator /{path}"] = serious_violations(fpage)
    facilitator.close()
    assert {k: v for k, v in problems.items() if v} == {}
    assert outside == []


def test_every_address_opens_its_page_without_a_page_not_found_dialog(server, context):
    # Streamlit serves the start page at "/" only; bookmarks of /home or of a tool opened
    # while signed out used to show "Page not found".
    page = context.new_page()
    page.goto(server.url + "/budget")
    page.get_by_role("heading", name="Sign in to ISC Blueprint").wait_for()
    page.wait_for_timeout(500)
    assert page.get_by_text("Page not found").count() == 0
    join(page, server.url, server.codes["lakeport"], "Kim")
    for path in ["home", "budget", "blueprint"]:
        page.goto(f"{server.url}/{path}")
        settle(page)
        assert page.get_by_text("Page not found").count() == 0, path
    assert page.locator("h1").first.inner_text() == "Your Blueprint"
    page.goto(server.url + "/home")
    settle(page)
    assert page.locator("h1").first.inner_text().endswith("team home")
