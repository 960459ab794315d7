"""Actors and small helpers the tests share."""

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from toolkit.store import Actor


def member(team, name="Ana") -> Actor:
    return Actor(role="team", name=name, team_id=team.id)


FACILITATOR = Actor(role="facilitator", name="Fran")
GUEST = Actor(role="guest", name="Expert guest")


def put(store, actor, team_id, body):
    """Save `body` as the team's newest version, whatever the demo already holds."""
    current = store.load(actor, team_id, type(body))
    return store.save(actor, team_id, body, base_version=current.version)


def as_read(text: str) -> str:
    """Markdown the pages escaped (pages.common.md), as a person reads it on screen: escapes and
    zero-width breaks taken out."""
    return re.sub(r"\\(.)", r"\1", text).replace("\u200b", "")


shown = as_read


APP = str(Path(__file__).resolve().parents[1] / "app.py")


def open_page(token: str, page: str) -> AppTest:
    """A signed-in session (AppTest) on `page`, which ran without an exception."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["token"] = token
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at
