"""Actors and small helpers the tests share."""

import re

from toolkit.store import Actor


def member(team, name="Ana") -> Actor:
    return Actor(role="team", name=name, team_id=team.id)


FACILITATOR = Actor(role="facilitator", name="Fran")
GUEST = Actor(role="guest", name="Expert guest")


def put(store, actor, team_id, body):
    """Save `body` as the team's newest version, whatever the demo already holds."""
    current = store.load(actor, team_id, type(body))
    return store.save(actor, team_id, body, base_version=current.version)


def shown(text: str) -> str:
    """What a person reads from a page's markdown: escapes and zero-width breaks taken out."""
    import re

    return re.sub(r"\\(.)", r"\1", text).replace("\u200b", "")


def as_read(text: str) -> str:
    """Markdown the pages escaped (pages.common.md), as a person reads it on screen."""
    return re.sub(r"\\(.)", r"\1", text).replace("\u200b", "")
