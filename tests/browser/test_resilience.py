"""Poor wifi, sleeping laptops, two tabs and two teammates in chromium: nothing typed is lost.

One server for the module, started here rather than by conftest's fixture so a test can stop
and start it again on the same database (the server restarted while a laptop slept).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.browser.conftest import ROOT, _free_port
from tests.browser.helpers import join, settle
from toolkit import action_plan as ap
from toolkit import auth
from toolkit import workshop as ws
from toolkit.demo import create_demo
from toolkit.store import SYSTEM, Store

pytestmark = pytest.mark.browser

KEPT = "Your text, not saved"


@dataclass
class RestartableServer:
    url: str
    db: Path
    codes: dict[str, str]
    port: int
    proc: subprocess.Popen | None = None
    logs: list = field(default_factory=list)

    def start(self) -> None:
        log = open(self.db.with_suffix(f".{len(self.logs)}.log"), "w")  # noqa: SIM115
        self.logs.append(log)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "server.py", "--server.port",
             str(self.port), "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, env={**os.environ, "ISC_DB": str(self.db)}, stdout=log,
            stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail("The app did not start:\n" + Path(log.name).read_text())
            time.sleep(0.3)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("resilience") / "isc.db"
    with Store(db) as store:
        codes = create_demo(store, auth.server_key(db))
    port = _free_port()
    running = RestartableServer(f"http://127.0.0.1:{port}", db, codes, port)
    running.start()
    yield running
    running.stop()
    for log in running.logs:
        log.close()


def _stored(server, slug: str, model=ws.Initiative):
    with Store(server.db, migrate=False) as store:
        team = next(t for t in store.list_teams(SYSTEM) if t.slug == slug)
        return store.load(SYSTEM, team.id, model)


def _wait_stored(page, server, slug: str, check, model=ws.Initiative, timeout: float = 30):
    """Wait until the database holds what `check` expects (saves land after the click).

    Waits through the page, so Playwright keeps relaying a routed websocket meanwhile."""
    deadline = time.monotonic() + timeout
    while not check(saved := _stored(server, slug, model)):
        if time.monotonic() > deadline:
            raise AssertionError(f"not stored in time; the database holds {saved.body!r}")
        page.wait_for_timeout(200)
    return saved


def _page(context, server, slug: str, name: str, height: int = 1800):
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": height})
    join(page, server.url, server.codes[slug], name)
    return page


def _type(page, label: str, text: str) -> None:
    box = page.get_by_role("textbox", name=label, exact=True)
    box.fill(text)
    box.press("Tab")  # leaving the field saves it


def _box(page, label: str):
    return page.get_by_role("textbox", name=label, exact=True)


class Link:
    """Stands between a page and the server's websocket: can go silent, like dead wifi
    that the browser has not noticed yet, and can be cut, like a laptop waking up."""

    def __init__(self, page) -> None:
        self.silent = False
        self.routes: list = []
        page.route_web_socket(re.compile(r".*/_stcore/stream"), self._connect)

    def _connect(self, route) -> None:
        server = route.connect_to_server()
        self.routes.append(route)
        route.on_message(lambda m: None if self.silent else server.send(m))
        server.on_message(lambda m: None if self.silent else route.send(m))

    def cut(self) -> None:
        self.silent = False
        self.routes[-1].close()


# --- two teammates -------------------------------------------------------------------------


def test_two_teammates_saving_the_same_field_get_a_conflict_and_keep_their_text(server,
                                                                               browser):
    ana = _page(browser.new_context(), server, "riverton", "Ana")
    ben = _page(browser.new_context(), server, "riverton", "Ben")

    _type(ana, "Goal", "Ana: a third fewer homicides by 2029")
    _wait_stored(ana, server, "riverton", lambda s: s.body.goal.startswith("Ana:"))
    _type(ben, "Goal", "Ben: half as many shootings by 2030")
    ben.get_by_text("Ana changed goal while you were editing").wait_for()
    settle(ben)
    # Ben sees what is saved in the box, his own text below it, and nothing was overwritten.
    assert _box(ben, "Goal").input_value() == "Ana: a third fewer homicides by 2029"
    assert _box(ben, KEPT).input_value() == "Ben: half as many shootings by 2030"
    assert _stored(server, "riverton").body.goal == "Ana: a third fewer homicides by 2029"

    # Different fields at the same time, from pages that have not seen each other's save.
    _type(ana, "Initiative title", "Safer East Side")
    _type(ben, "Problem statement", "Shootings cluster in four neighborhoods.")
    saved = _wait_stored(ben, server, "riverton", lambda s: s.body.problem.startswith("Shootings"))
    assert (saved.body.title, saved.body.goal) == ("Safer East Side",
                                                   "Ana: a third fewer homicides by 2029")

    # Ben reads Ana's goal and chooses his own, on purpose.
    ben.get_by_role("button", name="Save my text instead").click()
    _wait_stored(ben, server, "riverton", lambda s: s.body.goal.startswith("Ben:"))
    settle(ben)
    assert _box(ben, KEPT).count() == 0
    assert _box(ben, "Goal").input_value() == "Ben: half as many shootings by 2030"
    assert _stored(server, "riverton").body.title == "Safer East Side"
    ana.context.close()
    ben.context.close()


def _grid_cell(page, row: int, text: str) -> None:
    """Type into the Goals table (Glide's canvas grid): its one column, row `row` (1-based)."""
    grid = page.locator("[data-testid=stDataFrame]").first
    grid.wait_for()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 120, box["y"] + 17 + 35 * row)
    page.locator(f"[data-testid=glide-cell-1-{row - 1}][aria-selected=true]").wait_for(state="attached")
    page.keyboard.press("Enter")  # opens the cell's editor
    # Type only once the editor has the focus, or the first keys go to the grid.
    page.wait_for_function("() => document.activeElement && ['INPUT', 'TEXTAREA']"
                           ".includes(document.activeElement.tagName)"
                           " && !document.activeElement.closest('[data-testid=stTextArea]')")
    page.keyboard.press("Control+A")
    page.keyboard.type(text, delay=10)
    page.keyboard.press("Enter")


def test_two_teammates_changing_the_same_table_row_keep_both_texts(server, browser):
    pages = []
    for name in ("Ana", "Ben"):
        page = _page(browser.new_context(), server, "riverton", name, height=1400)
        page.goto(server.url + "/action-plan")
        settle(page)
        page.get_by_role("tab", name="Goals and measures").click()
        settle(page)
        pages.append(page)
    ana, ben = pages
    first_goal = _stored(server, "riverton", ap.ActionPlan).body.goals[0].id

    def goal_text(saved, goal_id=first_goal):
        return next(g.text for g in saved.body.goals if g.id == goal_id)

    _grid_cell(ana, 1, "Ana's first goal")
    _wait_stored(ana, server, "riverton", lambda s: goal_text(s) == "Ana's first goal", ap.ActionPlan)
    settle(ana)
    _grid_cell(ben, 1, "Ben's first goal")
    ben.get_by_text("Ana changed the same goal while you were editing").wait_for()
    settle(ben)
    assert "Ben's first goal" in _box(ben, "Your change, not saved").input_value()
    assert goal_text(_stored(server, "riverton", ap.ActionPlan)) == "Ana's first goal"

    # Another row of the same table from Ana's page: it lands, hers is not touched.
    second_goal = _stored(server, "riverton", ap.ActionPlan).body.goals[1].id
    _grid_cell(ana, 2, "Ana's second goal")
    saved = _wait_stored(ana, server, "riverton",
                         lambda s: goal_text(s, second_goal) == "Ana's second goal",
                         ap.ActionPlan)
    assert goal_text(saved) == "Ana's first goal"
    ana.context.close()
    ben.context.close()


# --- two tabs of the same person ------------------------------------------------------------


def test_two_tabs_of_one_person_merge_refuse_the_same_field_and_tell_of_a_sign_out(server,
                                                                                  context):
    one = _page(context, server, "lakeport", "Lee")
    two = context.new_page()  # the same person (same cookie), a second tab
    two.set_viewport_size({"width": 1280, "height": 1800})
    two.goto(server.url + "/")
    settle(two)

    _type(one, "Goal", "Permits in ten working days, from tab one")
    _wait_stored(one, server, "lakeport", lambda s: s.body.goal.endswith("tab one"))
    _type(two, "Initiative title", "Ten-day permits, from tab two")
    saved = _wait_stored(two, server, "lakeport", lambda s: s.body.title.endswith("tab two"))
    assert saved.body.goal.endswith("tab one")  # the stale tab did not undo tab one

    _type(one, "Goal", "Goal again from tab one")
    _wait_stored(one, server, "lakeport", lambda s: s.body.goal == "Goal again from tab one")
    _type(two, "Goal", "Goal from the stale tab two")
    two.get_by_text("You (in another tab or window) changed goal").wait_for()
    settle(two)
    assert _box(two, KEPT).input_value() == "Goal from the stale tab two"
    assert _stored(server, "lakeport").body.goal == "Goal again from tab one"

    two.reload()
    settle(two)
    assert _box(two, "Goal").input_value() == "Goal again from tab one"
    assert _box(two, "Initiative title").input_value() == "Ten-day permits, from tab two"

    # Signing out in tab two: tab one says so by itself, before anything is typed there...
    two.get_by_role("button", name="Sign out").click()
    two.get_by_role("heading", name="Sign in to ISC Blueprint").wait_for()
    one.get_by_text("Your sign-in has ended").wait_for(timeout=40_000)
    # ...and what is typed there anyway is shown on the sign-in page, then after signing in.
    _type(one, "Problem statement", "Typed after the sign-in ended")
    one.get_by_role("heading", name="Sign in to ISC Blueprint").wait_for()
    settle(one)
    assert _box(one, "Problem statement (not saved)").input_value() == (
        "Typed after the sign-in ended")
    assert _stored(server, "lakeport").body.problem != "Typed after the sign-in ended"
    one.get_by_role("textbox", name="Join code").fill(server.codes["lakeport"])
    one.get_by_role("textbox", name="Your name").first.fill("Lee")
    one.get_by_role("button", name="Join", exact=True).click()
    one.get_by_role("heading", name="Priority initiative").wait_for()
    settle(one)
    assert _box(one, "Problem statement (not saved)").input_value() == (
        "Typed after the sign-in ended")


# --- the connection drops ---------------------------------------------------------------------


def test_a_change_sent_on_a_dead_connection_is_saved_when_it_comes_back(server, context):
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 1800})
    link = Link(page)
    join(page, server.url, server.codes["mesa-verde"], "Rosa")

    # The wifi is gone but the browser does not know yet: the change goes nowhere.
    link.silent = True
    _type(page, "Goal", "Typed while the wifi was down")
    page.wait_for_timeout(1500)
    assert _stored(server, "mesa-verde").body.goal != "Typed while the wifi was down"
    link.cut()  # the browser notices and reconnects to its session, which the server kept
    _wait_stored(page, server, "mesa-verde", lambda s: s.body.goal == "Typed while the wifi was down")
    settle(page)
    assert _box(page, "Goal").input_value() == "Typed while the wifi was down"

    # Browser-side offline (airplane mode) for a moment: the change waits, then lands.
    context.set_offline(True)
    _type(page, "Problem statement", "Typed in airplane mode")
    page.wait_for_timeout(1000)
    context.set_offline(False)
    _wait_stored(page, server, "mesa-verde", lambda s: s.body.problem == "Typed in airplane mode")


def test_a_laptop_that_slept_through_a_server_restart_keeps_its_sign_in_and_its_text(server,
                                                                                    context):
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 1800})
    link = Link(page)
    join(page, server.url, server.codes["mesa-verde"], "Rosa")
    page.goto(server.url + "/action-plan")
    settle(page)
    page.goto(server.url + "/")
    settle(page)
    _type(page, "Initiative title", "Saved before the lid closed")
    _wait_stored(page, server, "mesa-verde", lambda s: s.body.title == "Saved before the lid closed")
    settle(page)

    # A change on a connection that died as the lid closed; then the server restarts, so the
    # session the browser knew is gone when it wakes up.
    link.silent = True
    _type(page, "Goal", "Typed just before the lid closed")
    page.wait_for_timeout(500)
    server.stop()
    server.start()
    link.cut()

    page.get_by_text("The connection to the app dropped before this change arrived").wait_for()
    settle(page)
    # Still signed in, on the same page, with the saved work and the unsaved text both shown.
    assert page.get_by_role("heading", name="Priority initiative").is_visible()
    assert _box(page, "Initiative title").input_value() == "Saved before the lid closed"
    assert _box(page, KEPT).input_value() == "Typed just before the lid closed"
    assert _stored(server, "mesa-verde").body.goal != "Typed just before the lid closed"
    page.get_by_role("button", name="Save my text instead").click()
    _wait_stored(page, server, "mesa-verde", lambda s: s.body.goal == "Typed just before the lid closed")

    # The first edit on the new server session is saved, not replaced by the stored text.
    settle(page)
    _type(page, "Problem statement", "Typed after waking up")
    saved = _wait_stored(page, server, "mesa-verde", lambda s: s.body.problem == "Typed after waking up")
    assert saved.body.title == "Saved before the lid closed"
    settle(page)
    assert _box(page, "Problem statement").input_value() == "Typed after waking up"
